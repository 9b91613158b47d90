using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Evaluation.Metrics;
using Tend.Training.Models;

namespace Tend.Evaluation;

/// <summary>
/// Labelled rows with what a model said for each, in the task's terms: the positive-class probability, the class
/// probabilities or the predicted number. Any subset (a bootstrap resample, a slice) is scored the same way.
/// </summary>
public sealed class ScoredRows
{
    private ScoredRows(MlTask task, IReadOnlyList<string> classes, bool[] positive, double[] probability, int[] classIndex,
        double[][] classProbabilities, double[] label, double[] predicted)
    {
        (Task, Classes, Positive, Probability, ClassIndex, ClassProbabilities, Label, Predicted) =
            (task, classes, positive, probability, classIndex, classProbabilities, label, predicted);
    }

    public MlTask Task { get; }
    public IReadOnlyList<string> Classes { get; }
    public bool[] Positive { get; }
    public double[] Probability { get; }
    public int[] ClassIndex { get; }
    public double[][] ClassProbabilities { get; }
    public double[] Label { get; }
    public double[] Predicted { get; }

    public int Count => Task switch { MlTask.Binary => Positive.Length, MlTask.Multiclass => ClassIndex.Length, _ => Label.Length };

    public static ScoredRows Binary(bool[] positive, double[] probability) => new(MlTask.Binary, [], positive, probability, [], [], [], []);

    public static ScoredRows Multiclass(IReadOnlyList<string> classes, int[] actual, double[][] probabilities) =>
        new(MlTask.Multiclass, classes, [], [], actual, probabilities, [], []);

    public static ScoredRows Regression(double[] label, double[] predicted) => new(MlTask.Regression, [], [], [], [], [], label, predicted);

    /// <summary>Scores every row of <paramref name="table"/>, which must carry a label on each row (<see cref="LabelledRows"/>).</summary>
    public static ScoredRows Of(IPredictor model, Table table)
    {
        var layout = model.Layout;
        var labelIndex = table.IndexOf(layout.Label);
        var labels = table.Rows.Select(r => r[labelIndex]!).ToArray();
        var predictions = model.Predict(table);
        return layout.Task switch
        {
            MlTask.Binary => Binary(labels.Select(l => l == layout.PositiveClass).ToArray(), predictions.Probability!.ToArray()),
            MlTask.Multiclass => Multiclass(layout.Classes, labels.Select(l => ClassOf(layout.Classes, l)).ToArray(), predictions.ClassProbabilities!.ToArray()),
            _ => Regression(labels.Select(l => { Cells.TryNumber(l, out var v); return v; }).ToArray(), predictions.Numbers!.ToArray()),
        };
    }

    /// <summary>The rows whose label is present (and, for regression, a number): a row without one cannot be judged.</summary>
    public static Table LabelledRows(Table table, string label)
    {
        var index = table.IndexOf(label);
        if (index < 0)
            throw Core.Errors.TendException.InvalidData($"the evaluation data has no label column '{label}'; columns: {string.Join(", ", table.Columns)}");
        return new Table(table.Columns, table.Rows.Where(r => r[index] is { Length: > 0 }).ToList());
    }

    public ScoredRows Subset(IReadOnlyList<int> rows) => Task switch
    {
        MlTask.Binary => Binary(Pick(Positive, rows), Pick(Probability, rows)),
        MlTask.Multiclass => Multiclass(Classes, Pick(ClassIndex, rows), Pick(ClassProbabilities, rows)),
        _ => Regression(Pick(Label, rows), Pick(Predicted, rows)),
    };

    public IReadOnlyDictionary<string, double> Metrics() => Task switch
    {
        MlTask.Binary => BinaryMetrics.Compute(Positive, Probability),
        MlTask.Multiclass => MulticlassMetrics.Compute(ClassIndex, ClassProbabilities),
        _ => RegressionMetrics.Compute(Label, Predicted),
    };

    /// <summary>Whether the predicted label of each row is right (classification; at the default threshold for binary).</summary>
    public bool[] Correct() => Task switch
    {
        MlTask.Binary => Positive.Select((p, i) => p == Probability[i] >= BinaryMetrics.DefaultThreshold).ToArray(),
        MlTask.Multiclass => ClassIndex.Select((c, i) => c == MulticlassMetrics.Predicted(ClassProbabilities[i])).ToArray(),
        _ => throw new InvalidOperationException("a regression has no right or wrong label"),
    };

    private static T[] Pick<T>(T[] values, IReadOnlyList<int> rows)
    {
        var picked = new T[rows.Count];
        for (var i = 0; i < picked.Length; i++)
            picked[i] = values[rows[i]];
        return picked;
    }

    /// <summary>The index of a label among the model's classes; a label it was not trained on is invalid data.</summary>
    public static int ClassOf(IReadOnlyList<string> classes, string label)
    {
        for (var i = 0; i < classes.Count; i++)
            if (classes[i] == label) return i;
        throw Core.Errors.TendException.InvalidData($"label '{label}' was not among the classes the model was trained on: {string.Join(", ", classes)}");
    }
}
