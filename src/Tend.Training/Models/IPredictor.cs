using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Training.Models;

/// <summary>
/// A model Tend predicts with, whatever made it: an ML.NET chain Tend trained (<see cref="TrainedModel"/>) or an ONNX
/// graph it imported (<see cref="OnnxModel"/>). Both read rows through the same <see cref="InputBuilder"/>, so every
/// protocol, batch scoring and evaluation check and convert cells the same way. Disposing it frees what the engine
/// holds outside managed memory (an ONNX Runtime session), so a model that is let go must be disposed.
/// </summary>
public interface IPredictor : IDisposable
{
    /// <summary>The signature: task, features, classes, and the preparation applied to each cell.</summary>
    FeatureLayout Layout { get; }

    InputBuilder Inputs { get; }

    /// <summary><see cref="ModelPackage.MlNet"/> or <see cref="ModelPackage.Onnx"/>.</summary>
    string Format { get; }

    /// <summary>Scores a whole table; a cell of the wrong kind is an error naming its row and column.</summary>
    Predictions Predict(Table rows) => Predict(Inputs.FromTable(rows).ToList());

    /// <summary>Scores rows already read. Safe to call from many threads at once.</summary>
    Predictions Predict(IReadOnlyList<ModelInput> inputs);
}
