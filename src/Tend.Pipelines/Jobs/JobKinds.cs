using Microsoft.Extensions.Logging;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Core.Spec;
using Tend.Pipelines.Stages;

namespace Tend.Pipelines.Jobs;

/// <summary>A training handed to the workers: the dataset version to train on (default: the newest).</summary>
public sealed record TrainJob(string? Dataset);

/// <summary>One trial of a search at one rung, handed to the workers: what it needs to be scored as the search would score it.</summary>
public sealed record TrialJob(string Dataset, int Trials, int Trial, int Rung);

/// <summary>A run of a pipeline declared in tend.yaml, handed to the workers: what <see cref="DeclaredPipeline.RunAsync"/> is given.</summary>
/// <param name="Limited">A trigger's run, held to the pipeline's <c>limit:</c>.</param>
public sealed record PipelineJob(string Pipeline, string Trigger, bool UseCache = true, bool Limited = false);

/// <summary>The kinds of jobs, and what each does with its payload: the JSON of its result.</summary>
internal static class JobKinds
{
    public const string Train = "train";
    public const string Trial = "trial";
    public const string Pipeline = "pipeline";

    /// <summary>The project's scheduled monitor (tend.yaml's <c>monitor:</c>); no payload.</summary>
    public const string Monitor = "monitor";

    public static async Task<string> RunAsync(Workspace ws, Job job, ILogger logger, CancellationToken ct)
    {
        switch (job.Kind)
        {
            case Train:
                var run = await TrainStage.RunAsync(ws, TendJson.Deserialize<TrainJob>(job.Payload).Dataset, ct);
                return TendJson.Serialize(run.Id);
            case Trial:
                return TendJson.Serialize(await SearchStage.ScoreTrialAsync(ws, TendJson.Deserialize<TrialJob>(job.Payload), ct));
            case Pipeline:
                var pipeline = TendJson.Deserialize<PipelineJob>(job.Payload);
                return TendJson.Serialize(await DeclaredPipeline.RunAsync(ws, pipeline.Pipeline, pipeline.Trigger, pipeline.UseCache, ct, limited: pipeline.Limited));
            case Monitor:
                return TendJson.Serialize(await MonitorAsync(ws, logger, ct));
            default:
                throw new TendException(ErrorCode.InvalidData,
                    $"job {job.Id[..8]} is of kind '{job.Kind}', which this tend does not run; it runs: {string.Join(", ", Train, Trial, Pipeline, Monitor)}");
        }
    }

    /// <summary>
    /// Compares <c>monitor.current</c> (default: the last 24 hours of traffic) with <c>monitor.reference</c> (default: the
    /// champion's training data), stores the report and checks the alert rules; what became of it. A window without what
    /// it needs is skipped, and says so.
    /// </summary>
    private static async Task<string> MonitorAsync(Workspace ws, ILogger logger, CancellationToken ct)
    {
        try
        {
            var monitor = ws.Spec.Monitor;
            var (report, _) = await MonitorStage.RunAndAlertAsync(ws, new MonitorRequest(monitor.Reference, monitor.Current ?? MonitorSpec.DefaultScheduledWindow),
                line => logger.LogWarning("{Alert}", line), ct);
            var verdict = report.DatasetDrift ? $"dataset drift by {report.Rule}" : "no dataset drift";
            logger.LogInformation("monitor report {Id} of {Project}: {Verdict}", report.Id, ws.Spec.Name, verdict);
            return $"report {report.Id}: {verdict}";
        }
        catch (TendException e) when (e.Code == ErrorCode.NotFound)
        {
            logger.LogInformation("scheduled monitor of {Project} skipped: {Reason}", ws.Spec.Name, e.Message);
            return $"skipped: {e.Message}";
        }
    }
}
