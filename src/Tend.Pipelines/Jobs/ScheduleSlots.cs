using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Core.Processes;

namespace Tend.Pipelines.Jobs;

/// <summary>
/// Fires a schedule's slot once however many servers run the schedule: the slot is a job whose id is the slot
/// (<see cref="Job.Slot"/>), which only the first server to reach it adds; that server fires it and ends the job with
/// what the firing said, so the jobs show who fired each slot and how it went.
/// </summary>
public static class ScheduleSlots
{
    /// <summary>Fires the slot due at <paramref name="due"/> unless another server took it; then <paramref name="taken"/>.</summary>
    public static async Task<T> FireOnceAsync<T>(Workspace ws, string schedule, DateTimeOffset due, Func<Task<T>> fire, T taken, CancellationToken ct)
    {
        var jobs = ws.Store.Jobs;
        var slot = Job.Slot(ws.Spec.Name, schedule, due, ws.Actor, ws.Time.GetUtcNow());
        if (!await jobs.AddAsync(slot, ct) || await jobs.BeginAsync(slot.Id, ProcessOwner.Current, ws.Time.GetUtcNow(), ct) is not { } attempt)
            return taken;
        try
        {
            var fired = await fire();
            await jobs.EndAsync(slot.Id, attempt.Fence, TendJson.Serialize(fired?.ToString()), null, ws.Time.GetUtcNow(), CancellationToken.None);
            return fired;
        }
        catch (Exception e)
        {
            var failure = e switch
            {
                TendException known => known,
                OperationCanceledException => new TendException(ErrorCode.Conflict, "cancelled: the server stopped"),
                _ => new TendException(ErrorCode.Unexpected, e.Message),
            };
            await jobs.EndAsync(slot.Id, attempt.Fence, null, failure, ws.Time.GetUtcNow(), CancellationToken.None);
            throw;
        }
    }
}
