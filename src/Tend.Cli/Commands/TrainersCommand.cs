using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tend.Training.Trainers;

namespace Tend.Cli.Commands;

internal static class TrainersCommand
{
    public static Command Create(CliConsole console) =>
        new Command("trainers", "The trainers for each task, and the hyperparameters a search varies (ML.NET's defaults otherwise)").Run(console, (_, cli, _) =>
        {
            var trainers = TrainerCatalog.All.Select(t => new
            {
                task = t.Task.ToString().ToLowerInvariant(), name = t.Name, description = t.Description, scaled_features = t.Linear,
                non_negative_labels = t.NonNegativeLabels, defaults = t.Defaults, search_space = t.Space,
            }).ToList();
            cli.Emit(new { trainers }, o =>
            {
                var table = new Table().AddColumns("task", "trainer", "what", "hyperparameter: default, searched range");
                foreach (var t in TrainerCatalog.All)
                    table.AddRow(t.Task.ToString().ToLowerInvariant(), t.Name, Markup.Escape(t.Description),
                        Markup.Escape(string.Join("\n", t.Space.Select(p => $"{p.Name}: {(t.Defaults[p.Name] is { } d ? N(d) : "auto")}, {Range(p)}"))));
                o.Write(table);
            });
            return Task.FromResult(0);
        });

    public static string Range(ParamRange p) =>
        $"{N(p.Min)}–{N(p.Max)}{(p.Log ? " (log)" : "")}{(p.Integer ? ", whole" : "")}";

    private static string N(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
