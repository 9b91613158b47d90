using Spectre.Console;
using Spectre.Console.Rendering;
using Tend.Core.Domain;

namespace Tend.Cli.Rendering;

/// <summary>The human views of Tend's records: tables for lists, panels for one thing.</summary>
internal static partial class Views
{
    public static IRenderable Datasets(IEnumerable<DatasetVersion> versions)
    {
        var table = new Table().AddColumns("dataset", "rows", "columns", "added", "source");
        foreach (var v in versions)
            table.AddRow(Markup.Escape(v.Reference), v.Rows.ToString(), v.Columns.ToString(), Format.Time(v.Created), Markup.Escape(v.Source));
        return table;
    }

    public static void Dataset(IAnsiConsole o, DatasetVersion v)
    {
        o.MarkupLineInterpolated($"[bold]{v.Reference}[/]  {v.Rows} rows × {v.Columns} columns, added {Format.Time(v.Created)} by {v.Actor} from {v.Source}");
        o.MarkupLineInterpolated($"version {v.Version}, schema revision {v.Schema.Revision}, {v.Profile.DuplicateRows} duplicate rows");
        if (v.Parent is { } parent)
            o.MarkupLineInterpolated($"parent {parent[..12]}, {v.AddedRows} rows added");
        var table = new Table().AddColumns("column", "type", "missing", "distinct", "min", "p50", "mean", "max", "std", "label assoc.", "top values / text length");
        foreach (var c in v.Profile.Columns)
            table.AddRow(Markup.Escape(c.Name), c.Type.Text(), c.Missing.ToString(), (c.DistinctExact ? "" : "≈") + c.Distinct,
                N(c.Min), N(c.Quantiles?.GetValueOrDefault("p50")), N(c.Mean), N(c.Max), N(c.Std),
                c.LabelAssociation is { } a ? $"{N(a.Value)} ({a.Method})" : "",
                Markup.Escape(c.TextLength is { } t ? $"{t.Min}–{t.Max} chars, mean {t.Mean:0.#}" : string.Join(", ", (c.TopValues ?? []).Take(4).Select(t => $"{t.Value} ({t.Count})"))));
        o.Write(table);
        Anomalies(o, v.Validation);
    }

    public static IRenderable Runs(IEnumerable<Run> runs, string metric)
    {
        var table = new Table().AddColumns("run", "name", "parent", "status", metric, "trainer", "dataset", "started", "seconds");
        foreach (var r in runs)
            table.AddRow(r.Id[..8], Markup.Escape(r.Name), r.Parent.Length > 0 ? r.Parent[..8] : "", r.Status.ToString().ToLowerInvariant(), Format.Number(r.Metrics.GetValueOrDefault(metric, double.NaN)),
                Markup.Escape(r.Params.GetValueOrDefault("trainer", "")), Markup.Escape(r.Dataset), Format.Time(r.Started),
                r.Ended is { } end ? Format.Number((end - r.Started).TotalSeconds) : "");
        return table;
    }

    public static IRenderable Leaderboard(IEnumerable<Tend.Pipelines.Stages.LeaderboardEntry> entries, string metric)
    {
        var table = new Table().AddColumns("rank", "trial", "trainer", $"cv {metric}", "rung", "rows", "params", "run");
        foreach (var e in entries)
            table.AddRow(e.Rank.ToString(), e.Trial.ToString(), Markup.Escape(e.Trainer), e.Error is null ? Format.Number(e.Score) : "[red]failed[/]",
                e.Rung.ToString(), e.TrainRows.ToString(), Markup.Escape(string.Join(" ", e.Params.Select(p => $"{p.Key}={Format.Number(p.Value)}"))), e.RunId[..8]);
        return table;
    }

    public static IRenderable History(MetricHistory h)
    {
        var table = new Table().AddColumns("step", h.Key).AddColumns(h.Downsampled ? ["min", "max"] : []).AddColumn("time");
        foreach (var p in h.Points)
            table.AddRow([p.Step.ToString(), Format.Number(p.Value), .. h.Downsampled ? new[] { Format.Number(p.Min), Format.Number(p.Max) } : [],
                DateTimeOffset.FromUnixTimeMilliseconds(p.Timestamp).ToString("yyyy-MM-dd HH:mm:ss.fff")]);
        table.Caption = new TableTitle(h.Downsampled ? $"{h.Count} values, shown as {h.Points.Count} step ranges (their mean, min and max)" : $"{h.Count} values");
        return table;
    }

    public static void Run(IAnsiConsole o, Run r)
    {
        o.MarkupLineInterpolated($"[bold]run {r.Id}[/] {r.Name}  {r.Status.ToString().ToLowerInvariant()}, started {Format.Time(r.Started)}, data {r.Dataset}");
        if (r.Parent.Length > 0)
            o.MarkupLineInterpolated($"part of run {r.Parent}");
        if (r.Error is { } error)
            o.MarkupLineInterpolated($"[red]error:[/] {error}");
        if (r.Note.Length > 0)
            o.MarkupLineInterpolated($"note: {r.Note}");
        o.Write(KeyValues("tag", r.Tags));
        o.Write(KeyValues("metric", r.Metrics.ToDictionary(m => m.Key, m => Format.Number(m.Value))));
        o.Write(KeyValues("param", r.Params));
        o.Write(KeyValues("artifact", r.Artifacts));
        o.Write(KeyValues("environment", r.Environment));
    }

    public static void Comparison(IAnsiConsole o, Tend.Pipelines.RunComparison c)
    {
        var table = new Table().AddColumn("").AddColumns(c.Runs.Select(r => r[..8]).ToArray());
        foreach (var row in c.Rows)
            table.AddRow([$"{row.Kind} [bold]{Markup.Escape(row.Name)}[/]", .. row.Values.Select(v => row.Differs ? $"[yellow]{Markup.Escape(v ?? "–")}[/]" : Markup.Escape(v ?? "–"))]);
        o.Write(table);
        foreach (var g in c.SeedGroups)
        {
            var spreads = string.Join("; ", g.Metrics.Select(m => $"{m.Key} {Format.Number(m.Value.Mean)} ± {Format.Number(m.Value.Std)}"));
            o.MarkupLineInterpolated($"runs {string.Join(", ", g.Runs.Select(r => r[..8]))} differ only by seed ({string.Join(", ", g.Seeds)}): {spreads}");
        }
    }

    public static IRenderable Models(IEnumerable<ModelVersion> models, string metric)
    {
        var table = new Table().AddColumns("model", "version", "aliases", metric, "run", "dataset", "registered");
        foreach (var m in models)
            table.AddRow(Markup.Escape(m.Name), m.Version.ToString(), Markup.Escape(string.Join(", ", m.Aliases)),
                Format.Number(m.Metrics.GetValueOrDefault(metric, double.NaN)), m.RunId[..8], Markup.Escape(m.Dataset), Format.Time(m.Created));
        return table;
    }

    public static IRenderable KeyValues(string heading, IReadOnlyDictionary<string, string> values)
    {
        var table = new Table().AddColumns(heading, "value");
        foreach (var (key, value) in values)
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        return table;
    }

    private static string N(double? value) => value is { } v ? Format.Number(v) : "";
}
