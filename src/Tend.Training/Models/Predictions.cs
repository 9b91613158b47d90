namespace Tend.Training.Models;

/// <summary>What a model said for a batch of rows: the predicted value, and per task the positive-class probability or the class probabilities.</summary>
public sealed record Predictions(
    IReadOnlyList<string> Values,
    IReadOnlyList<double>? Probability = null,
    IReadOnlyList<double[]>? ClassProbabilities = null,
    IReadOnlyList<double>? Numbers = null)
{
    /// <summary>Binary: each row's positive-class probability, and the positive class where it is at least 0.5.</summary>
    public static Predictions OfBinary(IReadOnlyList<double> probability, Features.FeatureLayout layout)
    {
        var negative = layout.Classes.First(c => c != layout.PositiveClass);
        return new Predictions(probability.Select(p => p >= 0.5 ? layout.PositiveClass! : negative).ToList(), Probability: probability);
    }

    /// <summary>Regression: the values, and their text.</summary>
    public static Predictions OfNumbers(IReadOnlyList<double> values) => new(values.Select(v => Data.Tabular.Cells.Format(v)).ToList(), Numbers: values);

    /// <summary>The score of row <paramref name="i"/>: probability of the positive class, of the predicted class, or the regression value.</summary>
    public double Score(int i, IReadOnlyList<string> classes) =>
        Probability?[i] ?? (ClassProbabilities is { } p ? p[i][IndexOf(classes, Values[i])] : Numbers![i]);

    private static int IndexOf(IReadOnlyList<string> classes, string value)
    {
        for (var i = 0; i < classes.Count; i++)
            if (classes[i] == value) return i;
        return 0;
    }
}
