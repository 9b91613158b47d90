using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tend.Core.Errors;
using Tend.Core.Processes;
using Tend.Execution.Quartz;
using Tend.Pipelines.Jobs;

namespace Tend.Cli.Commands;

internal static class WorkerCommand
{
    public const string Name = "worker";

    /// <summary>How long a worker stopped with Ctrl+C or SIGTERM may take to finish its jobs (deploy/tend-worker.service waits as long).</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromHours(1);

    private static readonly Option<int> Slots = new("--slots")
    {
        Description = $"How many jobs this worker runs at once (default: {ExecutionOptions.DefaultSlots}; a training uses every core it is given)",
        DefaultValueFactory = _ => ExecutionOptions.DefaultSlots,
    };

    private static readonly Option<int?> MaxTrainings = new("--max-trainings")
    {
        Description = "How many trainings may run at once across the whole cluster (default: no limit but the slots); give every worker the same",
    };

    public static Command Create(CliConsole console) =>
        new Command(Name, "Run the jobs handed to the workers of the shared store (trainings, a search's trials, pipeline runs, scheduled monitors) until stopped; SIGTERM lets the running ones finish")
            { Slots, MaxTrainings }.Run(console, async (parsed, cli, ct) =>
        {
            var slots = parsed.GetValue(Slots);
            if (slots < 1)
                throw TendException.BadUsage($"--slots must be at least 1, got {slots}");
            if (parsed.GetValue(MaxTrainings) is < 1 and var most)
                throw TendException.BadUsage($"--max-trainings must be at least 1, got {most}");
            await using var tend = await cli.OpenAsync(ct);
            if (!JobEngine.Shared(tend.Workspace))
                throw TendException.BadUsage("a worker runs the jobs of a shared store, and this one is the embedded SQLite file: set TEND_STORE=postgres://… (each command on the embedded store runs its own jobs)");
            // Logs go to stderr: stdout is the one line that says the worker is ready.
            using var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            await using var engine = await JobEngine.StartAsync(tend.Workspace, slots, logs.CreateLogger("tend.worker"), ct, parsed.GetValue(MaxTrainings));
            cli.Emit(new { worker = ProcessOwner.Current, slots }, o => o.MarkupLineInterpolated($"Worker [bold]{ProcessOwner.Current}[/] runs up to {slots} jobs at once (Ctrl+C stops it once they end)"));
            await cli.Stdout.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // stopped: disposing the engine waits for the jobs it runs
            }
            return 0;
        });
}
