using System.Diagnostics;
using Spectre.Console;
using Tend.Cli.Backends;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Pipelines;

namespace Tend.Cli;

/// <summary>What every command gets: where to write, whether to write JSON, and the workspace it acts on.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, bool json, string? workspace, bool interactive, string? actor = null)
{
    public bool Json { get; } = json;
    public TextWriter Stdout { get; } = stdout;
    public TextWriter Stderr { get; } = stderr;
    public IAnsiConsole Out { get; } = Console(stdout, interactive && !json);
    public IAnsiConsole Err { get; } = Console(stderr, interactive);
    public string? WorkspaceOption { get; } = workspace;

    /// <summary>Progress bars only on a terminal, and never with --json: stdout then holds one JSON document and nothing else.</summary>
    public bool ShowProgress { get; } = interactive && !json;

    /// <summary>The <c>--as</c> actor, when given: who acts, for the audit trail and the four-eyes rule.</summary>
    public string? Actor { get; } = actor is { Length: > 0 } ? actor : null;

    /// <summary>Opens the workspace the command acts on, with its services.</summary>
    public Task<CliSession> OpenAsync(CancellationToken ct) => CliSession.OpenAsync(LocateWorkspace(WorkspaceOption), Actor, ct);

    /// <summary>
    /// What a team command acts on: the server given (<c>--server</c>, else TEND_SERVER unless <c>--workspace</c> is given)
    /// as the signed-in identity, else the local workspace. <c>--as</c> names the machine's user for the embedded store; a server knows who calls from the token.
    /// </summary>
    public async Task<ITend> ConnectAsync(string? server, CancellationToken ct)
    {
        if (server is not null && WorkspaceOption is not null)
            throw TendException.BadUsage("--server and --workspace name two places to act on; give one");
        if (WorkspaceOption is null)
            server ??= Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } named ? named : null;
        if (server is null)
            return new LocalTend(await OpenAsync(ct));
        if (Actor is not null)
            throw TendException.BadField("as", $"--as names who acts on the local store only; on a server you act as the identity you signed in with ('tend login {server}'), so a second person approves with their own token");
        var address = Credentials.Server(server);
        return ServerTend.Connect(address, Credentials.TokenFor(address));
    }

    public const string ServerVariable = "TEND_SERVER";

    /// <summary>The given folder, else the nearest folder upward from the current one that holds tend.yaml.</summary>
    public static string LocateWorkspace(string? folder)
    {
        if (folder is not null)
            return Path.GetFullPath(folder);
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SpecLoader.FileName)))
                return dir.FullName;
        throw TendException.NotFound($"no {SpecLoader.FileName} in {Environment.CurrentDirectory} or any folder above it; run 'tend init DIR' or pass --workspace DIR");
    }

    /// <summary>Writes the result: the JSON document with --json, else the human view.</summary>
    public void Emit(object document, Action<IAnsiConsole> human)
    {
        if (Json)
            Stdout.WriteLine(TendJson.Serialize(document));
        else
            human(Out);
    }

    /// <summary>Runs one step under a progress bar on stderr (on a terminal), and returns how long it took.</summary>
    public Task<(T Result, double Seconds)> StepAsync<T>(string label, Func<Task<T>> work) => StepAsync(label, _ => work());

    /// <summary>As <see cref="StepAsync{T}(string, Func{Task{T}})"/>, for work that reports the fraction done (0 to 1); the bar fills as it does.</summary>
    public async Task<(T Result, double Seconds)> StepAsync<T>(string label, Func<IProgress<double>, Task<T>> work)
    {
        var watch = Stopwatch.StartNew();
        if (!ShowProgress)
            return (await work(new FractionDone(_ => { })), watch.Elapsed.TotalSeconds);
        T result = default!;
        await Err.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(label)).IsIndeterminate();
                result = await work(new FractionDone(fraction => task.IsIndeterminate(false).Value(fraction * task.MaxValue)));
                task.IsIndeterminate(false).Value(task.MaxValue);
            });
        return (result, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Reports progress on the caller's thread (System.Progress would post it to a synchronization context).</summary>
    private sealed class FractionDone(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private static IAnsiConsole Console(TextWriter writer, bool ansi)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = ansi ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!ansi)
            console.Profile.Width = 200;
        return console;
    }
}
