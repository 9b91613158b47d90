using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Pipelines.Jobs;
using Tend.Pipelines.Stages;

namespace Tend.Cli.Commands;

internal static class TrainCommand
{
    private static readonly Option<string?> Data = new("--data") { Description = "The dataset version to train on (default: the newest of the project's dataset)" };
    private static readonly Option<int?> Search = new("--search")
    {
        Description = "Search N configurations across train.trainers (random search, successive halving, cross-validation); default: train.search.trials when tend.yaml has a search section",
    };

    private static readonly Option<bool> Queue = new("--queue")
    {
        Description = "Hand the training, or each trial of the search, to the workers ('tend worker') of the shared store and wait; on the embedded store this process runs the jobs",
    };

    public static Command Create(CliConsole console) =>
        new Command("train", "Train the spec's model and track the run, or search its hyperparameters") { Data, Search, Queue }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            await using var engine = parsed.GetValue(Queue) ? await JobEngine.StartAsync(tend.Workspace, 0, NullLogger.Instance, ct) : null;
            var ws = engine is null ? tend.Workspace : tend.Workspace.Handing(engine.Dispatch);
            var trials = parsed.GetValue(Search) ?? ws.Spec.Train.Search?.Trials;
            if (trials is < 1)
                throw Core.Errors.TendException.BadUsage($"--search needs at least 1 trial, got {trials}");
            if (trials is { } n)
            {
                var (result, took) = await cli.StepAsync($"Searching {n} configurations of {string.Join(", ", ws.Spec.Train.Trainers.Select(t => t.Name))}{(engine is { Clustered: true } ? ", the trials on the workers" : "")}",
                    () => SearchStage.RunAsync(ws, parsed.GetValue(Data), n, ct));
                var best = result.Leaderboard[0];
                cli.Emit(new
                {
                    run_id = result.Run.Id, status = result.Run.Status, dataset = result.Run.Dataset, metrics = result.Run.Metrics, @params = result.Run.Params,
                    leaderboard = result.Leaderboard, skipped = result.Skipped, stopped_early = result.StoppedEarly, rungs = result.Rungs, seconds = took
                },
                    o =>
                    {
                        o.Write(Views.Leaderboard(result.Leaderboard.Take(10), ws.Spec.Metric.Name));
                        if (result.Skipped.Count > 0)
                            o.MarkupLineInterpolated($"[yellow]{result.Skipped.Count} trials not started: the time budget ran out[/]");
                        if (result.StoppedEarly.Count > 0)
                            o.MarkupLineInterpolated($"{result.StoppedEarly.Count} trials not needed: {ws.Spec.Train.SearchOrDefault.Patience} in a row did not beat the best");
                        o.MarkupLineInterpolated($"Search run [bold]{result.Run.Id}[/] finished in {Format.Seconds(took)}: best trial {best.Trial} ({best.Trainer}), {result.Rungs} rungs, refit on all training rows");
                        o.MarkupLineInterpolated($"holdout: {Format.Metrics(result.Run.Metrics)}");
                    });
                return 0;
            }
            var (run, seconds) = await cli.StepAsync($"Training {ws.Spec.Trainer.Name}{(engine is { Clustered: true } ? " on the workers" : "")}",
                () => ws.Jobs is { } jobs ? jobs.TrainAsync(ws, parsed.GetValue(Data), ct) : TrainStage.RunAsync(ws, parsed.GetValue(Data), ct));
            cli.Emit(new { run_id = run.Id, status = run.Status, dataset = run.Dataset, metrics = run.Metrics, @params = run.Params, seconds },
                o =>
                {
                    o.MarkupLineInterpolated($"Run [bold]{run.Id}[/] finished in {Format.Seconds(seconds)} on {run.Dataset}");
                    o.MarkupLineInterpolated($"holdout: {Format.Metrics(run.Metrics)}");
                });
            return 0;
        });
}
