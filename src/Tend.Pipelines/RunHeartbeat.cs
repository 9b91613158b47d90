using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Processes;
using Tend.Core.Stores;

namespace Tend.Pipelines;

/// <summary>
/// The heartbeat of a run while the process that runs it lives: beaten when the work starts and every
/// <see cref="Every"/>, naming the process (host, id and start time). A running run whose process is gone — on this
/// host, no process with that id and start time; elsewhere, no beat for <see cref="Lapse"/> — is ended as killed by the
/// next command that looks at runs (<see cref="EndOrphansAsync"/>), so a crash or kill -9 leaves no run running forever.
/// </summary>
public sealed class RunHeartbeat : IAsyncDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(15);

    /// <summary>Eight missed beats: the process on another host is taken for gone.</summary>
    public static readonly TimeSpan Lapse = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _stop;
    private readonly Task _beating;

    private RunHeartbeat(CancellationTokenSource stop, Task beating) => (_stop, _beating) = (stop, beating);

    /// <summary>Saves the run as running with its first beat (<see cref="IRunStore.StartAsync"/>), then beats every <see cref="Every"/> until disposed.</summary>
    public static async Task<RunHeartbeat> StartAsync(IRunStore runs, Run run, TimeProvider time, CancellationToken ct)
    {
        await runs.StartAsync(run, ProcessOwner.Current, time.GetUtcNow(), ct);
        var stop = new CancellationTokenSource();
        var beating = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Every, time);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                    await runs.BeatAsync(run.Id, ProcessOwner.Current, time.GetUtcNow(), stop.Token);
            }
            catch (OperationCanceledException)
            {
                // the run ended
            }
        }, CancellationToken.None);
        return new RunHeartbeat(stop, beating);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _beating;
        _stop.Dispose();
    }

    /// <summary>Ends every running run whose process is gone as killed, saying so; returns them.</summary>
    public static Task<IReadOnlyList<Run>> EndOrphansAsync(IRunStore runs, TimeProvider time, CancellationToken ct) => runs.EndOrphansAsync(Gone(time), ct);

    /// <summary>The running runs whose process is gone, as <see cref="EndOrphansAsync"/> would end them.</summary>
    public static Task<IReadOnlyList<Run>> FindOrphansAsync(IRunStore runs, TimeProvider time, CancellationToken ct) => runs.FindOrphansAsync(Gone(time), ct);

    /// <summary>Why a run's owner is gone, given its last beat; null while it lives.</summary>
    internal static Func<DateTimeOffset, string, string?> Gone(TimeProvider time) => (beat, owner) => Why(owner, beat, time.GetUtcNow()) is { } why
        ? $"its process ({owner}) {why} without ending it; last heartbeat {beat.ToString("u", CultureInfo.InvariantCulture)}" : null;

    private static string? Why(string owner, DateTimeOffset beat, DateTimeOffset now) => ProcessOwner.HasEnded(owner) switch
    {
        true => "ended",
        false => null,
        null => now - beat > Lapse ? $"stopped beating over {Lapse.TotalMinutes:0} minutes ago" : null,
    };
}
