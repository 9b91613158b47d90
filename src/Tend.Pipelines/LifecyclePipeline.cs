using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Data.Versions;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Evaluation.Gates;
using Tend.Pipelines.Stages;
using Tend.Training.Models;
using Tend.Registry;

namespace Tend.Pipelines;

/// <summary>The loop: ingest → validate → train → evaluate → gate → register → promote if better than the champion on the same holdout.</summary>
public static class LifecyclePipeline
{
    public static readonly IReadOnlyList<string> StepNames = ["ingest", "validate", "train", "evaluate", "gate", "register", "promote"];

    /// <param name="dataFile">A file or folder to ingest first; or</param>
    /// <param name="source">a source named in tend.yaml to collect again (appended when it says so); neither: the newest version.</param>
    public static async Task<PipelineResult> RunAsync(Workspace ws, string? dataFile, string? source, string trigger, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var steps = new PipelineRecorder(StepNames);
        var outputs = new Dictionary<string, string>();
        var spec = ws.Spec;
        DatasetVersion dataset = null!;
        var rejected = false;
        Run run = null!;
        ModelVersion? champion = null;
        double challengerScore = 0, championScore = 0;
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
            var rows = named is null ? DataSources.Open(dataFile!, new ReadOptions()) : DataSources.Open(named, ws.Root, BadLines.Error, ct);
            var ingest = await ws.Datasets.AddAsync(spec.Name, rows, new IngestOptions(Workspace.Actor, spec, named?.Append ?? false), ct);
            dataset = ingest.Version;
            rejected = ingest.Rejected;
            if (rejected)
                return $"not stored: {rows.Description} failed validation";
            outputs["dataset"] = dataset.Reference;
            return $"{(ingest.Created ? "new version" : "already stored as")} {dataset.Reference}, {dataset.Rows} rows";
        });
        await steps.StepAsync("validate", async () =>
        {
            if (rejected)
                throw TendException.InvalidData(string.Join("; ", dataset.Validation!.Errors.Select(e =>
                    $"{e.Kind} in column '{e.Column}': {e.Detail}" + (e.Examples is { } examples ? $" ({string.Join(", ", examples)})" : ""))));
            champion = await ChampionAsync(ws, ct);
            var warnings = dataset.Validation?.Anomalies ?? [];
            return $"validated against schema revision {dataset.Schema.Revision}: {warnings.Count} warnings"
                + string.Concat(warnings.Take(3).Select(w => $"; {w.Kind} in '{w.Column}'"));
        });
        await steps.StepAsync("train", async () =>
        {
            run = spec.Train.Search is { } search
                ? (await SearchStage.RunAsync(ws, dataset.Reference, search.Trials, ct)).Run
                : await TrainStage.RunAsync(ws, dataset.Reference, ct);
            outputs["run_id"] = run.Id;
            return $"run {run.Id[..8]}{(spec.Train.Search is null ? "" : $" (search, best trial {run.Params["search.best_trial"]}: {run.Params["trainer"]})")}: {spec.Metric.Name} {F(run.Metrics[spec.Metric.Name])} on the holdout";
        });
        await steps.StepAsync("evaluate", async () =>
        {
            if (champion is null)
            {
                challengerScore = run.Metrics[spec.Metric.Name];
                return "no champion yet to compare with";
            }
            var table = await ws.Datasets.LoadAsync(dataset, ct); // only to compare with a champion: training loads its own
            var holdout = await WithoutRowsTrainedOnAsync(ws, HoldoutSplit.Split(table, spec).Test, champion, ct);
            if (holdout.Rows.Count == 0)
                throw TendException.InvalidData($"every holdout row was in champion v{champion.Version}'s training data; add new rows to compare the models fairly");
            var model = await TrainedModel.LoadAsync(ws.Artifacts, run.Artifacts["model"], ct);
            var championModel = await TrainedModel.LoadAsync(ws.Artifacts, champion.Artifact, ct);
            challengerScore = HoldoutEvaluator.Evaluate(model, holdout)[spec.Metric.Name];
            championScore = HoldoutEvaluator.Evaluate(championModel, holdout)[spec.Metric.Name];
            outputs["holdout_rows"] = holdout.Rows.Count.ToString(CultureInfo.InvariantCulture);
            outputs["challenger_" + spec.Metric.Name] = F(challengerScore);
            outputs["champion_" + spec.Metric.Name] = F(championScore);
            return $"on {holdout.Rows.Count} holdout rows neither model trained on: {spec.Metric.Name} {F(challengerScore)} (new) vs {F(championScore)} (champion v{champion.Version})";
        });
        await steps.StepAsync("gate", () =>
        {
            var gates = GateCheck.Check(run.Metrics, spec.AllGates);
            return gates.All(g => g.Passed)
                ? Task.FromResult(string.Join("; ", gates.Select(g => g.Reason)))
                : throw new TendException(ErrorCode.GateFailed, string.Join("; ", gates.Where(g => !g.Passed).Select(g => g.Reason)));
        });
        await steps.StepAsync("register", async () =>
        {
            registered = await ws.Registry.RegisterAsync(run, Workspace.Actor, ct);
            outputs["model_version"] = registered.Version.ToString(CultureInfo.InvariantCulture);
            return $"registered {registered.Name}@{registered.Version}";
        });
        await steps.StepAsync("promote", async () =>
        {
            var better = champion is null || (Metrics.HigherIsBetter(spec.Metric.Name) ? challengerScore > championScore : challengerScore < championScore);
            outputs["promoted"] = better ? "true" : "false";
            if (!better)
                return $"kept champion v{champion!.Version}: v{registered.Version} is not better on {spec.Metric.Name} ({F(challengerScore)} vs {F(championScore)})";
            var reason = champion is null ? "first model to pass the gates" : $"{spec.Metric.Name} {F(challengerScore)} beats v{champion.Version}'s {F(championScore)} on the same holdout";
            await ws.Registry.PromoteAsync(spec.Name, registered.Version, ModelRegistry.Champion, reason, Workspace.Actor, ct);
            return $"v{registered.Version} is now champion: {reason}";
        });

        var all = steps.Complete();
        var pipelineRun = new PipelineRun(Guid.NewGuid().ToString("N"), trigger, started, DateTimeOffset.UtcNow, steps.Failure is null,
            steps.FailureMessage ?? "all steps succeeded", all, outputs);
        await ws.Store.Pipelines.AddAsync(pipelineRun, new AuditEntry(Workspace.Actor, "pipeline.run", pipelineRun.Id, $"{trigger}: {pipelineRun.Message}"), ct);
        return new PipelineResult(pipelineRun, steps.Failure);
    }

    private static async Task<ModelVersion?> ChampionAsync(Workspace ws, CancellationToken ct) =>
        await ws.Store.Models.GetAliasAsync(ws.Spec.Name, ModelRegistry.Champion, ct) is { } alias
            ? await ws.Store.Models.GetAsync(ws.Spec.Name, alias.Version, ct)
            : null;

    /// <summary>Drops the rows the champion was trained on (its data version, split again with the same seed), so the comparison does not favour it.</summary>
    private static async Task<Table> WithoutRowsTrainedOnAsync(Workspace ws, Table holdout, ModelVersion champion, CancellationToken ct)
    {
        var championData = await ws.Datasets.LoadAsync(await ws.Datasets.GetAsync(champion.Dataset, ct), ct);
        var (championTrain, _) = HoldoutSplit.Split(championData, ws.Spec);
        var seen = championTrain.Rows.Select(r => RowKey.Of(r, -1)).ToHashSet(StringComparer.Ordinal);
        return new Table(holdout.Columns, holdout.Rows.Where(r => !seen.Contains(RowKey.Of(r, -1))).ToList());
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
