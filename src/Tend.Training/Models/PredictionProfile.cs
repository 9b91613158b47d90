using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Profiling.Sketches;

namespace Tend.Training.Models;

/// <summary>
/// A model's predictions on its training data version, profiled once when the run finishes and stored with it, so the
/// monitor compares served predictions with them without reading the data or scoring it again: class counts for
/// classification, the predicted values' distribution (exact up to 10,000 distinct values, then a sketch) for regression.
/// </summary>
public static class PredictionProfile
{
    public const string Column = "prediction";
    public const string ArtifactKey = "prediction_profile";

    public static ColumnType TypeFor(MlTask task) => task == MlTask.Regression ? ColumnType.Numeric : ColumnType.Categorical;

    public static DataProfile Of(Predictions predictions, MlTask task)
    {
        var count = predictions.Values.Count;
        if (task == MlTask.Regression)
        {
            var distribution = new NumberDistribution();
            foreach (var value in predictions.Numbers!)
                distribution.Add(value);
            return new DataProfile(count, [new ColumnProfile(Column, ColumnType.Numeric, count, 0, (int)distribution.Distinct, Distribution: distribution.Result())]);
        }
        var classes = predictions.Values.CountBy(v => v).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new ValueCount(c.Key, c.Value)).ToList();
        return new DataProfile(count, [new ColumnProfile(Column, ColumnType.Categorical, count, 0, classes.Count, TopValues: classes)]);
    }
}
