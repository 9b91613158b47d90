using System.Text.Json;
using Tend.Core.Spec;

namespace Tend.Core.Tests;

public class AlertConditionTests
{
    private static readonly JsonElement Report = JsonDocument.Parse("""
        {"dataset_drift": true, "drift_share": 0.25, "performance": {"value": 0.87}, "prediction_drift": null,
         "quality": {"rejected_share": 0.02, "latency_p99_ms": 7.5},
         "fairness": [{"attribute": "Marital", "demographic_parity_difference": 0.12}],
         "features": [{"name": "Age", "drifted": false, "value": 0.05, "details": {"missing_share": 0.12}},
                      {"name": "dep.time", "drifted": true, "value": "NaN"}]}
        """).RootElement;

    [Theory]
    [InlineData("dataset_drift", true)]
    [InlineData("dataset_drift == false", false)]
    [InlineData("drift_share >= 0.25", true)]
    [InlineData("drift_share > 0.25", false)]
    [InlineData("performance.value < 0.9", true)]
    [InlineData("performance.value != 0.87", false)]
    [InlineData("features.Age.drifted", false)]
    [InlineData("features.Age.details.missing_share > 0.1", true)]
    [InlineData("features.dep.time.drifted == true", true)]
    [InlineData("features.dep.time.value > 0", false)]
    [InlineData("prediction_drift.drifted", false)]
    [InlineData("features.Income.drifted", false)]
    [InlineData("quality.rejected_share > 0.01", true)]
    [InlineData("quality.latency_p99_ms > 10", false)]
    [InlineData("fairness.Marital.demographic_parity_difference >= 0.1", true)]
    [InlineData("fairness.Age.demographic_parity_difference >= 0.1", false)]
    public void Evaluate_ReadsTheValueAtItsPath(string condition, bool holds)
    {
        Assert.Equal(holds, AlertCondition.Parse(condition).Evaluate(Report).Holds);
    }

    [Fact]
    public void Evaluate_GivesTheValueItRead_OrNoneWhereTheReportHasNone()
    {
        Assert.Equal("0.87", AlertCondition.Parse("performance.value < 0.9").Evaluate(Report).Value?.GetRawText());
        Assert.Null(AlertCondition.Parse("prediction_drift.value > 0").Evaluate(Report).Value);
    }

    [Theory]
    [InlineData("accuracy < 0.9", "'accuracy' is not a value of the monitor report; start from one of: dataset_drift")]
    [InlineData("performance.value < high", "'high' is not a number, true or false")]
    [InlineData("performance.value =< 0.9", "'=<' is not a comparison")]
    [InlineData("dataset_drift > true", "true and false compare with == or != only")]
    [InlineData("features.drifted", "features.NAME.FIELD")]
    [InlineData("performance.value <", "expected PATH or PATH OPERATOR VALUE")]
    public void Parse_Mistakes_SayWhatIsExpected(string condition, string message)
    {
        Assert.Contains(message, Assert.Throws<FormatException>(() => AlertCondition.Parse(condition)).Message);
    }

    [Fact]
    public void ToString_WritesTheConditionBack()
    {
        Assert.Equal("features.dep.time.value >= 0.2", AlertCondition.Parse("features.dep.time.value  >=  0.2").ToString());
    }
}
