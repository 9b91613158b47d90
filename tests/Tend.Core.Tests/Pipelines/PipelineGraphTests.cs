using Tend.Core.Errors;
using Tend.Core.Pipelines;

namespace Tend.Core.Tests.Pipelines;

/// <summary>A pipeline's steps as a DAG: an order that runs each after what it needs, what a change re-runs, and errors that name the step and the cycle.</summary>
public sealed class PipelineGraphTests
{
    private static PipelineGraph Of(params (string Step, string[] Needs)[] steps) =>
        PipelineGraph.Of([.. steps.Select(s => (s.Step, (IReadOnlyList<string>)s.Needs))], step => $"tend.yaml:{step.Length}");

    // ingest → validate → train → evaluate → register; features → train; card needs register and evaluate.
    private static readonly PipelineGraph Lifecycle = Of(("card", ["register", "evaluate"]), ("ingest", []), ("validate", ["ingest"]), ("features", []),
        ("train", ["validate", "features"]), ("evaluate", ["train"]), ("register", ["evaluate"]));

    [Fact]
    public void EveryStep_RunsAfterAllItNeeds()
    {
        var order = Lifecycle.Order;
        Assert.Equal(7, order.Count);
        foreach (var step in order)
            Assert.All(Lifecycle.Needs(step), needed => Assert.True(order.ToList().IndexOf(needed) < order.ToList().IndexOf(step), $"{needed} before {step}"));
        Assert.Equal(["ingest", "validate", "features", "train", "evaluate", "register", "card"], order);
    }

    [Fact]
    public void AChange_ReRunsExactlyTheStepsDownstreamOfIt()
    {
        Assert.Equal(["features", "train", "evaluate", "register", "card"], Lifecycle.Downstream("features"));
        Assert.Equal(["register", "card"], Lifecycle.Downstream("register"));
        Assert.Equal(["card"], Lifecycle.Downstream("card"));
    }

    [Fact]
    public void AStep_ReadsWhatEveryStepItNeeds_DirectlyOrThroughOthers_Made()
    {
        Assert.Equal(["ingest", "validate", "features", "train", "evaluate", "register"], Lifecycle.Upstream("card"));
        Assert.Equal(["ingest", "validate", "features"], Lifecycle.Upstream("train"));
        Assert.Empty(Lifecycle.Upstream("ingest"));
    }

    [Fact]
    public void ACycle_IsAnError_NamingItsSteps()
    {
        var e = Assert.Throws<TendException>(() => Of(("a", ["c"]), ("b", ["a"]), ("c", ["b"])));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
        Assert.Contains("in a cycle: a → c → b → a", e.Message);
        Assert.Contains("in a cycle: x → x", Assert.Throws<TendException>(() => Of(("x", ["x"]))).Message); // a step that needs itself
    }

    [Fact]
    public void AnUnknownOrTwiceDeclaredStep_IsAnError_SayingWhere()
    {
        var unknown = Assert.Throws<TendException>(() => Of(("train", ["ingest"])));
        Assert.Equal("tend.yaml:5: step 'train' needs 'ingest', which is not a step of the pipeline; its steps: train", unknown.Message);
        Assert.Contains("step 'a' is declared twice", Assert.Throws<TendException>(() => Of(("a", []), ("a", []))).Message);
        Assert.Equal(ErrorCode.NotFound, Assert.Throws<TendException>(() => Lifecycle.Downstream("deploy")).Code);
    }
}
