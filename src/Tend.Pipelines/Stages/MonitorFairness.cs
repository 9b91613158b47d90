using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Evaluation.Slicing;
using Tend.Training.Features;
using static Tend.Evaluation.Fairness.FairnessAnalysis;

namespace Tend.Pipelines.Stages;

/// <summary>
/// Fairness of served traffic for each protected attribute of tend.yaml (binary classifiers): selection rates per group
/// from the predictions alone, and true and false positive rates per group where feedback came back. Groups are drawn
/// as evaluation slices are (a numeric attribute in quantile bins).
/// </summary>
internal static class MonitorFairness
{
    public static IReadOnlyList<LiveFairness>? Of(IReadOnlyList<PredictionRecord> records, FeatureLayout layout, ProjectSpec spec)
    {
        if (layout.Task != MlTask.Binary || spec.ProtectedAttributes.Count == 0 || records.Count == 0)
            return null;
        var attributes = spec.ProtectedAttributes.Where(a => records[0].Features.ContainsKey(a)).ToList();
        if (attributes.Count == 0)
            return null;
        var table = new Table(attributes, records.Select(r => attributes.Select(a => r.Features.GetValueOrDefault(a)).ToArray()).ToList());
        var predicted = records.Select(r => r.Prediction == layout.PositiveClass).ToArray();
        var positive = records.Select(r => r.Feedback is null ? (bool?)null : r.Feedback == layout.PositiveClass).ToArray();
        var minRows = spec.EvaluationOrDefault.MinSliceRows;
        return attributes.Select(attribute =>
        {
            var groups = RowGroups.By(table, attribute, layout.Numeric.Contains(attribute), spec.EvaluationOrDefault.SliceBins)
                .Select(g => Rates(g, predicted, positive)).ToList();
            var compared = groups.Where(g => g.Rows >= minRows).ToList();
            var labelled = groups.Where(g => g.LabelledRows >= minRows).ToList();
            return new LiveFairness(attribute, groups, Gap(compared, g => g.SelectionRate), Ratio(compared, g => g.SelectionRate), positive.Count(p => p is not null),
                Gap(labelled, g => g.TruePositiveRate), Max(Gap(labelled, g => g.TruePositiveRate), Gap(labelled, g => g.FalsePositiveRate)));
        }).ToList();
    }

    private static GroupRates Rates(RowGroup group, bool[] predicted, bool?[] positive)
    {
        var rows = group.Rows;
        var labelled = rows.Where(i => positive[i] is not null).ToList();
        var positives = labelled.Where(i => positive[i] == true).ToList();
        var negatives = labelled.Where(i => positive[i] == false).ToList();
        return new GroupRates(group.Name, rows.Length, rows.Count(i => predicted[i]) / (double)rows.Length, labelled.Count,
            positives.Count == 0 ? null : positives.Count(i => predicted[i]) / (double)positives.Count,
            negatives.Count == 0 ? null : negatives.Count(i => predicted[i]) / (double)negatives.Count);
    }
}
