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
    private static readonly Option<string?> Data = new("--data") { Description = "A CSV to check the label against and pick the positive class from; copied into the project folder when outside it" };
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
            var data = parsed.GetValue(Data);
            var positive = data is null ? null : PositiveClass(CsvReader.ReadFile(data), data, label, task);
            (string Source, string Target)? copy = data is null ? null : CopyTarget(dir, data); // checked before anything is written
            var name = parsed.GetValue(Name) is { } given ? Names.Check(given, "--name") : Names.From(new DirectoryInfo(dir).Name);
            var yaml = SpecWriter.Render(name, task, label, positive, DefaultBar(task));
            SpecLoader.Parse(yaml, path); // what we write must load
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, yaml);
            if (copy is { } c && c.Source != c.Target)
                File.Copy(c.Source, c.Target);
            var copied = copy?.Target;
            var next = copied is null ? "'tend data add FILE'" : $"'tend data add {Path.GetFileName(copied)}' in {dir}";
            cli.Emit(new { path, name, task = task.ToString().ToLowerInvariant(), label, positive_class = positive, data = copied },
                o => o.MarkupLineInterpolated($"Wrote [bold]{path}[/]{(copied is null ? "" : $" and copied the data to {copied}")}: edit the description and the success bar, then {next}."));
            return System.Threading.Tasks.Task.FromResult(0);
        });
    }

    /// <summary>
    /// Where the data file goes: into the project folder, so the project holds what it was made from and the next commands
    /// name it as they would any file of the project; where it is when already inside. Never over another file.
    /// </summary>
    private static (string Source, string Target) CopyTarget(string dir, string file)
    {
        var source = Path.GetFullPath(file);
        if (source.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return (source, source);
        var target = Path.Combine(dir, Path.GetFileName(source));
        return File.Exists(target) ? throw new TendException(ErrorCode.Conflict, $"{target} already exists; the data is not copied over it") : (source, target);
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
