using System.Globalization;
using System.Text;
using Tend.Core.Domain;
using Tend.Core.Stores;
using Tend.Evaluation;
using Tend.Pipelines.Jobs;
using Tend.Training.Search;
using Tend.Training.Tracking;
using Tend.Training.Trainers;

namespace Tend.Pipelines.Stages;

/// <summary>One row of a search's leaderboard: a trial, the child run that tracked it, and its score at the furthest rung it reached.</summary>
public sealed record LeaderboardEntry(int Rank, int Trial, string RunId, string Trainer, IReadOnlyDictionary<string, double> Params,
    int Rung, int TrainRows, double Score, IReadOnlyList<double> FoldScores, string? Error);

/// <summary>The parent run (its model refit on all training rows and scored on the holdout) and the leaderboard, best first.</summary>
public sealed record SearchResult(Run Run, IReadOnlyList<LeaderboardEntry> Leaderboard, IReadOnlyList<int> Skipped, IReadOnlyList<int> StoppedEarly, int Rungs);

/// <summary>
/// A search of N configurations: a parent run that tracks the search, one child run a trial (its cross-validated score
/// logged at each rung as the metric <c>cv_METRIC</c>, step = rung, with <c>train_rows</c> and <c>fit_seconds</c>), and the best trial's configuration refit on all
/// the training rows (train + validation), scored on the untouched holdout and stored as the parent's model.
/// </summary>
public static class SearchStage
{
    public const string LeaderboardKey = "leaderboard";

    public static async Task<SearchResult> RunAsync(Workspace ws, string? datasetReference, int trials, CancellationToken ct)
    {
        var spec = ws.Spec;
        TrainerCatalog.Check(spec);
        var dataset = await ws.Datasets.GetAsync(datasetReference ?? spec.Name, ct);
        var environment = RunEnvironment.Capture(ws.Root);
        var search = spec.Train.SearchOrDefault;
        var parameters = TrainStage.Params(spec, spec.Trainer);
        parameters["trainer"] = "search";
        parameters["search.trials"] = Text(trials);
        parameters["search.trainers"] = string.Join(",", spec.Train.Trainers.Select(t => t.Name));
        parameters["search.folds"] = Text(search.Folds);
        parameters["search.eta"] = Text(search.Eta);
        var parent = Run.Start(spec.Name, dataset.Reference, parameters, environment, name: "search");
        var cvMetric = $"cv_{spec.Metric.Name}";
        var children = new Dictionary<int, Run>(); // the search reports scores one at a time, in trial order
        SearchResult? result = null;
        await TrainStage.TrackAsync(ws, parent, async () =>
        {
            var data = await TrainingData.LoadAsync(ws, dataset, ct);
            var engine = new HyperparameterSearch(spec, data.Layout, (model, rows) => HoldoutEvaluator.Evaluate(model, rows)[spec.Metric.Name]);
            SearchOutcome outcome;
            try
            {
                outcome = await engine.RunAsync(data.Holdout.Train, trials, async score =>
                {
                    if (score.Rung == 0)
                    {
                        var child = Run.Start(spec.Name, dataset.Reference, TrainStage.Params(spec, score.Trainer), environment, parent.Id, $"trial {score.Number}");
                        if (score.Worker is { } worker)
                            child = child with { Tags = new Dictionary<string, string> { [WorkerTag] = worker } };
                        children[score.Number] = child;
                        await ws.Store.Runs.SaveAsync(child, null, ct);
                        await ws.Store.Runs.BeatAsync(child.Id, Core.Processes.ProcessOwner.Current, ws.Time.GetUtcNow(), ct); // its parent's beats reach it from now on
                    }
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    await ws.Store.Runs.LogAsync(children[score.Number].Id, new RunLog(Metrics:
                    [
                        new MetricBatch(cvMetric, [score.Score], [score.Rung], [now]),
                        new MetricBatch("train_rows", [score.TrainRows], [score.Rung], [now]),
                        new MetricBatch("fit_seconds", [score.Seconds], [score.Rung], [now]),
                    ]), ct);
                }, ct, ws.Jobs is { } jobs ? Elsewhere(ws, jobs, dataset.Reference, trials) : null);
            }
            catch (Exception e)
            {
                // The trials end with the search: killed when it was cancelled, failed when it failed.
                var (status, error) = e is OperationCanceledException ? (RunStatus.Killed, "cancelled") : (RunStatus.Failed, $"the search failed: {e.Message}");
                foreach (var child in children.Values)
                    await ws.Store.Runs.SaveAsync(child.End(status, error), null, CancellationToken.None);
                throw;
            }
            var leaderboard = new List<LeaderboardEntry>();
            foreach (var (score, rank) in outcome.Leaderboard.Select((s, i) => (s, i + 1)))
            {
                var child = (await ws.Store.Runs.GetAsync(children[score.Number].Id, ct))!;
                await ws.Store.Runs.SaveAsync(score.Error is null ? child.End(RunStatus.Finished) : child.End(RunStatus.Failed, score.Error), null, ct);
                leaderboard.Add(new LeaderboardEntry(rank, score.Number, child.Id, score.Trainer.Name, score.Trainer.Options, score.Rung, score.TrainRows,
                    score.Score, score.FoldScores, score.Error));
            }
            var best = outcome.Best;
            var board = await TrainStage.SaveAsync(ws, "leaderboards", ".json", Encoding.UTF8.GetBytes(TendJson.Serialize(leaderboard)), ct);
            var refit = parent with
            {
                Params = new Dictionary<string, string>(TrainStage.Params(spec, best.Trainer).Concat(parameters.Where(p => p.Key.StartsWith("search.", StringComparison.Ordinal))))
                {
                    ["search.best_trial"] = Text(best.Number),
                    ["search.best_run"] = children[best.Number].Id,
                    ["search.rungs"] = Text(outcome.Plan.RungFractions.Count),
                    ["search.skipped"] = Text(outcome.Skipped.Count),
                    ["search.stopped_early"] = Text(outcome.StoppedEarly.Count),
                },
                Artifacts = new Dictionary<string, string> { [LeaderboardKey] = board },
            };
            var run = await TrainStage.FitAsync(ws, refit, data, best.Trainer, ct);
            run = run with { Metrics = new Dictionary<string, double>(run.Metrics) { [cvMetric] = best.Score } };
            result = new SearchResult(run, leaderboard, outcome.Skipped, outcome.StoppedEarly, outcome.Plan.RungFractions.Count);
            return run;
        }, r => $"searched {trials} trials ({result!.Leaderboard.Count} scored); best trial {result.Leaderboard[0].Trial} ({result.Leaderboard[0].Trainer}), refit: {TrainStage.Summary(spec, r)}", ct);
        return result!;
    }

    /// <summary>The tag of a trial's run that names the worker that scored its first rung, when workers scored the trials.</summary>
    public const string WorkerTag = "worker";

    /// <summary>Scores each trial as a job of the workers.</summary>
    private static TrialScorer Elsewhere(Workspace ws, JobDispatch jobs, string dataset, int trials) => async (trial, rung, ct) =>
    {
        var job = await jobs.RunAsync(JobKinds.Trial, ws.Spec.Name, TendJson.Serialize(new TrialJob(dataset, trials, trial.Number, rung)), ws.Actor, ct);
        return TendJson.Deserialize<TrialScore>(job.Result!) with { Worker = job.Owner };
    };

    /// <summary>Scores one trial of a search as the search would (a worker's part of it).</summary>
    internal static async Task<TrialScore> ScoreTrialAsync(Workspace ws, TrialJob job, CancellationToken ct)
    {
        var dataset = await ws.Datasets.GetAsync(job.Dataset, ct);
        var data = await TrainingData.LoadAsync(ws, dataset, ct);
        var engine = new HyperparameterSearch(ws.Spec, data.Layout, (model, rows) => HoldoutEvaluator.Evaluate(model, rows)[ws.Spec.Metric.Name]);
        return engine.ScoreTrial(data.Holdout.Train, job.Trials, job.Trial, job.Rung, ct);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
