namespace Tend.Training.Trainers;

/// <summary>
/// The range a hyperparameter is searched over: from <see cref="Min"/> to <see cref="Max"/>, on a log scale when
/// <see cref="Log"/>, whole numbers when <see cref="Integer"/>.
/// </summary>
public sealed record ParamRange(string Name, double Min, double Max, bool Log = false, bool Integer = false);
