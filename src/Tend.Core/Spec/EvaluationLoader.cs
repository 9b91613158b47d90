namespace Tend.Core.Spec;

/// <summary>Reads the sections that decide whether a model may be released: <c>gates:</c>, <c>protected_attributes:</c>, <c>approval:</c> and <c>evaluation:</c>.</summary>
internal static class EvaluationLoader
{
    public static IReadOnlyList<Gate> Gates(YamlMap root, MlTask task, IReadOnlyList<string> protectedAttributes) =>
        root.List("gates", Gate.Keys).Select(g =>
        {
            var gate = new Gate(g.String("metric"), g.Number("min"), g.Number("max"), g.Number("max_drop_vs_champion"), g.Number("min_gain_vs_champion"),
                g.Bool("significantly_better_than_champion") ?? false, g.String("fairness"), g.String("attribute"), g.Number("latency_p99_ms"), g.Number("model_size_mb"));
            var key = g.Keys.First();
            if (new object?[] { gate.Metric, gate.Fairness, gate.LatencyP99Ms, gate.ModelSizeMb }.Count(head => head is not null) != 1)
                throw g.Error(key, "a gate needs exactly one of: metric, fairness, latency_p99_ms, model_size_mb; split a combined one into several entries");
            switch (gate.Kind)
            {
                case Gate.MetricKind:
                    CheckMetric(g, "metric", gate.Metric!, task);
                    if (gate.Min is null && gate.Max is null)
                        throw g.Error("metric", $"gate on '{gate.Metric}' needs 'min' or 'max' (or max_drop_vs_champion, min_gain_vs_champion, significantly_better_than_champion)");
                    break;
                case Gate.ChampionKind:
                    CheckMetric(g, "metric", gate.Metric!, task);
                    if (gate.Min is not null || gate.Max is not null)
                        throw g.Error("metric", $"gate on '{gate.Metric}' mixes absolute bounds (min/max) with a bound vs the champion; use two entries");
                    if (gate.MaxDropVsChampion < 0)
                        throw g.Error("max_drop_vs_champion", "'max_drop_vs_champion' must be at least 0");
                    break;
                case Gate.FairnessKind:
                    if (!Gate.FairnessMeasures.Contains(gate.Fairness))
                        throw g.Error("fairness", $"unknown fairness measure '{gate.Fairness}'; choose one of: {string.Join(", ", Gate.FairnessMeasures)}");
                    if (gate.Attribute is null || !protectedAttributes.Contains(gate.Attribute))
                        throw g.Error("fairness", $"fairness gate '{gate.Fairness}' needs 'attribute', one of protected_attributes: {(protectedAttributes.Count == 0 ? "(none listed)" : string.Join(", ", protectedAttributes))}");
                    if (gate.Min is null && gate.Max is null)
                        throw g.Error("fairness", $"fairness gate '{gate.Fairness}' needs 'min' or 'max'");
                    break;
                default:
                    if ((gate.LatencyP99Ms ?? gate.ModelSizeMb) <= 0)
                        throw g.Error(key, $"'{key}' must be a positive number");
                    break;
            }
            return gate;
        }).ToList();

    public static IReadOnlyList<string> ProtectedAttributes(YamlMap root) => root.Strings("protected_attributes") ?? [];

    public static Approval Approval(YamlMap root) => root.String("approval") switch
    {
        null or "none" => Spec.Approval.None,
        "required" => Spec.Approval.Required,
        var other => throw root.Error("approval", $"'approval' must be one of: required, none; got '{other}'"),
    };

    public static PromoteRule Promote(YamlMap root) => root.String("promote") is not { } text ? PromoteRules.Named[0].Rule
        : PromoteRules.Named.FirstOrDefault(n => n.Name == text) is { Name: not null } named ? named.Rule
        : throw root.Error("promote", $"'promote' must be one of: {string.Join(", ", PromoteRules.Named.Select(n => n.Name))}; got '{text}'");

    public static EvaluationSpec? Evaluation(YamlMap root)
    {
        if (root.Map("evaluation", ["threshold", "min_slice_rows", "slice_bins", "resamples"]) is not { } e)
            return null;
        var threshold = ThresholdRule.Default;
        if (e.IsMap("threshold"))
        {
            var t = e.Map("threshold", ThresholdRule.Kinds.Skip(1).ToList())!;
            var kind = t.Keys.Single();
            threshold = new ThresholdRule(kind, t.Number(kind) ?? throw t.Error(kind, $"'evaluation.threshold.{kind}' needs a number"));
            if (threshold.Target is < 0 or > 1)
                throw t.Error(kind, $"'evaluation.threshold.{kind}' must be between 0 and 1, got {threshold.Target}");
        }
        else if (e.String("threshold") is { } text && text != ThresholdRule.MaxF1)
            throw e.Error("threshold", $"'evaluation.threshold' must be max_f1, or one of {{precision: P}}, {{recall: R}}, {{fixed: T}}; got '{text}'");
        var spec = new EvaluationSpec(threshold, e.Integer("min_slice_rows") ?? EvaluationSpec.DefaultMinSliceRows,
            e.Integer("slice_bins") ?? EvaluationSpec.DefaultSliceBins, e.Integer("resamples") ?? EvaluationSpec.DefaultResamples);
        if (spec.MinSliceRows < 1 || spec.SliceBins < 2 || spec.Resamples < 100)
            throw e.Error("min_slice_rows", "'evaluation' needs min_slice_rows ≥ 1, slice_bins ≥ 2 and resamples ≥ 100");
        return spec;
    }

    public static void CheckMetric(YamlMap map, string key, string metric, MlTask task)
    {
        var valid = Metrics.For(task);
        if (!valid.Contains(metric))
            throw map.Error(key, $"unknown metric '{metric}' for a {task.ToString().ToLowerInvariant()} task; choose one of: {string.Join(", ", valid)}");
    }
}
