using System.CommandLine;
using Tend.Cli.Backends;
using Tend.Cli.Commands;
using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Cli;

/// <summary>The <c>tend</c> command: global options, the command tree, and one error path that maps every failure to its exit code.</summary>
public static class TendCli
{
    internal static readonly Option<string?> WorkspaceOption = new("--workspace") { Description = "The project folder (default: the nearest folder upward holding tend.yaml)", Recursive = true };
    internal static readonly Option<string?> ActorOption = new("--as") { Description = "Who acts, for the audit trail and the four-eyes rule (default: TEND_USER, else the OS user)", Recursive = true };
    internal static readonly Option<string?> ServerOption = new("--server") { Description = $"Act on this Tend server as the identity signed in with 'tend login' (default: {CliContext.ServerVariable}; without either, the local workspace)" };
    internal static readonly Option<bool> JsonOption = new("--json") { Description = "Print exactly one JSON document on stdout", Recursive = true };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false, CancellationToken ct = default)
    {
        var parsed = Root(new CliConsole(stdout, stderr, interactive)).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                await stderr.WriteLineAsync($"error: {error.Message}");
            if (args.Contains(ServerOption.Name) && parsed.CommandResult.Command.Options.All(o => o != ServerOption))
                await stderr.WriteLineAsync($"'{parsed.CommandResult.Command.Name}' acts on a local workspace; --server is for the team commands (docs/security.md lists them)");
            await stderr.WriteLineAsync("run 'tend --help' for usage");
            return ErrorCode.BadUsage.ExitCode();
        }
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        if (parsed.CommandResult.Command.Name == WorkerCommand.Name)
            configuration.ProcessTerminationTimeout = WorkerCommand.StopGrace; // not the 2 s every other command gets to unwind after Ctrl+C or SIGTERM
        return await parsed.InvokeAsync(configuration, ct);
    }

    /// <summary>What is wrong with a command line (an unknown command or option, a missing argument), without running it: none when Tend would run it.</summary>
    public static IReadOnlyList<string> ParseErrors(IReadOnlyList<string> args) =>
        Root(new CliConsole(TextWriter.Null, TextWriter.Null, false)).Parse(args).Errors.Select(e => e.Message).ToList();

    private static RootCommand Root(CliConsole console)
    {
        var root = new RootCommand("Tend: the whole machine-learning lifecycle for .NET, from tend.yaml to a served, monitored, retrained model.");
        root.Options.Add(WorkspaceOption);
        root.Options.Add(JsonOption);
        root.Options.Add(ActorOption);
        foreach (var command in new[]
                 {
                     InitCommand.Create(console), DataCommands.Create(console), TrainCommand.Create(console), RunsCommands.Create(console),
                     EvaluateCommand.Create(console), ModelsCommands.Create(console), ServeCommand.Create(console), WorkerCommand.Create(console), MonitorCommands.Create(console),
                     PipelineCommands.Create(console), ProjectsCommands.Create(console), AuditCommand.Create(console), QuickstartCommand.Create(console), TrainersCommand.Create(console), LineageCommand.Create(console), ExplainCommand.Create(console), PredictCommand.Create(console), FeedbackCommand.Create(console), DeployCommands.Create(console), ReleaseCommands.Create(console), AlertsCommands.Create(console), DoctorCommand.Create(console), AccessCommands.Tokens(console), AccessCommands.Access(console), LoginCommands.Login(console), LoginCommands.Logout(console),
                 })
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Binds a command's work; a <see cref="TendException"/> becomes one line on stderr (and a JSON error with --json) and its exit code.</summary>
    internal static Command Run(this Command command, CliConsole console, Func<ParseResult, CliContext, CancellationToken, Task<int>> work)
    {
        command.SetAction(async (parsed, ct) =>
        {
            var context = new CliContext(console.Stdout, console.Stderr, parsed.GetValue(JsonOption), parsed.GetValue(WorkspaceOption), console.Interactive,
                parsed.GetValue(ActorOption));
            try
            {
                return await work(parsed, context, ct);
            }
            catch (TendException e)
            {
                return Fail(context, e.Code, Phrase(e));
            }
            catch (OperationCanceledException)
            {
                return Fail(context, ErrorCode.Unexpected, "cancelled");
            }
            catch (Exception e) when (Environment.GetEnvironmentVariable("TEND_DEBUG") is null)
            {
                return Fail(context, ErrorCode.Unexpected, $"unexpected failure: {e.GetType().Name}: {e.Message} (set TEND_DEBUG=1 for the stack trace)");
            }
        });
        return command;
    }

    /// <summary>Binds a team command: one that acts on the local workspace or, with <c>--server</c> or TEND_SERVER, on a Tend server, written once against <see cref="ITend"/>.</summary>
    internal static Command Team(this Command command, CliConsole console, Func<ParseResult, CliContext, ITend, CancellationToken, Task<int>> work)
    {
        command.Options.Add(ServerOption);
        return command.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.ConnectAsync(parsed.GetValue(ServerOption), ct);
            return await work(parsed, cli, tend, ct);
        });
    }

    /// <summary>An error as a CLI user reads it: the input it concerns named as the option that sets it (<c>--on-bad-lines skip</c>).</summary>
    internal static string Phrase(TendException e) => e.Field is not { } field ? e.Message
        : $"{e.Message} (--{field.Replace('_', '-')}{(e.Choices.Count > 0 ? " " + string.Join("|", e.Choices) : "")})";

    internal static int Fail(CliContext context, ErrorCode code, string message)
    {
        context.Stderr.WriteLine($"error: {message}");
        if (context.Json)
            context.Stdout.WriteLine(TendJson.Serialize(new { error = new { code = code.ToString(), exit_code = code.ExitCode(), message } }));
        return code.ExitCode();
    }
}
