using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Pipelines;
using Tend.Core.Reports;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Data.Versions;
using Tend.Pipelines.Cards;
using Tend.Pipelines.Stages;
using Tend.Registry;

namespace Tend.Pipelines;

/// <summary>
/// Tend's own stages as steps of a declared pipeline (<see cref="StepKinds"/>). Each reads what the steps it needs made
/// (<c>upstream</c>: the nearest <see cref="Dataset"/>, <see cref="Run"/>, <see cref="Evaluation"/>,
/// <see cref="ModelVersion"/>) and says what it made, in the same words, for the steps after it.
/// </summary>
internal static class BuiltInStages
{
    /// <summary>Bumped when a stage's implementation changes what it makes, so no older result is reused.</summary>
    public const int Version = 1;

    public const string Dataset = "dataset", Run = "run", Evaluation = "evaluation", ModelVersion = "model_version";

    /// <summary>
    /// What the stage's result depends on besides its argument, for its cache key: the upstream outputs it reads, the
    /// content of a file it ingests or what is observed of a source it collects, the tend.yaml sections it follows, the champion it is compared with.
    /// </summary>
    public static async Task<Dictionary<string, string>> InputsAsync(Workspace ws, StepSpec step, IReadOnlyDictionary<string, string> upstream, ContentHashes hashes, CancellationToken ct)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var read in Reads(step.Kind))
            inputs[$"upstream:{read}"] = upstream.GetValueOrDefault(read) ?? "none";
        var spec = ws.Spec;
        switch (step.Kind)
        {
            case "ingest":
                inputs[step.Argument] = hashes.Of(Path.Combine(ws.Root, step.Argument));
                break;
            case "collect" when DataSources.Named(spec, step.Argument) is { Feedback: false } source:
                inputs[DeclaredPipeline.SourcePrefix + source.Name] = await SourceObservation.ObserveAsync(source, ws.Root, hashes, ct);
                break;
            case "collect":
                inputs["feedback until"] = ws.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture); // feedback is not observed: never the same twice
                break;
            case "train" or "search":
                inputs["tend.yaml"] = Hash(new { spec.Task, spec.Label, spec.PositiveClass, spec.Metric, spec.Split, spec.Train, spec.Prepare, spec.Data?.Schema });
                if (!upstream.ContainsKey(Dataset))
                    inputs[$"upstream:{Dataset}"] = (await ws.Datasets.GetAsync(spec.Name, ct)).Reference; // the newest version, as it trains on
                break;
            case "evaluate":
                inputs["tend.yaml"] = Hash(new { spec.Metric, spec.Gates, spec.Evaluation, spec.ProtectedAttributes });
                inputs["champion"] = (await ws.ChampionAsync(ct))?.Version.ToString(CultureInfo.InvariantCulture) ?? "none";
                break;
        }
        return inputs;
    }

    /// <summary>Runs the stage: what it did, and what it made.</summary>
    public static async Task<(string Message, Dictionary<string, string> Outputs)> RunAsync(Workspace ws, StepSpec step, IReadOnlyDictionary<string, string> upstream, CancellationToken ct)
    {
        var spec = ws.Spec;
        var made = new Dictionary<string, string>(StringComparer.Ordinal);
        string Needs(string what) => upstream.GetValueOrDefault(what)
            ?? throw TendException.BadUsage($"step '{step.Name}' ({step.Kind}) needs a {what.Replace('_', ' ')}: list a step that makes one under its 'needs'");
        switch (step.Kind)
        {
            case "collect" or "ingest":
                {
                    var source = step.Kind == "collect" ? DataSources.Named(spec, step.Argument) : null;
                    var ingest = source is { Feedback: true } ? (await CollectStage.RunAsync(ws, null, null, source.Append, ct)).Ingest
                        : await ws.Datasets.AddAsync(spec.Name, source is null ? DataSources.Open(Path.Combine(ws.Root, step.Argument), new ReadOptions()) : DataSources.Open(source, ws.Root, BadLines.Error, ct),
                            new IngestOptions(ws.Actor, spec, source?.Append ?? false), ct);
                    if (ingest.Rejected)
                        throw TendException.InvalidData($"not stored: {Problems(ingest.Version)}");
                    made[Dataset] = ingest.Version.Reference;
                    return ($"{(ingest.Created ? "new version" : "already stored as")} {ingest.Version.Reference}, {ingest.Version.Rows} rows", made);
                }
            case "validate":
                {
                    var dataset = await ws.Datasets.GetAsync(upstream.GetValueOrDefault(Dataset) ?? spec.Name, ct);
                    if (dataset.Validation?.Errors.Any() == true)
                        throw TendException.InvalidData(Problems(dataset));
                    var warnings = dataset.Validation?.Anomalies ?? [];
                    made[Dataset] = dataset.Reference;
                    return ($"{dataset.Reference} against schema revision {dataset.Schema.Revision}: {warnings.Count} warnings" + string.Concat(warnings.Take(3).Select(w => $"; {w.Kind} in '{w.Column}'")), made);
                }
            case "train" or "search":
                {
                    var dataset = upstream.GetValueOrDefault(Dataset);
                    var run = step.Kind == "search"
                        ? (await SearchStage.RunAsync(ws, dataset, step.Argument == "true" ? spec.Train.Search?.Trials ?? SearchSpec.DefaultTrials : int.Parse(step.Argument, CultureInfo.InvariantCulture), ct)).Run
                        : await TrainStage.RunAsync(ws, dataset, ct, step.Argument == "true" ? null : spec.Train.Trainers.First(t => t.Name == step.Argument));
                    made[Run] = run.Id;
                    made[Dataset] = run.Dataset;
                    return ($"run {run.Id[..8]} ({run.Params.GetValueOrDefault("trainer")}): {spec.Metric.Name} {Figures.Number(run.Metrics[spec.Metric.Name])} on the holdout", made);
                }
            case "evaluate":
                {
                    var (report, record) = await EvaluateStage.RunAsync(ws, Needs(Run), null, ct);
                    made[Evaluation] = record.Id;
                    made[Run] = record.RunId;
                    return ($"evaluation {record.Id[..8]}: {report.Verdict}", made);
                }
            case "gate":
                {
                    var record = await EvaluationAsync(ws, Needs(Evaluation), ct);
                    return record.Passed ? ($"evaluation {record.Id[..8]} passed the gates", made)
                        : throw new TendException(ErrorCode.GateFailed, $"evaluation {record.Id[..8]} failed the gates: {string.Join("; ", record.FailedGates)}");
                }
            case "register":
                {
                    // A run registered before (a cached training's) is that version still, not a copy of it.
                    var runId = Needs(Run);
                    var before = (await ws.Registry.ListAsync(ct, spec.Name)).FirstOrDefault(v => v.RunId == runId);
                    var version = before ?? await ws.Registry.RegisterAsync(await ws.GetRunAsync(runId, ct), ws.Actor, ct);
                    made[ModelVersion] = version.Version.ToString(CultureInfo.InvariantCulture);
                    return ($"{(before is null ? "registered" : $"run {runId[..8]} is registered already, as")} {version.Name}@{version.Version}", made);
                }
            case "promote":
                {
                    var record = await EvaluationAsync(ws, Needs(Evaluation), ct);
                    var registered = await VersionAsync(ws, Needs(ModelVersion), ct);
                    if (registered.Aliases.Contains(ModelRegistry.Champion))
                    {
                        made["promoted"] = "false";
                        return ($"v{registered.Version} is champion already", made);
                    }
                    if (registered.RunId != record.RunId)
                        throw TendException.BadUsage($"step '{step.Name}': evaluation {record.Id[..8]} is of run {record.RunId[..8]}, not of v{registered.Version}'s run {registered.RunId[..8]}");
                    var message = await LifecyclePipeline.PromoteIfBetterAsync(ws, await EvaluateStage.LoadReportAsync(ws, record, ct), registered, made, ct);
                    return (message, made);
                }
            case "deploy":
                {
                    var version = int.Parse(Needs(ModelVersion), CultureInfo.InvariantCulture);
                    var shadow = step.Argument == "shadow";
                    var reason = $"pipeline step '{step.Name}'";
                    var deployment = shadow ? await ws.Deployments.SetAsync(spec.Name, null, null, version, ws.Actor, reason, ct)
                        : await ws.Deployments.SetAsync(spec.Name, version, StepKinds.Percent(step.Argument), null, ws.Actor, reason, ct);
                    return (shadow ? $"v{version} shadows the champion" : $"v{version} is canary on {StepKinds.Percent(step.Argument).ToString(CultureInfo.InvariantCulture)}% of requests", made);
                }
            case "release":
                {
                    var version = int.Parse(Needs(ModelVersion), CultureInfo.InvariantCulture);
                    made["released"] = "false";
                    if ((await VersionAsync(ws, Needs(ModelVersion), ct)).Aliases.Contains(ModelRegistry.Champion))
                        return ($"v{version} is champion already", made);
                    using var releases = new Releases.ReleaseController(ws);
                    try
                    {
                        var release = await releases.StartAsync(spec.Name, version, $"pipeline step '{step.Name}'", automatic: true, ct);
                        (made["release"], made["released"]) = (release.Id, "true");
                        return ($"release {release.Id} of v{version}: {TendJson.Name(release.State)} at {release.Phase}", made);
                    }
                    catch (TendException e) when (e.Code is ErrorCode.Conflict or ErrorCode.NotAllowed or ErrorCode.GateFailed)
                    {
                        return ($"v{version} not released: {e.Message}", made); // a guardrail, not a failure of the pipeline
                    }
                }
            case "monitor":
                {
                    var alerts = new List<string>();
                    var (report, _) = await MonitorStage.RunAndAlertAsync(ws, new MonitorRequest(spec.Monitor.Reference, spec.Monitor.Current), alerts.Add, ct);
                    made["monitor_report"] = report.Id;
                    return ($"report {report.Id[..8]}: {(report.DatasetDrift ? $"dataset drift by {report.Rule}" : "no dataset drift")}" + string.Concat(alerts.Select(a => $"; {a}")), made);
                }
            case "card":
                {
                    var reference = upstream.GetValueOrDefault(ModelVersion) is { } v ? new ModelReference(spec.Name, int.Parse(v, CultureInfo.InvariantCulture), null)
                        : new ModelReference(spec.Name, null, ModelRegistry.Champion);
                    var card = await ModelCard.BuildAsync(ws, reference, ct);
                    var path = Path.Combine(ws.Root, step.Argument);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await File.WriteAllTextAsync(path, ReportMarkdown.Render(card.ToDocument()), ct);
                    made["card"] = step.Argument;
                    return ($"the model card of {card.Lineage.Model.Name}@{card.Lineage.Model.Version} written to {step.Argument}", made);
                }
            default:
                throw new InvalidOperationException($"no stage '{step.Kind}'");
        }
    }

    /// <summary>What a stage reads of what the steps before it made.</summary>
    private static string[] Reads(string kind) => kind switch
    {
        "validate" or "train" or "search" => [Dataset],
        "evaluate" or "register" => [Run],
        "gate" => [Evaluation],
        "promote" => [Evaluation, ModelVersion],
        "deploy" or "release" or "card" => [ModelVersion],
        _ => [],
    };

    /// <summary>Why a dataset version is not fit to use: its errors, each with its column and examples.</summary>
    internal static string Problems(DatasetVersion dataset) => $"{dataset.Source} failed validation: " + string.Join("; ", dataset.Validation!.Errors.Select(e =>
        $"{e.Kind} in column '{e.Column}': {e.Detail}" + (e.Examples is { } examples ? $" ({string.Join(", ", examples)})" : "")));

    private static async Task<EvaluationRecord> EvaluationAsync(Workspace ws, string id, CancellationToken ct) =>
        await ws.Store.Evaluations.GetAsync(id, ct) ?? throw TendException.NotFound($"no evaluation '{id}'");

    private static Task<Core.Domain.ModelVersion> VersionAsync(Workspace ws, string version, CancellationToken ct) =>
        ws.Registry.ResolveAsync(new ModelReference(ws.Spec.Name, int.Parse(version, CultureInfo.InvariantCulture), null), ct);

    private static string Hash(object value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TendJson.Serialize(value))));
}
