using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tend.Cli.Commands;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Data.Versions;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;
using Tend.Registry;
using Tend.Server;
using Tend.Serving;

namespace Tend.Cli.Quickstart;

/// <summary>
/// The whole lifecycle on the spam data, stage by stage, each timed and summarised with its key figures.
/// Disposing it stops the server it started and closes the workspace.
/// </summary>
internal sealed class QuickstartRun(CliContext cli, string dir) : IAsyncDisposable
{
    private const string Name = "spam";
    private readonly List<QuickstartStage> _stages = [];
    private CliSession? _session;
    private string? _runId;
    private IReadOnlyList<TrafficReplay.Sent> _sent = [];
    private bool _drift;

    public string Dir { get; } = dir;

    /// <summary>The server, still running, once the serve stage has started it.</summary>
    public WebApplication? Server { get; private set; }

    public string? Url { get; private set; }

    /// <summary>The token its traffic sends and a person signs in to the web UI with: the store's first admin's, made here (or TEND_ADMIN_TOKEN).</summary>
    public string? Token { get; private set; }

    /// <summary>Runs every stage until one fails.</summary>
    public async Task<IReadOnlyList<QuickstartStage>> RunAsync(CancellationToken ct)
    {
        PrepareFolder();
        var data = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "samples", "spam", "spam.csv"));
        var (history, heldBack) = SpamScenario.Split(data);

        await StageAsync("define", "Writing tend.yaml", () =>
        {
            File.WriteAllText(Path.Combine(Dir, SpecLoader.FileName), SpecWriter.Render(Name, MlTask.Binary, SpamScenario.Label, SpamScenario.PositiveClass, 0.95,
                "Flags e-mail as spam before it reaches the inbox; a missed spam costs less than a lost real mail."));
            return Task.FromResult("binary task, label 'type', positive class 'spam', success: auc >= 0.95");
        });
        var tend = _session = await CliSession.OpenAsync(Dir, cli.Actor, ct);
        var ws = tend.Workspace;
        _ = await StageAsync("ingest", "Ingesting the history", async () =>
            {
                var ingest = await tend.Get<DatasetCatalog>().AddAsync(Name, history, "samples/spam/spam.csv (60 % history, seed 7)", ws.Actor, ct);
                return $"{ingest.Version.Reference}: {history.Rows.Count} rows × {history.Columns.Count} columns, {SpamScenario.SpamShare(history):P0} spam; {heldBack.Rows.Count} rows held back";
            })
            && await StageAsync("train", "Training v1", async () =>
            {
                var run = await TrainStage.RunAsync(ws, null, ct);
                _runId = run.Id;
                return $"run {run.Id[..8]}: lightgbm on {run.Params["train_rows"]} rows; holdout auc {F(run.Metrics["auc"])}, f1 {F(run.Metrics["f1"])}";
            })
            && await StageAsync("evaluate", "Evaluating v1", async () =>
            {
                var (evaluation, _) = await EvaluateStage.RunAsync(ws, _runId!, null, ct);
                return evaluation.Passed ? $"gates passed ({string.Join("; ", evaluation.Gates.Select(g => g.Reason))}); auc 95% interval [{F(evaluation.Interval.Low)}, {F(evaluation.Interval.High)}], accuracy {F(evaluation.Metrics["accuracy"])}, log-loss {F(evaluation.Metrics["log_loss"])}"
                    : throw new TendException(ErrorCode.GateFailed, evaluation.Verdict);
            })
            && await StageAsync("register", "Registering and promoting v1", async () =>
            {
                var run = await tend.Get<RunService>().GetAsync(_runId!, ct);
                var version = await tend.Get<ModelRegistry>().RegisterAsync(run, ws.Actor, ct);
                await tend.Get<ModelRegistry>().PromoteAsync(Name, version.Version, ModelRegistry.Champion, "quickstart: first model to pass the gates", ws.Actor, ct);
                return $"{Name}@{version.Version} registered and promoted to champion (audited)";
            })
            && await StageAsync("serve", "Starting the server", async () =>
            {
                var access = tend.Get<AccessService>();
                var given = ServeCommand.GivenAdminToken;
                Token = await access.EnsureAdminAsync(given, ServeCommand.AdminTokenVariable, ct) ?? given
                    ?? (await access.CreateTokenAsync(new TokenRequest("quickstart", AccessService.FirstAdmin, Days: 1), ws.Actor, ct)).Secret;
                (Server, Url) = await TendServer.StartAsync(ws, ServeCommand.DefaultHost, 0, ct);
                return $"{Url}/v1/models/{Name}/predict";
            })
            && await StageAsync("traffic", "Replaying held-back mail as traffic", async progress =>
            {
                using var http = new HttpClient { BaseAddress = new Uri(Url!) };
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
                var dataset = await tend.Get<DatasetCatalog>().GetAsync(Name, ct);
                var replay = new TrafficReplay(http, Name, dataset.Schema);
                var campaign = SpamScenario.Campaign(heldBack);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                _sent = await replay.SendAsync(campaign, SpamScenario.Label, progress, ct);
                var rate = _sent.Count / watch.Elapsed.TotalSeconds;
                await replay.SendFeedbackAsync(_sent.Where((_, i) => i % SpamScenario.FeedbackOneIn == 0), ct);
                return $"{_sent.Count} single-row requests ({rate:0} req/s, {TrafficReplay.Concurrency} clients); simulated spam campaign: {SpamScenario.SpamShare(campaign):P0} spam vs {SpamScenario.SpamShare(history):P0} in training; feedback for {(_sent.Count + 1) / 2} rows";
            })
            && await StageAsync("monitor", "Monitoring the served traffic", async () =>
            {
                await Server!.Services.GetRequiredService<PredictionLog>().FlushAsync(ct);
                var report = await MonitorStage.RunAsync(ws, null, null, ct);
                _drift = report.DatasetDrift;
                var live = (report.PredictionDrift is { Drifted: true } ? "; predictions drifted too" : "; predictions stable")
                    + (report.Performance is { } p ? $"; live {p.Metric} {F(p.Value)} on {p.RowsWithFeedback} rows with feedback" : "");
                return $"{(report.DatasetDrift ? "dataset drift detected" : "no dataset drift")}: {report.Features.Count(f => f.Drifted)} of {report.Features.Count} features drifted ({report.Features[0].Statistic}, corrected p ≤ {F(ws.Spec.Monitor.PValue)}; rule {report.Rule}){live}";
            })
            && await StageAsync("retrain", "Collecting the feedback as data and running the pipeline", async () =>
            {
                var collected = await CollectStage.RunAsync(ws, null, null, append: true, ct); // the history plus the served rows whose ground truth came back
                var result = await LifecyclePipeline.RunAsync(ws, null, null, _drift ? "alert" : "manual", ct);
                if (result.Failure is { } failure)
                    throw new TendException(failure, result.Run.Message);
                var o = result.Run.Outputs;
                return $"{collected.Labelled} served rows with feedback appended ({collected.Unlabelled} still without); v{o["model_version"]} trained on {result.Run.Outputs["dataset"]}; on {o.GetValueOrDefault("holdout_rows", "?")} unseen holdout rows auc {o.GetValueOrDefault("challenger_auc", "?")} (v{o["model_version"]}) vs {o.GetValueOrDefault("champion_auc", "?")} (v1): " +
                       (o["promoted"] == "true" ? $"v{o["model_version"]} promoted" : "v1 stays champion") + $" (promote: {o["promote_rule"]})";
            });
        return _stages;
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        if (_session is not null)
            await _session.DisposeAsync();
    }

    /// <summary>Runs one stage under a progress bar; a failure ends the quickstart with that stage marked failed.</summary>
    private Task<bool> StageAsync(string name, string label, Func<Task<string>> work) => StageAsync(name, label, _ => work());

    private async Task<bool> StageAsync(string name, string label, Func<IProgress<double>, Task<string>> work)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var (summary, _) = await cli.StepAsync<string>(label, work);
            _stages.Add(new QuickstartStage(name, "ok", watch.Elapsed.TotalSeconds, summary));
            return true;
        }
        catch (Exception e) when (e is TendException or HttpRequestException)
        {
            _stages.Add(new QuickstartStage(name, "failed", watch.Elapsed.TotalSeconds, e is TendException t ? TendCli.Phrase(t) : e.Message));
            return false;
        }
    }

    /// <summary>The quickstart owns its folder: it starts afresh in an earlier quickstart's folder and refuses any other non-empty one.</summary>
    private void PrepareFolder()
    {
        if (Directory.Exists(Dir) && Directory.EnumerateFileSystemEntries(Dir).Any())
        {
            if (!File.Exists(Path.Combine(Dir, "data", "collected.csv")) && !File.Exists(Path.Combine(Dir, SpecLoader.FileName)))
                throw new TendException(ErrorCode.Conflict, $"{Dir} exists and is not empty; pass --dir with a new folder");
            if (File.Exists(Path.Combine(Dir, SpecLoader.FileName)) && !File.ReadAllText(Path.Combine(Dir, SpecLoader.FileName)).Contains($"name: {Name}\n", StringComparison.Ordinal))
                throw new TendException(ErrorCode.Conflict, $"{Dir} holds another project; pass --dir with a new folder");
            Directory.Delete(Dir, recursive: true);
        }
        Directory.CreateDirectory(Dir);
    }

    private static string F(double value) => Figures.Number(value);
}
