using System.CommandLine;
using Spectre.Console;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;

namespace Tend.Cli.Commands;

internal static class InitCommand
{
    private static readonly Argument<string> Dir = new("dir") { Description = "The project folder to create (or to add tend.yaml to)" };
    private static readonly Option<string> Task = new("--task") { Description = "binary | multiclass | regression", Required = true };
    private static readonly Option<string> Label = new("--label") { Description = "The column to predict", Required = true };
    private static readonly Option<string?> Data = new("--data") { Description = "A CSV to check the label against and pick the positive class from" };
    private static readonly Option<string?> Name = new("--name") { Description = "The project name (default: the folder's name)" };

    public static Command Create(CliConsole console)
    {
        var command = new Command("init", "Write a commented tend.yaml for a new project") { Dir, Task, Label, Data, Name };
        return command.Run(console, (parsed, cli, ct) =>
        {
            var dir = Path.GetFullPath(parsed.GetValue(Dir)!);
            var task = parsed.GetValue(Task) switch
            {
                "binary" => MlTask.Binary,
                "multiclass" => MlTask.Multiclass,
                "regression" => MlTask.Regression,
                var other => throw TendException.BadUsage($"--task '{other}' is not valid; choose one of: binary, multiclass, regression"),
            };
            var label = parsed.GetValue(Label)!;
            var path = Path.Combine(dir, SpecLoader.FileName);
            if (File.Exists(path))
                throw new TendException(ErrorCode.Conflict, $"{path} already exists; edit it, or init another folder");
            var positive = parsed.GetValue(Data) is { } data ? PositiveClass(CsvReader.ReadFile(data), data, label, task) : null;
            var name = parsed.GetValue(Name) is { } given ? Names.Check(given, "--name") : Names.From(new DirectoryInfo(dir).Name);
            var yaml = SpecWriter.Render(name, task, label, positive, DefaultBar(task));
            SpecLoader.Parse(yaml, path); // what we write must load
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, yaml);
            cli.Emit(new { path, name, task = task.ToString().ToLowerInvariant(), label, positive_class = positive },
                o => o.MarkupLineInterpolated($"Wrote [bold]{path}[/]: edit the description and the success bar, then 'tend data add FILE'."));
            return System.Threading.Tasks.Task.FromResult(0);
        });
    }

    /// <summary>A modest default bar, to be raised once the first baseline is known.</summary>
    private static double DefaultBar(MlTask task) => task switch
    {
        MlTask.Binary => 0.75,
        MlTask.Multiclass => 0.7,
        _ => 0.5,
    };

    /// <summary>The rarer of the two label values: the event a binary model usually exists to catch.</summary>
    private static string? PositiveClass(Tend.Data.Tabular.Table table, string file, string label, MlTask task)
    {
        var index = table.IndexOf(label);
        if (index < 0)
            throw TendException.InvalidData($"{file}: no column '{label}' (--label); columns: {string.Join(", ", table.Columns)}");
        if (task != MlTask.Binary)
            return null;
        var counts = table.Column(index).Where(v => v is not null).CountBy(v => v!).OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        return counts.Count == 2 ? counts[0].Key
            : throw TendException.InvalidData($"{file}: a binary task needs exactly 2 values in '{label}'; found {counts.Count}");
    }
}
