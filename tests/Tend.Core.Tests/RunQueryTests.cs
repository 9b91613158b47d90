using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Core.Tests;

public class RunQueryTests
{
    [Fact]
    public void Parse_ConditionsAndOrder()
    {
        var q = RunQuery.Parse("spam", "metrics.auc > 0.9 and params.trainer = 'lightgbm' AND tags.`my team` like \"b%\" and status = finished",
            "metrics.auc desc, started", 50, 25);
        Assert.Equal(
        [
            new RunCondition(new RunField(FieldKind.Metric, "auc"), ">", null, 0.9),
            new RunCondition(new RunField(FieldKind.Param, "trainer"), "=", "lightgbm", null),
            new RunCondition(new RunField(FieldKind.Tag, "my team"), "like", "b%", null),
            new RunCondition(new RunField(FieldKind.Attribute, "status"), "=", "finished", null),
        ], q.Where);
        Assert.Equal([new RunOrder(new RunField(FieldKind.Metric, "auc"), true), new RunOrder(new RunField(FieldKind.Attribute, "started"), false)], q.OrderBy);
        Assert.Equal((50, 25), (q.Offset, q.Limit));
    }

    [Theory]
    [InlineData("metrics.auc ~ 0.9", "the filter at character 1: expected an operator (= != < <= > >= like) after metrics.auc, got '~'")]
    [InlineData("metrics.auc > 'high'", "metrics.auc is a number")]
    [InlineData("metrics.auc > NaN", "metrics.auc is a number: compare it with = != < <= > >= and a finite number, got > NaN")]   // was an unexpected failure: the store cannot hold NaN
    [InlineData("metrics.auc < -Infinity", "and a finite number")]
    [InlineData("params.trainer > 'a'", "params.trainer is text: compare it with = != or like")]
    [InlineData("auc > 0.9", "the filter at character 1: unknown field 'auc'; expected metrics.NAME, params.NAME, tags.NAME or one of: id, name, status")]
    [InlineData("metrics.auc > 0.9 or metrics.f1 > 0.5", "the filter at character 19: expected 'and', got 'or'")]
    [InlineData("status = done", "status is one of: running, finished, failed, killed; got 'done'")]
    [InlineData("params.x = 'open", "the filter at character 12: the text starting here has no closing '")]
    [InlineData("metrics.auc >", "expected a value, got the end")]
    public void Parse_BadWhere_SaysWhereAndWhat(string where, string message)
    {
        var e = Assert.Throws<TendException>(() => RunQuery.Parse(null, where, null));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Parse_BadOrderAndPaging_AreRefused()
    {
        var error = Assert.Throws<TendException>(() => RunQuery.Parse(null, null, "metrics.auc x"));
        Assert.Contains("the ordering at character 13: expected ','", error.Message);
        Assert.Equal("order_by", error.Field);
        Assert.Contains("limit between 1 and 10000", Assert.Throws<TendException>(() => RunQuery.Parse(null, null, null, 0, 0)).Message);
    }
}
