using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Core.Tests;

public class SpecLoaderTests
{
    private const string Valid = """
        name: churn
        task: binary
        label: churned
        positive_class: "yes"
        metric:
          name: f1
          bar: 0.6
        gates:
          - metric: log_loss
            max: 0.5
        split:
          test_fraction: 0.25
          seed: 7
        train:
          trainers: [fasttree, sdca]
          params:
            fasttree:
              number_of_trees: 50
          search:
            trials: 12
            folds: 5
            time_budget_seconds: 60
        monitor:
          statistic: psi
          thresholds:
            psi: 0.25
            jensen_shannon: 0.15
        """;

    [Fact]
    public void Parse_ValidSpec_ReadsEveryKey()
    {
        var spec = SpecLoader.Parse(Valid);
        Assert.Equal("churn", spec.Name);
        Assert.Equal(MlTask.Binary, spec.Task);
        Assert.Equal("yes", spec.PositiveClass);
        Assert.Equal(new SuccessMetric("f1", 0.6), spec.Metric);
        Assert.Equal([new Gate("f1", 0.6, null), new Gate("log_loss", null, 0.5)], spec.AllGates);
        Assert.Equal(new SplitSpec(0.25, 7), spec.Split);
        Assert.Equal("fasttree", spec.Trainer.Name);
        Assert.Equal(50, spec.Trainer.Options["number_of_trees"]);
        Assert.Equal(["fasttree", "sdca"], spec.Train.Trainers.Select(t => t.Name));
        Assert.Empty(spec.Train.Trainers[1].Options);
        Assert.Equal(new SearchSpec(Trials: 12, Folds: 5, TimeBudgetSeconds: 60), spec.Train.Search);
        Assert.Equal("psi", spec.Monitor.Statistic);
        Assert.Equal(new Dictionary<string, double> { ["psi"] = 0.25, ["jensen_shannon"] = 0.15 }, spec.Monitor.Thresholds);
    }

    [Theory]
    [InlineData(MlTask.Binary)]
    [InlineData(MlTask.Multiclass)]
    [InlineData(MlTask.Regression)]
    public void Render_EveryTask_LoadsBack(MlTask task)
    {
        var spec = SpecLoader.Parse(SpecWriter.Render("p", task, "y", task == MlTask.Binary ? "pos" : null, 0.7));
        Assert.Equal(task, spec.Task);
        Assert.Equal(Metrics.DefaultFor(task), spec.Metric.Name);
        Assert.Equal(0.7, spec.Metric.Bar);
    }

    [Fact]
    public void Render_SaysTheBarIsCheckedForPromotion_NotAtRegistration()
    {
        var yaml = SpecWriter.Render("p", MlTask.Binary, "y", "pos", 0.7);
        Assert.Contains("the bar a model must reach to become champion", yaml);
        Assert.DoesNotContain("to be registered", yaml);
    }

    [Fact]
    public void Render_ThePrepareExample_UncommentedLoads()
    {
        var prepare = SpecLoader.Parse(Uncommented("# prepare:")).Prepare!;
        Assert.True(prepare.DropDuplicates);
        Assert.Equal("median", prepare.Impute!["Income"].Strategy);
        Assert.Equal(["year", "month", "day_of_week"], prepare.Dates!["Opened"]);
    }

    /// <summary>The rendered tend.yaml with the commented example that starts at <paramref name="header"/> uncommented.</summary>
    private static string Uncommented(string header)
    {
        var lines = SpecWriter.Render("p", MlTask.Binary, "y", "pos", 0.7).Split('\n');
        var start = Array.IndexOf(lines, header);
        var end = Array.IndexOf(lines, "", start);
        return string.Join('\n', lines.Select((l, i) => i >= start && i < end ? l[2..] : l));
    }

    [Fact]
    public void Render_TheMonitorExamples_UncommentedLoad()
    {
        var lines = SpecWriter.Render("p", MlTask.Binary, "y", "pos", 0.7).Split('\n');
        var start = Array.IndexOf(lines, "monitor:");
        var end = Array.IndexOf(lines, "", start);
        var monitor = SpecLoader.Parse(string.Join('\n', lines.Select((l, i) => i > start && i < end && l.StartsWith("  # ") ? "  " + l[4..] : l))).Monitor;
        Assert.Equal(("psi", 0.25, "0 * * * *", "last:24h"), (monitor.Statistic, monitor.Thresholds!["psi"], monitor.Schedule, monitor.Current));
        var drift = Assert.Single(monitor.Alerts!);
        Assert.Equal(("drift", AlertSeverity.Critical, TimeSpan.FromHours(6), true), (drift.Name, drift.Severity, drift.Cooldown, drift.Retrain));
        Assert.Equal(("env:TEND_ALERT_WEBHOOK", "env:TEND_ALERT_WEBHOOK_SECRET"), (monitor.Webhook!.Url.ToString(), monitor.Webhook.Secret.ToString()));
    }

    [Fact]
    public void Render_TheDeployExample_UncommentedLoads()
    {
        Assert.Equal(new DeploySpec("challenger", 10, "7", RejectUnknownFields: false), SpecLoader.Parse(Uncommented("# deploy:")).Deploy);
        Assert.Null(SpecLoader.Parse(SpecWriter.Render("p", MlTask.Binary, "y", "pos", 0.7)).Deploy);
    }

    [Theory]
    [InlineData("deploy:\n  canary: 3", "tend.yaml:29:", "'deploy.canary' needs 'deploy.canary_percent'")]
    [InlineData("deploy:\n  canary: 3\n  canary_percent: 100", "tend.yaml:30:", "between 0 and 100 (exclusive)")]
    [InlineData("deploy:\n  canary_percent: 5", "tend.yaml:29:", "'deploy.canary_percent' without 'deploy.canary'")]
    [InlineData("deploy:\n  shadow: 4\n  unknown_fields: drop", "tend.yaml:30:", "'deploy.unknown_fields' must be one of: ignore, reject; got 'drop'")]
    [InlineData("deploy:\n  shaddow: 4", "tend.yaml:29:", "unknown key 'deploy.shaddow'")]
    [InlineData("serving:\n  log_durability: always", "tend.yaml:29:", "'serving.log_durability' must be one of: batched, sync; got 'always'")]
    [InlineData("serving:\n  durability: sync", "tend.yaml:29:", "unknown key 'serving.durability'")]
    public void Parse_DeployAndServingMistakes_NameTheKeyAndLine(string deploy, string line, string message)
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid + "\n" + deploy));
        Assert.StartsWith(line, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("", LogDurability.Batched)]
    [InlineData("serving:\n  log_durability: batched", LogDurability.Batched)]
    [InlineData("serving:\n  log_durability: sync", LogDurability.Sync)]
    public void Parse_ServingLogDurability(string serving, LogDurability durability) =>
        Assert.Equal(durability, SpecLoader.Parse(Valid + "\n" + serving).Serving?.LogDurability ?? LogDurability.Batched);

    [Theory]
    [InlineData("statistic: psi", "statistic: kolmogorov", "'monitor.statistic' must be one of: ks, chi_square, z, psi, wasserstein, jensen_shannon, hellinger; got 'kolmogorov'")]
    [InlineData("jensen_shannon: 0.15", "jensen_shanon: 0.15", "'monitor.thresholds.jensen_shanon' is not a drift statistic")]
    [InlineData("psi: 0.25", "psi: high", "'monitor.thresholds.psi' must be a number")]
    public void Parse_MonitorMistakes_NameTheKeyAndLine(string line, string mistake, string message)
    {
        var at = Array.FindIndex(Valid.Split('\n'), l => l.Trim() == line) + 1;
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace(line, mistake)));
        Assert.StartsWith($"tend.yaml:{at}:", e.Message);
        Assert.Contains(message, e.Message);
    }

    private const string Alerting = """
        name: churn
        task: binary
        label: churned
        metric:
          name: auc
          bar: 0.8
        monitor:
          schedule: "0 */6 * * *"
          current: last:6h
          alerts:
            - name: drift
              when: dataset_drift
              severity: critical
              cooldown: 12h
              retrain: true
            - name: accuracy
              when: performance.value < 0.8
          webhook:
            url: env:HOOK_URL
            secret: file:/run/secrets/hook
            retries: 2
            timeout_seconds: 1.5
        """;

    [Fact]
    public void Parse_MonitorAlerts_ScheduleAndWebhook()
    {
        var monitor = SpecLoader.Parse(Alerting).Monitor;
        Assert.Equal(("0 */6 * * *", "last:6h"), (monitor.Schedule, monitor.Current));
        Assert.Equal(2, monitor.Alerts!.Count);
        var drift = monitor.Alerts[0];
        Assert.Equal(("drift", "dataset_drift", AlertSeverity.Critical, TimeSpan.FromHours(12), true), (drift.Name, drift.When.ToString(), drift.Severity, drift.Cooldown, drift.Retrain));
        var accuracy = monitor.Alerts[1];
        Assert.Equal((AlertSeverity.Warning, AlertRule.DefaultCooldown, false), (accuracy.Severity, accuracy.Cooldown, accuracy.Retrain));
        Assert.Equal(new WebhookSpec(new SecretReference("env", "HOOK_URL"), new SecretReference("file", "/run/secrets/hook"), 2, 1.5), monitor.Webhook);
    }

    [Theory]
    [InlineData("\"0 */6 * * *\"", "\"every hour\"", "'monitor.schedule' must be a cron expression")]
    [InlineData("when: dataset_drift", "when: drift > 1", "'when' of alert 'drift': 'drift' is not a value of the monitor report")]
    [InlineData("severity: critical", "severity: urgent", "'severity' of alert 'drift' must be one of: info, warning, critical; got 'urgent'")]
    [InlineData("cooldown: 12h", "cooldown: soon", "'cooldown' of alert 'drift' must be a duration such as 30m, 6h or 1d")]
    [InlineData("url: env:HOOK_URL", "url: http://127.0.0.1:9000/hook?token=abc", "'monitor.webhook.url' must name where the value is kept, env:VARIABLE or file:/path/to/secret, not the value itself")]
    [InlineData("secret: file:/run/secrets/hook", "secret: env:1BAD", "'monitor.webhook.secret' must name where the value is kept")]
    [InlineData("secret: file:/run/secrets/hook", "secret: file:relative/path", "'monitor.webhook.secret' must name where the value is kept")]
    [InlineData("- name: accuracy", "- name: drift", "'monitor.alerts' names 'drift' twice")]
    public void Parse_AlertMistakes_NameTheKeyAndLine(string line, string mistake, string message)
    {
        var yaml = Alerting.Replace(line, mistake);
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(yaml));
        Assert.Matches(@"^tend\.yaml:\d+:", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Render_BinaryWithoutAKnownPositiveClass_LeavesItUnset()
    {
        var yaml = SpecWriter.Render("p", MlTask.Binary, "y", null, 0.7);
        Assert.Contains("# positive_class:", yaml);
        Assert.Null(SpecLoader.Parse(yaml).PositiveClass);
    }

    [Fact]
    public void Parse_UnknownKey_NamesKeyAndLine()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("  seed: 7", "  sead: 7"), "tend.yaml"));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
        Assert.StartsWith("tend.yaml:13:", e.Message);
        Assert.Contains("unknown key 'split.sead'", e.Message);
    }

    [Fact]
    public void Parse_ParamsOfATrainerNotListed_NamesTheListedOnes()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("    fasttree:\n", "    lightgbm:\n")));
        Assert.Contains("unknown key 'train.params.lightgbm'; expected one of: fasttree, sdca", e.Message);
    }

    [Fact]
    public void Parse_SearchOutOfRange_NamesTheKey()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("folds: 5", "folds: 5\n    validation_fraction: 1.5")));
        Assert.Contains("'train.search.validation_fraction' must be between 0 and 1", e.Message);
    }

    [Fact]
    public void Render_TheParamsAndSearchExample_UncommentedLoads()
    {
        var lines = SpecWriter.Render("p", MlTask.Binary, "y", "pos", 0.7).Split('\n');
        var start = Array.IndexOf(lines, "  # params:                     # hyperparameters fixed for a trainer; a search varies only the others");
        var end = Array.IndexOf(lines, "", start);
        var yaml = string.Join('\n', lines.Select((l, i) => i >= start && i < end ? "  " + l[4..] : l));
        var train = SpecLoader.Parse(yaml).Train;
        Assert.Equal(new SearchSpec(Trials: 20, Folds: 3, TimeBudgetSeconds: 600, Patience: 10), train.Search);
        Assert.Equal(200, train.Trainers[0].Options["number_of_iterations"]);
    }

    [Fact]
    public void Parse_WrongType_NamesKeyAndLine()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("bar: 0.6", "bar: high")));
        Assert.StartsWith("tend.yaml:7:", e.Message);
        Assert.Contains("'metric.bar' must be a number, got 'high'", e.Message);
    }

    [Fact]
    public void Parse_MissingRequiredKey_NamesIt()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("label: churned\n", "")));
        Assert.Contains("missing required key 'label'", e.Message);
    }

    [Fact]
    public void Parse_MetricNotOfTask_ListsValidChoices()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("name: f1", "name: rmse")));
        Assert.Contains("unknown metric 'rmse' for a binary task; choose one of: auc, pr_auc, accuracy, precision, recall, f1, log_loss, brier", e.Message);
    }

    [Fact]
    public void Parse_NameThatCannotBeAReference_IsRefused()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("name: churn", "name: churn@v2")));
        Assert.StartsWith("tend.yaml:1:", e.Message);
        Assert.Contains("not a valid name", e.Message);
    }

    [Fact]
    public void Names_AreAtMostAHundredCharacters()
    {
        Assert.True(Names.IsValid(new string('n', Names.MaxLength)));
        Assert.False(Names.IsValid(new string('n', Names.MaxLength + 1)));
        Assert.Equal($"model '{new string('n', 100)}… (1,000 characters)' is not a valid name; use {Names.Rule}",
            Assert.Throws<TendException>(() => Names.Check(new string('n', 1000), "model")).Message);
    }

    [Theory]
    [InlineData("My Project", "my-project")]
    [InlineData("tend-e2e-AbC", "tend-e2e-abc")]
    [InlineData("@@@", "project")]
    [InlineData("a-folder-name-longer-than-a-name-may-be-a-folder-name-longer-than-a-name-may-be-a-folder-name-longer.than", "a-folder-name-longer-than-a-name-may-be-a-folder-name-longer-than-a-name-may-be-a-folder-name-longer")]
    public void NamesFrom_AnyText_GivesAValidName(string text, string expected)
    {
        Assert.Equal(expected, Names.From(text));
        Assert.True(Names.IsValid(expected));
    }

    [Theory]
    [InlineData("name: a\ntask: binary\nlabel: y\nmetric:\n  name: auc\n  bar: 0.7\nsplit:\n  seed: 1\n\ttest_fraction: 0.2\n", 9)]
    [InlineData("name: a\ntask: binary\nlabel: y\nsplit:\n\tseed: 1\n", 5)]
    public void Parse_ATabInTheIndentation_IsNamedAtItsLine(string yaml, int line)
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(yaml));
        Assert.Equal($"tend.yaml:{line}:1: a tab in the indentation; YAML indents with spaces only", e.Message);
    }

    [Theory]
    [InlineData("name: a\ntask: binary\nlabel: y\nmetric:\n  name: auc\n bar: 0.7\n", 6)] // a key under-indented
    [InlineData("name: a\ntask: binary\nlabel: y\nmetric:\n  name: auc\n   bar: 0.7\n", 6)] // over-indented
    [InlineData("name: a\ntask: binary\nlabel: y\nmonitor:\n  alerts:\n    - name: x\n      when: drift\n    severity: warning\n", 8)] // out of its list item
    public void Parse_AnIndentationMistake_IsNamedAtItsLine(string yaml, int line)
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(yaml));
        Assert.StartsWith($"tend.yaml:{line}:", e.Message);
    }

    [Fact]
    public void Parse_InvalidYaml_GivesLine()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse("name: a\ntask: [binary\n"));
        Assert.Matches(@"^tend\.yaml:3:1: not valid YAML: .* Found where line 3 starts: something on an earlier line is left open \(a bracket or a quote\)\.$", e.Message);
    }

    [Fact]
    public void Parse_UnknownTask_ListsTasks()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("task: binary", "task: ranking")));
        Assert.Contains("'task' must be one of: binary, multiclass, regression; got 'ranking'", e.Message);
    }

    [Fact]
    public void Parse_GovernanceSections()
    {
        var spec = SpecLoader.Parse(Valid.Replace("""
            gates:
              - metric: log_loss
                max: 0.5
            """, """
            gates:
              - {metric: auc, max_drop_vs_champion: 0.01}
              - {metric: f1, significantly_better_than_champion: true}
              - {fairness: demographic_parity_difference, attribute: Gender, max: 0.1}
              - {latency_p99_ms: 5}
              - {model_size_mb: 20}
            protected_attributes: [Gender, Age]
            approval: required
            evaluation:
              threshold: {precision: 0.9}
              min_slice_rows: 50
            """));
        Assert.Equal(["metric", "champion", "champion", "fairness", "latency", "model_size"], spec.AllGates.Select(g => g.Kind));
        Assert.Equal(["Gender", "Age"], spec.ProtectedAttributes);
        Assert.Equal(Approval.Required, spec.Approval);
        Assert.Equal(new ThresholdRule("precision", 0.9), spec.EvaluationOrDefault.Threshold);
        Assert.Equal(50, spec.EvaluationOrDefault.MinSliceRows);
        Assert.Equal(EvaluationSpec.DefaultResamples, spec.EvaluationOrDefault.Resamples);
    }

    [Theory]
    [InlineData("  - {fairness: demographic_parity_difference, attribute: Gender, max: 0.1}", "needs 'attribute', one of protected_attributes: (none listed)")]
    [InlineData("  - {fairness: parity, attribute: Gender, max: 0.1}", "unknown fairness measure 'parity'; choose one of: demographic_parity_difference")]
    [InlineData("  - {metric: auc, latency_p99_ms: 5}", "a gate needs exactly one of: metric, fairness, latency_p99_ms, model_size_mb")]
    [InlineData("  - {metric: auc, min: 0.8, max_drop_vs_champion: 0.01}", "mixes absolute bounds (min/max) with a bound vs the champion")]
    [InlineData("  - {latency_p99_ms: -1}", "'latency_p99_ms' must be a positive number")]
    public void Parse_BadGate_SaysWhatIsWrong(string gate, string message)
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid.Replace("  - metric: log_loss\n    max: 0.5", gate)));
        Assert.Contains(message, e.Message);
        Assert.Contains("tend.yaml:", e.Message);
    }

    [Fact]
    public void Parse_BadApproval_ListsTheChoices()
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid + "\napproval: maybe\n"));
        Assert.Contains("'approval' must be one of: required, none; got 'maybe'", e.Message);
    }

    [Fact]
    public void Parse_Promote_DefaultsToSignificantlyBetter_AndListsTheChoicesWhenWrong()
    {
        Assert.Equal(PromoteRule.SignificantlyBetter, SpecLoader.Parse(Valid).Promote);
        Assert.Equal(PromoteRule.Better, SpecLoader.Parse(Valid + "\npromote: better\n").Promote);
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid + "\npromote: always\n"));
        Assert.Contains("'promote' must be one of: significantly_better, better; got 'always'", e.Message);
    }

    [Theory]
    [InlineData("{name: s, path: a.csv}", "a.csv", false)]
    [InlineData("{name: s, feedback: true, append: true}", null, true)]
    public void Parse_ASource_IsAFileAQueryOrTheFeedback(string source, string? path, bool feedback)
    {
        var parsed = Assert.Single(SpecLoader.Parse(Valid + $"\ndata:\n  sources:\n    - {source}\n").Data!.Sources);
        Assert.Equal((path, feedback), (parsed.Path, parsed.Feedback));
    }

    [Theory]
    [InlineData("{name: s}")]
    [InlineData("{name: s, path: a.csv, feedback: true}")]
    public void Parse_ASourceOfNoneOrTwoKinds_SaysWhichKindsThereAre(string source)
    {
        var e = Assert.Throws<TendException>(() => SpecLoader.Parse(Valid + $"\ndata:\n  sources:\n    - {source}\n"));
        Assert.Contains("source 's' needs one of 'path', 'sql' (with 'connection'), 'url' or 'feedback: true'", e.Message);
    }
}
