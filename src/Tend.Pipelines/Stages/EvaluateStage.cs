using System.Text;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Registry;
using Tend.Training.Models;

namespace Tend.Pipelines.Stages;

/// <summary>
/// Evaluates a run's model (or a registered version's) on rows it never trained on: its own holdout (the same data
/// version, split and seed), or the rows of another version or CSV file less those it trained on. Compares it with the
/// champion on the rows neither trained on, checks the gates, and stores the evaluation with its full report.
/// </summary>
public static class EvaluateStage
{
    public const string ReportFolder = "evaluations";

    public static async Task<(EvaluationReport Report, EvaluationRecord Record)> RunAsync(Workspace ws, string target, string? data, CancellationToken ct)
    {
        var (run, subject) = await ResolveAsync(ws, target, ct);
        var artifact = run.Artifacts["model"];
        var modelBytes = await ReadAllAsync(ws, artifact, ct);
        using var model = ModelPackage.Load(new MemoryStream(modelBytes));
        var (rows, dataName, note) = await RowsAsync(ws, run, data, model.Layout.Label, ct);
        var champion = await ChampionAsync(ws, run, rows, ct);
        using var championModel = champion?.Model;
        var report = Evaluator.Evaluate(new EvaluationSubject(subject, run.Id, model, modelBytes.Length, rows, dataName, note), ws.Spec, champion);

        var id = Guid.NewGuid().ToString("N");
        var reportPath = await TrainStage.SaveAsync(ws, ReportFolder, ".json", Encoding.UTF8.GetBytes(TendJson.Serialize(report)), ct);
        var record = new EvaluationRecord(id, run.Id, subject, dataName, DateTimeOffset.UtcNow, ws.Actor, report.Passed, report.Metrics,
            report.Gates.Where(g => !g.Passed).Select(g => g.Reason).ToList(), champion?.Version, reportPath);
        await ws.Store.Evaluations.AddAsync(record, new AuditEntry(ws.Actor, "evaluation.add", subject, $"on {dataName}: {report.Verdict}", After: TendJson.Serialize(record)), ct);
        return (report, record);
    }

    /// <summary>The full report of a stored evaluation.</summary>
    public static Task<EvaluationReport> LoadReportAsync(Workspace ws, EvaluationRecord record, CancellationToken ct) =>
        ws.Artifacts.ReadAsync<EvaluationReport>(record.Report, ct);

    /// <summary>A run id (or prefix), or a model reference NAME@VERSION / NAME@ALIAS.</summary>
    private static async Task<(Run Run, string Subject)> ResolveAsync(Workspace ws, string target, CancellationToken ct)
    {
        if (target.Contains('@'))
        {
            var version = await ws.Registry.ResolveAsync(ModelReference.Parse(target), ct);
            return (await ws.GetRunAsync(version.RunId, ct), $"{version.Name}@{version.Version}");
        }
        var run = await ws.GetRunAsync(target, ct);
        if (run.Status != RunStatus.Finished || !run.Artifacts.ContainsKey("model"))
            throw new TendException(ErrorCode.Conflict, $"run {run.Id} is {run.Status.ToString().ToLowerInvariant()}{(run.Artifacts.ContainsKey("model") ? "" : " without a model")}; only a finished run with a model can be evaluated");
        return (run, $"run {run.Id[..8]}");
    }

    private static async Task<(Table Rows, string Data, string Note)> RowsAsync(Workspace ws, Run run, string? data, string label, CancellationToken ct)
    {
        if (data is null)
        {
            var holdoutOf = await ws.Datasets.GetAsync(ModelImport.DataOf(run.Dataset, ws), ct);
            var (_, test) = HoldoutSplit.Split(await ws.Datasets.LoadAsync(holdoutOf, ct), ws.Spec);
            var labelled = ScoredRows.LabelledRows(test, label);
            var caveat = run.Dataset.Length > 0 ? "which the model never trained on" : "though the imported model's training data is not known, so it may have seen these rows";
            return (labelled, holdoutOf.Reference, $"the holdout of {holdoutOf.Reference} (seed {ws.Spec.Split.Seed}), {caveat}" + Dropped(test, labelled));
        }
        var version = File.Exists(data) ? null : await ws.Datasets.GetAsync(data, ct);
        var table = version is null ? CsvReader.ReadFile(data) : await ws.Datasets.LoadAsync(version, ct);
        var unseen = await WithoutRowsTrainedOnAsync(ws, table, run.Dataset, ct);
        var rows = ScoredRows.LabelledRows(unseen, label);
        var name = version?.Reference ?? Path.GetFileName(data);
        return (rows, name, $"{table.Rows.Count} rows of {name}; {table.Rows.Count - unseen.Rows.Count} left out because the model trained on them" + Dropped(unseen, rows));
    }

    private static string Dropped(Table before, Table after) =>
        before.Rows.Count == after.Rows.Count ? "" : $"; {before.Rows.Count - after.Rows.Count} without a label left out";

    /// <summary>The current champion, unless it is the model being evaluated, with the evaluation rows it did not train on.</summary>
    private static async Task<ChampionSubject?> ChampionAsync(Workspace ws, Run run, Table rows, CancellationToken ct)
    {
        if (await ws.Store.Models.GetAliasAsync(ws.Spec.Name, ModelRegistry.Champion, ct) is not { } alias)
            return null;
        var champion = (await ws.Store.Models.GetAsync(ws.Spec.Name, alias.Version, ct))!;
        if (champion.RunId == run.Id)
            return null;
        var model = (await ws.Models.LoadAsync(champion, ct)).Model; // disposed by the caller
        return new ChampionSubject(champion.Version, model, await WithoutRowsTrainedOnAsync(ws, rows, champion.Dataset, ct));
    }

    /// <summary>
    /// Drops the rows a model was trained on: its data version, split again with the same seed, each row known by the
    /// hash of its cells in that version's column order (so a file with its columns in another order matches too).
    /// </summary>
    internal static async Task<Table> WithoutRowsTrainedOnAsync(Workspace ws, Table rows, string trainedOn, CancellationToken ct)
    {
        if (trainedOn.Length == 0)
            return rows; // an imported model: what it trained on is not known
        var (train, _) = HoldoutSplit.Split(await ws.Datasets.LoadAsync(await ws.Datasets.GetAsync(trainedOn, ct), ct), ws.Spec);
        var seen = train.Rows.Select(r => RowKey.Of(r, -1)).ToHashSet(StringComparer.Ordinal);
        var positions = train.Columns.Select(rows.IndexOf).ToArray();
        if (positions.Any(p => p < 0))
            return rows; // columns the training data had are missing: no row can be one it trained on
        return new Table(rows.Columns, rows.Rows.Where(r => !seen.Contains(RowKey.Of(positions.Select(p => r[p]).ToArray(), -1))).ToList());
    }

    private static async Task<byte[]> ReadAllAsync(Workspace ws, string path, CancellationToken ct)
    {
        await using var stream = await ws.Artifacts.GetAsync(path, ct);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
