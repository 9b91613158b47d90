using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Data.Versions;
using Tend.Evaluation;
using Tend.Pipelines.Stages;
using Tend.Registry;

namespace Tend.Pipelines;

/// <summary>
/// The loop: ingest → validate → train → evaluate (with the champion on the holdout rows neither trained on) → gate →
/// register → promote if better than the champion (a request for approval when tend.yaml requires one).
/// </summary>
public static class LifecyclePipeline
{
    public static readonly IReadOnlyList<string> StepNames = ["ingest", "validate", "train", "evaluate", "gate", "register", "promote"];

    /// <param name="dataFile">A file or folder to ingest first; or</param>
    /// <param name="source">a source named in tend.yaml to collect again (appended when it says so); neither: the newest version.</param>
    public static async Task<PipelineResult> RunAsync(Workspace ws, string? dataFile, string? source, string trigger, CancellationToken ct)
    {
        await using var steps = await PipelineRecorder.StartAsync(ws, null, trigger, StepNames, null, ct);
        ct = steps.Token;
        var outputs = new Dictionary<string, string>();
        var spec = ws.Spec;
        DatasetVersion dataset = null!;
        var rejected = false;
        Run run = null!;
        EvaluationReport evaluation = null!;
        ModelVersion registered = null!;

        await steps.StepAsync("ingest", async () =>
        {
            if (dataFile is null && source is null)
            {
                dataset = await ws.Datasets.GetAsync(spec.Name, ct);
                outputs["dataset"] = dataset.Reference;
                return $"no new file; using the newest version {dataset.Reference}";
            }
            var named = source is null ? null : DataSources.Named(spec, source);
            Ingest ingest;
            if (named is { Feedback: true })
                ingest = (await CollectStage.RunAsync(ws, null, null, named.Append, ct)).Ingest;
            else
            {
                var rows = named is null ? DataSources.Open(dataFile!, new ReadOptions()) : DataSources.Open(named, ws.Root, BadLines.Error, ct);
                ingest = await ws.Datasets.AddAsync(spec.Name, rows, new IngestOptions(ws.Actor, spec, named?.Append ?? false), ct);
            }
            dataset = ingest.Version;
            rejected = ingest.Rejected;
            if (rejected)
                return $"not stored: {dataset.Source} failed validation";
            outputs["dataset"] = dataset.Reference;
            return $"{(ingest.Created ? "new version" : "already stored as")} {dataset.Reference}, {dataset.Rows} rows";
        });
        await steps.StepAsync("validate", async () =>
        {
            if (rejected)
                throw TendException.InvalidData(BuiltInStages.Problems(dataset));
            var warnings = dataset.Validation?.Anomalies ?? [];
            return $"validated against schema revision {dataset.Schema.Revision}: {warnings.Count} warnings"
                + string.Concat(warnings.Take(3).Select(w => $"; {w.Kind} in '{w.Column}'"));
        });
        await steps.StepAsync("train", async () =>
        {
            var recipe = spec.Train.Search is null ? await SearchedRecipeAsync(ws, ct) : null;
            run = spec.Train.Search is { } search
                ? (await SearchStage.RunAsync(ws, dataset.Reference, search.Trials, ct)).Run
                : await TrainStage.RunAsync(ws, dataset.Reference, ct, recipe?.Trainer);
            outputs["run_id"] = run.Id;
            var how = spec.Train.Search is not null ? $" (search, best trial {run.Params["search.best_trial"]}: {run.Params["trainer"]})"
                : recipe is { } r ? $" (the champion's recipe, {r.Trainer.Name} as its search chose in run {r.Run[..8]}, refit on the new data)" : "";
            return $"run {run.Id[..8]}{how}: {spec.Metric.Name} {F(run.Metrics[spec.Metric.Name])} on the holdout";
        });
        await steps.StepAsync("evaluate", async () =>
        {
            (evaluation, _) = await EvaluateStage.RunAsync(ws, run.Id, null, ct);
            var metric = spec.Metric.Name;
            outputs["holdout_rows"] = evaluation.Rows.ToString(CultureInfo.InvariantCulture);
            outputs["challenger_" + metric] = F(evaluation.Metrics[metric]);
            if (evaluation.Champion?.Of(metric) is not { } versus)
                return $"{metric} {F(evaluation.Metrics[metric])} [{F(evaluation.Interval.Low)}, {F(evaluation.Interval.High)}] on {evaluation.Rows} holdout rows; no champion yet to compare with";
            outputs["champion_" + metric] = F(versus.Champion);
            return $"on {evaluation.Champion.Rows} holdout rows neither model trained on: {metric} {F(versus.Challenger)} (new) vs {F(versus.Champion)} (champion v{evaluation.Champion.Version}), " +
                $"difference 95% interval [{F(versus.Difference.Low)}, {F(versus.Difference.High)}]";
        });
        await steps.StepAsync("gate", () => evaluation.Passed
            ? Task.FromResult(string.Join("; ", evaluation.Gates.Select(g => g.Reason)))
            : throw new TendException(ErrorCode.GateFailed, evaluation.Verdict));
        await steps.StepAsync("register", async () =>
        {
            registered = await ws.Registry.RegisterAsync(run, ws.Actor, ct);
            outputs["model_version"] = registered.Version.ToString(CultureInfo.InvariantCulture);
            return $"registered {registered.Name}@{registered.Version}";
        });
        await steps.StepAsync("promote", () => PromoteIfBetterAsync(ws, evaluation, registered, outputs, ct));

        return await steps.EndAsync(outputs, "all steps succeeded");
    }

    private static string F(double value) => Figures.Number(value);

    /// <summary>
    /// Makes <paramref name="registered"/> champion when it is the first to pass the gates, or when tend.yaml's promote
    /// rule finds it better than the champion on the holdout rows neither trained on (a request for approval when
    /// tend.yaml requires one); else keeps the champion. What it did, with the evidence; <paramref name="outputs"/> gains
    /// promoted (true, false or pending), the rule, and a request's id.
    /// </summary>
    internal static async Task<string> PromoteIfBetterAsync(Workspace ws, EvaluationReport evaluation, ModelVersion registered, IDictionary<string, string> outputs, CancellationToken ct)
    {
        var spec = ws.Spec;
        var versus = evaluation.Champion?.Of(spec.Metric.Name);
        var better = versus is null || (spec.Promote == PromoteRule.Better ? versus.Gain > 0 : versus.SignificantlyBetter);
        outputs["promoted"] = better ? "true" : "false";
        var rule = spec.Promote.Name();
        outputs["promote_rule"] = rule;
        var evidence = versus is null ? "" : $"{spec.Metric.Name} {F(versus.Challenger)} vs v{evaluation.Champion!.Version}'s {F(versus.Champion)} on the same holdout, " +
            $"gain {F(versus.Gain)}, 95% interval [{F(versus.GainInterval.Low)}, {F(versus.GainInterval.High)}]";
        if (!better)
            return $"kept champion v{evaluation.Champion!.Version}: v{registered.Version} is not {rule.Replace('_', ' ')} (promote: {rule}): {evidence}";
        var reason = versus is null ? "first model to pass the gates" : $"{rule.Replace('_', ' ')} (promote: {rule}): {evidence}";
        var promotion = await ws.Registry.PromoteAsync(spec.Name, registered.Version, ModelRegistry.Champion, reason, ws.Actor, ct, spec.Approval);
        if (promotion.Status == Promotion.Pending)
        {
            outputs["promoted"] = "pending";
            outputs["request_id"] = promotion.RequestId!;
            return $"v{registered.Version} waits for approval (request {promotion.RequestId![..8]}): {reason}";
        }
        return $"v{registered.Version} is now champion: {reason}";
    }

    /// <summary>
    /// Without a search in tend.yaml, the pipeline retrains with what the champion's search chose (its trainer and options),
    /// not tend.yaml's default trainer, which the search found worse; null when the champion did not come from a search.
    /// </summary>
    private static async Task<(TrainerSpec Trainer, string Run)?> SearchedRecipeAsync(Workspace ws, CancellationToken ct)
    {
        if (await ws.ChampionAsync(ct) is not { } champion)
            return null;
        var run = await ws.GetRunAsync(champion.RunId, ct);
        return run.Params.ContainsKey("search.best_trial") ? (TrainStage.TrainerOf(run), run.Id) : null;
    }
}
