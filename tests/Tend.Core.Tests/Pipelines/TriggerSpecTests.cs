using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Core.Tests.Pipelines;

/// <summary>A pipeline's triggers, limit and watched sources as tend.yaml declares them; every mistake is an error naming its line.</summary>
public sealed class TriggerSpecTests
{
    private const string Project = """
        name: churn
        task: binary
        label: churned
        metric:
          name: f1
          bar: 0.6
        data:
          sources:
            - name: raw
              path: data/raw
            - name: orders
              sql: SELECT * FROM orders
              connection: sqlite:///orders.db
              high_water_mark: updated_at
            - name: prices
              url: https://example.org/prices.csv
        monitor:
          alerts:
            - name: drift
              when: dataset_drift
        pipelines:
        """;

    private static ProjectSpec Parse(string pipelines) => SpecLoader.Parse(Project + "\n" + pipelines, "tend.yaml");

    private static string Error(string pipelines) => Assert.Throws<TendException>(() => Parse(pipelines)).Message;

    private const string Step = """
            steps:
              - name: go
                command: "true"
        """;

    [Fact]
    public void EveryKind_IsRead_WithItsOptions()
    {
        var spec = Parse($"""
              - name: a
                limit:
                  runs: 4
                  per: 1d
                triggers:
                  - schedule: "0 3 * * *"
                    timezone: Europe/Berlin
                    overlap: queue
                  - new_data: raw
                    every: 30s
                    debounce: 2m
                  - alert: drift
                  - alert: "*"
                    overlap: cancel
                  - webhook: true
            {Step}
              - name: b
                triggers:
                  - run_finished: a
            {Step}
            """);
        var a = spec.Pipelines![0];
        Assert.Equal(
        [
            new TriggerSpec(TriggerKind.Schedule, "0 3 * * *", Overlap.Queue, "Europe/Berlin"),
            new TriggerSpec(TriggerKind.NewData, "raw", Overlap.Skip, null, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)),
            new TriggerSpec(TriggerKind.Alert, "drift"),
            new TriggerSpec(TriggerKind.Alert, "*", Overlap.Cancel),
            new TriggerSpec(TriggerKind.Webhook, ""),
        ], a.Triggers);
        Assert.Equal(new RunLimit(4, TimeSpan.FromDays(1)), a.Limit);
        Assert.Equal("4 runs per 1d", a.Limit!.ToString());
        Assert.Equal(new TriggerSpec(TriggerKind.RunFinished, "a"), Assert.Single(spec.Pipelines[1].Triggers!));
        Assert.Equal("schedule 0 3 * * * (Europe/Berlin)", a.Triggers![0].ToString());
        // 03:00 in Berlin on a winter day is 02:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero),
            a.Triggers[0].Cron.GetNextOccurrence(new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), a.Triggers[0].Zone));
        var orders = spec.DataOrDefault.Sources.Single(s => s.Name == "orders");
        Assert.Equal("updated_at", orders.HighWaterMark);
    }

    [Theory]
    [InlineData("- schedule: \"every day\"", "tend.yaml:24: 'schedule' of pipeline 'a' must be a cron expression")]
    [InlineData("- schedule: \"0 3 * * *\"\n        timezone: Mars/Olympus", "tend.yaml:25: 'timezone' of pipeline 'a' must be an IANA time zone such as Europe/Berlin or UTC; got 'Mars/Olympus'")]
    [InlineData("- new_data: nosuch", "tend.yaml:24: 'new_data' of pipeline 'a' names source 'nosuch', which is not under data.sources; named: raw, orders, prices")]
    [InlineData("- alert: nosuch", "tend.yaml:24: 'alert' of pipeline 'a' names rule 'nosuch', which is not under monitor.alerts (or '*' for any); named: drift")]
    [InlineData("- alert: drift\n        timezone: UTC", "tend.yaml:25: 'timezone' belongs to a 'schedule' trigger, not a 'alert' one")]
    [InlineData("- alert: drift\n        webhook: true", "tend.yaml:25: a trigger of pipeline 'a' needs exactly one of: schedule, new_data, alert, webhook, run_finished")]
    [InlineData("- overlap: skip", "tend.yaml:24: a trigger of pipeline 'a' needs exactly one of")]
    [InlineData("- alert: drift\n        overlap: later", "tend.yaml:25: 'overlap' of a trigger of pipeline 'a' must be one of: skip, queue, cancel; got 'later'")]
    [InlineData("- new_data: raw\n        every: often", "tend.yaml:25: 'pipelines[0].triggers[0].every' must be a duration such as 30s, 5m or 1h; got 'often'")]
    [InlineData("- run_finished: a", "tend.yaml:24: 'run_finished' of pipeline 'a' must name another pipeline under 'pipelines'; got 'a'")]
    public void AWrongTrigger_IsAnErrorNamingItsLine(string trigger, string expected)
    {
        var message = Error($"""
              - name: a
                triggers:
                  {trigger}
            {Step}
            """);
        Assert.StartsWith(expected, message);
    }

    [Fact]
    public void PipelinesThatStartEachOtherInALoop_AreAnError()
    {
        var message = Error($"""
              - name: a
                triggers:
                  - run_finished: c
            {Step}
              - name: b
                triggers:
                  - run_finished: a
            {Step}
              - name: c
                triggers:
                  - run_finished: b
            {Step}
            """);
        Assert.Equal("tend.yaml:24: the pipelines start each other in a loop through 'run_finished': a → b → c → a", message);
    }

    [Theory]
    [InlineData("runs: 0\n      per: 1h", "tend.yaml:24: 'limit.runs' of pipeline 'a' must be at least 1; got 0")]
    [InlineData("runs: 3", "tend.yaml:24: 'limit' of pipeline 'a' needs 'per', a duration such as 1h or 1d")]
    public void AWrongLimit_IsAnError(string limit, string expected) =>
        Assert.Equal(expected, Error($"""
              - name: a
                limit:
                  {limit}
            {Step}
            """));

    [Theory]
    [InlineData("    - name: s\n      url: ftp://example.org/x.csv", "'url' of source 's' must be an http:// or https:// address; got 'ftp://example.org/x.csv'")]
    [InlineData("    - name: s\n      path: x.csv\n      checksum: SELECT 1", "'checksum' of source 's' belongs to a 'sql' source")]
    [InlineData("    - name: s\n      sql: SELECT 1\n      connection: sqlite:///x.db\n      checksum: SELECT 1\n      high_water_mark: t", "source 's' gives 'checksum' and 'high_water_mark'; give one")]
    public void AWrongSource_IsAnError(string source, string expected)
    {
        var text = $"name: churn\ntask: binary\nlabel: churned\nmetric:\n  name: f1\n  bar: 0.6\ndata:\n  sources:\n{source}\n";
        Assert.Contains(expected, Assert.Throws<TendException>(() => SpecLoader.Parse(text, "tend.yaml")).Message);
    }

    [Fact]
    public void AStepsSource_MustBeDeclared()
    {
        var message = Error("""
              - name: a
                steps:
                  - name: go
                    command: "true"
                    sources: [nosuch]
            """);
        Assert.Equal("tend.yaml:26: step 'go' names source 'nosuch', which is not under data.sources; named: raw, orders, prices", message);
    }

    [Fact]
    public void AStepReadingWhatAnotherWrites_MustNeedIt()
    {
        var message = Error("""
              - name: a
                steps:
                  - name: write
                    command: echo > out.txt
                    outputs: [out.txt]
                  - name: read
                    command: cat out.txt
                    inputs: [out.txt]
            """);
        Assert.Equal("tend.yaml:29: input 'out.txt' of step 'read' is written by step 'write', which it does not need; add 'write' under its 'needs'", message);
    }
}
