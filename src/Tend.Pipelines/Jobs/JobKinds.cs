using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Pipelines.Stages;

namespace Tend.Pipelines.Jobs;

/// <summary>A training handed to the workers: the dataset version to train on (default: the newest).</summary>
public sealed record TrainJob(string? Dataset);

/// <summary>One trial of a search at one rung, handed to the workers: what it needs to be scored as the search would score it.</summary>
public sealed record TrialJob(string Dataset, int Trials, int Trial, int Rung);

/// <summary>The kinds of jobs, and what each does with its payload: the JSON of its result.</summary>
internal static class JobKinds
{
    public const string Train = "train";
    public const string Trial = "trial";

    public static async Task<string> RunAsync(Workspace ws, Job job, CancellationToken ct)
    {
        switch (job.Kind)
        {
            case Train:
                var run = await TrainStage.RunAsync(ws, TendJson.Deserialize<TrainJob>(job.Payload).Dataset, ct);
                return TendJson.Serialize(run.Id);
            case Trial:
                return TendJson.Serialize(await SearchStage.ScoreTrialAsync(ws, TendJson.Deserialize<TrialJob>(job.Payload), ct));
            default:
                throw new TendException(ErrorCode.InvalidData, $"job {job.Id[..8]} is of kind '{job.Kind}', which this tend does not run; it runs: {Train}, {Trial}");
        }
    }
}
