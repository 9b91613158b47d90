using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Evaluation.Fairness;
using Tend.Evaluation.Slicing;

namespace Tend.Evaluation.Tests;

/// <summary>Expected values: tests/reference/evaluation_references.py (pandas 1.5.3 groupby, scikit-learn 1.2.1, fairlearn's definitions).</summary>
public class FairnessAndSliceTests
{
    private static (Table Table, ScoredRows Scored) Rows()
    {
        var (y, p, group, age) = Fixtures.Binary();
        var table = new Table(["group", "age"], group.Select((g, i) => new string?[] { g, age[i] }).ToList());
        return (table, ScoredRows.Binary(y, p));
    }

    [Fact]
    public void Fairness_PerGroupAndSummary_MatchTheReference()
    {
        var (table, scored) = Rows();
        var result = FairnessAnalysis.Compute(table, scored, ["group"], _ => false, EvaluationSpec.Default)["group"];
        Assert.Equal(["east", "north", "south"], result.Groups.Select(g => g.Group));
        var south = result.Groups[2];
        Assert.Equal(95, south.Rows);
        Assert.Equal(0.49473684210526314, south.SelectionRate!.Value, 12);
        Assert.Equal(0.8918918918918919, south.TruePositiveRate!.Value, 12);
        Assert.Equal(0.2413793103448276, south.FalsePositiveRate!.Value, 12);
        Assert.Equal(0.7021276595744681, south.Precision!.Value, 12);
        Assert.Equal(0.11973684210526314, result.DemographicParityDifference!.Value, 12);
        Assert.Equal(0.7579787234042553, result.DemographicParityRatio!.Value, 12);
        Assert.Equal(0.05547652916073964, result.EqualOpportunityDifference!.Value, 12);
        Assert.Equal(0.06966213862765588, result.EqualizedOddsDifference!.Value, 12);
        Assert.Equal(result.DemographicParityDifference, result.Measure("demographic_parity_difference"));
    }

    [Fact]
    public void Fairness_SmallGroups_AreReportedButNotCompared()
    {
        var (table, scored) = Rows();
        var result = FairnessAnalysis.Compute(table, scored, ["group"], _ => false, EvaluationSpec.Default with { MinSliceRows = 90 })["group"];
        Assert.Equal(3, result.Groups.Count);
        // north (0.375) and south (0.4947) only: east has 69 rows.
        Assert.Equal(0.49473684210526314 - 0.375, result.DemographicParityDifference!.Value, 12);
    }

    [Fact]
    public void NumericColumns_AreCutAtTheirQuartiles()
    {
        var (table, scored) = Rows();
        var groups = RowGroups.By(table, "age", numeric: true, bins: 4);
        Assert.Equal(["< 32", "[32, 47)", "[47, 60.25)", ">= 60.25"], groups.Select(g => g.Name));
        Assert.Equal([70, 73, 82, 75], groups.Select(g => g.Rows.Length));
        Assert.Equal(0.9034090909090909, scored.Subset(groups[0].Rows).Metrics()["auc"], 12);
    }

    [Fact]
    public void Slices_WorstFirst_AboveTheMinimumSupport()
    {
        var (table, scored) = Rows();
        var layout = new Training.Features.FeatureLayout(MlTask.Binary, "label", "1", ["0", "1"], ["age"], [], ["group"],
            new Dictionary<string, IReadOnlyList<string>>(), [], []);
        var slices = SliceAnalysis.Compute(table, scored, layout, "auc", EvaluationSpec.Default with { MinSliceRows = 70 });
        Assert.Equal(("age", "< 32"), (slices[0].Column, slices[0].Slice));
        Assert.Equal(0.9034090909090909, slices[0].Value, 12);
        Assert.Equal(("group", "south"), (slices[1].Column, slices[1].Slice));
        Assert.Equal(0.9212488350419386, slices[1].Value, 12);
        Assert.DoesNotContain(slices, s => s.Rows < 70);
        Assert.Equal(slices.Select(s => s.Value).Order(), slices.Select(s => s.Value));
    }
}
