using System.Security.Cryptography;
using System.Text;
using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Core.Execution;

/// <summary>Where a job is: waiting for a process, run by one, or ended.</summary>
public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// One piece of work handed to whichever process runs jobs (a training, a search's trial): its kind and what it needs
/// (<see cref="Payload"/>, JSON), and how it went. Each attempt to run it takes the next <see cref="Fence"/>; only the
/// latest attempt may write, so a job run twice (a node taken for dead that was only slow) yields one result.
/// </summary>
/// <param name="Actor">Who handed the job out: the attempt acts as them.</param>
/// <param name="Owner">The process of the latest attempt (host:pid:start).</param>
/// <param name="Result">What the job made (JSON), once it succeeded.</param>
/// <param name="Error">Why it failed; <paramref name="Code"/> says what kind of failure, as the work threw it.</param>
/// <param name="CancelledBy">Who asked to cancel it: a queued job ends at once, a running attempt is cancelled within <see cref="CancelPoll"/>.</param>
public sealed record Job(string Id, string Kind, string Project, string Payload, string Actor, JobState State, long Fence, string? Owner,
    DateTimeOffset Created, DateTimeOffset? Started = null, DateTimeOffset? Ended = null, string? Result = null, string? Error = null,
    ErrorCode? Code = null, string? CancelledBy = null)
{
    public bool HasEnded => State is JobState.Succeeded or JobState.Failed;

    /// <summary>How often a running attempt looks whether someone asked to cancel its job.</summary>
    public static readonly TimeSpan CancelPoll = TimeSpan.FromSeconds(2);

    /// <summary>The failure a job ended with, as the work threw it: what a caller waiting for the job throws in turn.</summary>
    public TendException? Failure => State == JobState.Failed ? new TendException(Code ?? ErrorCode.Unexpected, $"job {Id[..8]} ({Kind} of {Project}) failed: {Error}") : null;

    public static Job Queue(string kind, string project, string payload, string actor, DateTimeOffset now) =>
        new(Guid.NewGuid().ToString("N"), kind, project, payload, actor, JobState.Queued, 0, null, now);

    /// <summary>The kind of a schedule's slot (<see cref="Slot"/>).</summary>
    public const string ScheduleKind = "schedule";

    /// <summary>
    /// One slot of a schedule as a job whose id is the slot itself (the project, the schedule's name and the time it is due
    /// at), so however many servers run the schedule, one adds the job and fires the slot.
    /// </summary>
    public static Job Slot(string project, string schedule, DateTimeOffset due, string actor, DateTimeOffset now)
    {
        var slot = new ScheduleSlot(schedule, due.ToUniversalTime());
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{project}\n{TendJson.Serialize(slot)}")))[..32];
        return new Job(id, ScheduleKind, project, TendJson.Serialize(slot), actor, JobState.Queued, 0, null, now);
    }
}
