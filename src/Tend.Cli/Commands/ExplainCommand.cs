using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Errors;
using Tend.Registry;
using Tend.Serving;
using Tend.Training.Models;

namespace Tend.Cli.Commands;

internal static class ExplainCommand
{
    private static readonly Argument<string> Model = new("model") { Description = "NAME, NAME@VERSION or NAME@ALIAS" };
    private static readonly Argument<FileInfo> Rows = new("rows") { Description = "A JSON file: one object of features, as sent to predict, or an array of them" };
    private static readonly Option<int?> Top = new("--top") { Description = "Show only the N columns that contributed most to each prediction" };

    public const string Units = "raw score: the margin before calibration for binary models (positive favours the positive class), the label's units for regression";

    public static Command Create(CliConsole console) =>
        new Command("explain", "Why a model predicts what it does for given rows: each input column's contribution to the score (tree and linear models)") { Model, Rows, Top }
            .Run(console, async (parsed, cli, ct) =>
            {
                var file = parsed.GetValue(Rows)!;
                await using var tend = await cli.OpenAsync(ct);
                var version = await tend.Get<ModelRegistry>().ResolveAsync(ModelReference.Parse(parsed.GetValue(Model)!), ct);
                using var model = await tend.Get<ModelLoader>().LoadAsync(version, ct);
                var rows = Read(file, await ReadAsync(file, ct), model.Model.Layout);
                var top = parsed.GetValue(Top) ?? int.MaxValue;
                if (top < 1)
                    throw TendException.BadUsage($"--top must be at least 1, got {top}");
                var explained = model.Explain(rows)
                    .Select(r => r with { Contributions = r.Contributions.Take(top).ToList() }).ToList();
                cli.Emit(new { model = $"{version.Name}@{version.Version}", units = Units, rows = explained }, o =>
                {
                    o.MarkupLineInterpolated($"[bold]{version.Name}@{version.Version}[/]: contributions in {Units}");
                    foreach (var (row, i) in explained.Select((r, i) => (r, i)))
                    {
                        var table = new Table().Title($"row {i}: {Markup.Escape(row.Prediction)} (score {Format.Number(row.Score)})").AddColumns("column", "value", "contribution");
                        foreach (var c in row.Contributions)
                            table.AddRow(Markup.Escape(c.Column), Markup.Escape(c.Value ?? "(missing)"), Format.Number(c.Contribution));
                        o.Write(table);
                    }
                });
                return 0;
            });

    /// <summary>The rows as the server would read them, with the file named in any error.</summary>
    private static Data.Tabular.Table Read(FileInfo file, byte[] body, Training.Features.FeatureLayout layout)
    {
        try
        {
            return RequestReader.Read(body, layout).ToTable();
        }
        catch (TendException e)
        {
            throw e.Within(file.Name);
        }
    }

    private static Task<byte[]> ReadAsync(FileInfo file, CancellationToken ct) =>
        file.Exists ? File.ReadAllBytesAsync(file.FullName, ct) : throw TendException.NotFound($"{file.FullName}: no such file");
}
