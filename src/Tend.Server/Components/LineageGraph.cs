using System.Globalization;
using System.Net;
using System.Text;
using Tend.Core.Domain;
using Tend.Registry;

namespace Tend.Server.Components;

/// <summary>
/// A model version's lineage drawn left to right as SVG, at its own size (a wider one scrolls in its box rather than
/// shrinking its text): data source → dataset versions (oldest ancestor first) → run →
/// model → evaluations → approval requests → alias moves → deployment changes. An approval follows the latest evaluation before it; an alias
/// move follows the approval it carried out, else the latest evaluation before it, else the model; a deployment change
/// follows the latest evaluation before it, else the model.
/// </summary>
public static class LineageGraph
{
    public sealed record Node(int Id, string Kind, int Layer, string Label, string Detail, string? Link = null);

    /// <summary>Sized so that a lineage of seven columns (two dataset versions, an evaluation, an alias move) fits a 1280 px window unscaled.</summary>
    private const int Width = 150, Height = 46, ColumnGap = 18, RowGap = 12, Pad = 8;

    private static readonly Dictionary<string, string> Colours = new()
    {
        ["source"] = "#bab0ac", ["dataset"] = "#76b7b2", ["run"] = "#4e79a7", ["model"] = "#f28e2b",
        ["evaluation"] = "#59a14f", ["approval"] = "#edc948", ["alias"] = "#b07aa1", ["deployment"] = "#ff9da7",
    };

    public static (IReadOnlyList<Node> Nodes, IReadOnlyList<(int From, int To)> Edges) Of(Lineage lineage)
    {
        var nodes = new List<Node>();
        var edges = new List<(int, int)>();
        int Add(string kind, int layer, string label, string detail, string? link = null)
        {
            nodes.Add(new Node(nodes.Count, kind, layer, label, detail, link));
            return nodes.Count - 1;
        }

        var sources = new Dictionary<string, int>();
        var previous = -1;
        var datasets = lineage.Datasets.Reverse().ToList(); // oldest ancestor first
        for (var i = 0; i < datasets.Count; i++)
        {
            var d = datasets[i];
            if (!sources.TryGetValue(d.Source, out var source))
                sources[d.Source] = source = Add("source", i, Path.GetFileName(d.Source), d.Source);
            var node = Add("dataset", i + 1, d.Reference, $"{d.Rows} rows, added {Day(d.Created)} by {d.Actor}", DatasetLinks.Of(d.Reference));
            edges.Add((source, node));
            if (previous >= 0)
                edges.Add((previous, node));
            previous = node;
        }
        var layer = datasets.Count + 1;
        var run = lineage.Run;
        var runNode = Add("run", layer, $"run {run.Id[..8]}", $"{run.Trainer}, seed {run.Params.GetValueOrDefault("seed", "?")}", RunLinks.Of(run.Id));
        if (previous >= 0)
            edges.Add((previous, runNode));
        var model = lineage.Model;
        var modelNode = Add("model", layer + 1, $"{model.Name}@{model.Version}", $"sha256 {model.Checksum[..12]}, registered {Day(model.Created)}");
        edges.Add((runNode, modelNode));

        var evaluations = lineage.Evaluations.Select(e => (e.Created, Node: Add("evaluation", layer + 2, $"evaluation {(e.Passed ? "passed" : "failed")}",
            $"{Day(e.Created)} by {e.Actor} on {e.Data}", $"/api/v1/evaluations/{Uri.EscapeDataString(e.Id)}?format=html"))).ToList();
        evaluations.ForEach(e => edges.Add((modelNode, e.Node)));
        int Before(DateTimeOffset time) => evaluations.Where(e => e.Created <= time).Select(e => (int?)e.Node).LastOrDefault() ?? modelNode;

        var approvals = lineage.Approvals.Select(a => (Request: a, Node: Add("approval", layer + 3, $"{a.Alias}: {a.Status.ToString().ToLowerInvariant()}",
            $"asked by {a.Requester}{(a.Decider is null ? "" : $", decided by {a.Decider}")}: {a.Reason}"))).ToList();
        approvals.ForEach(a => edges.Add((Before(a.Request.Created), a.Node)));
        foreach (var move in lineage.AliasMoves)
        {
            var node = Add("alias", layer + 4, $"{move.Alias}: {move.From?.ToString(CultureInfo.InvariantCulture) ?? "–"} → {move.To}", $"{move.Kind} by {move.Actor}, {Day(move.Time)}: {move.Reason}");
            var carried = approvals.Where(a => a.Request.Status == ApprovalStatus.Approved && a.Request.Alias == move.Alias && a.Request.Version == move.To && a.Request.Decided <= move.Time)
                .Select(a => (int?)a.Node).LastOrDefault();
            edges.Add((move.Kind == AliasMove.Approved ? carried ?? Before(move.Time) : Before(move.Time), node));
        }
        foreach (var d in lineage.Deployments)
            edges.Add((Before(d.Time), Add("deployment", layer + 5, d.Role is null ? "deployment ended" : $"{d.Role}{(d.Percent is { } p ? $" {p:0.##}%" : "")}",
                $"{d.Action} by {d.Actor}, {Day(d.Time)}: {d.Reason}")));
        return (nodes, edges);
    }

    public static string Svg(Lineage lineage)
    {
        var (nodes, edges) = Of(lineage);
        // A kind with nothing to show (no approval, say) takes no column.
        var columns = nodes.Select(n => n.Layer).Distinct().Order().Select((layer, column) => (layer, column)).ToDictionary(l => l.layer, l => l.column);
        nodes = nodes.Select(n => n with { Layer = columns[n.Layer] }).ToList();
        var rows = new Dictionary<int, int>();
        var at = new Dictionary<int, (double X, double Y)>();
        foreach (var node in nodes)
        {
            var row = rows.GetValueOrDefault(node.Layer);
            rows[node.Layer] = row + 1;
            at[node.Id] = (Pad + node.Layer * (Width + ColumnGap), Pad + row * (Height + RowGap));
        }
        var width = Pad * 2 + (rows.Keys.Max() + 1) * (Width + ColumnGap) - ColumnGap;
        var height = Pad * 2 + rows.Values.Max() * (Height + RowGap) - RowGap;
        var svg = new StringBuilder($"<svg xmlns='http://www.w3.org/2000/svg' data-testid='lineage-graph' width='{width}' height='{height}' viewBox='0 0 {width} {height}' style='max-width:none' font-family='system-ui,sans-serif'>");
        svg.Append("<defs><marker id='arrow' viewBox='0 0 8 8' refX='8' refY='4' markerWidth='7' markerHeight='7' orient='auto'><path d='M0,0 L8,4 L0,8 z' fill='#888'/></marker></defs>");
        foreach (var (from, to) in edges)
        {
            var (a, b) = (at[from], at[to]);
            var (x1, y1, x2, y2) = (a.X + Width, a.Y + Height / 2.0, b.X, b.Y + Height / 2.0);
            var bend = (x2 - x1) / 2;
            svg.Append($"<path data-edge='{from}-{to}' d='M{N(x1)},{N(y1)} C{N(x1 + bend)},{N(y1)} {N(x2 - bend)},{N(y2)} {N(x2)},{N(y2)}' fill='none' stroke='#888' marker-end='url(#arrow)'/>");
        }
        foreach (var node in nodes)
        {
            var (x, y) = at[node.Id];
            var box = $"<g data-kind='{node.Kind}'><title>{E(node.Label)}: {E(node.Detail)}</title>" +
                      $"<rect x='{N(x)}' y='{N(y)}' width='{Width}' height='{Height}' rx='6' fill='{Colours[node.Kind]}' fill-opacity='0.25' stroke='{Colours[node.Kind]}'/>" +
                      $"<text x='{N(x + 8)}' y='{N(y + 18)}' font-size='12' font-weight='600'>{E(Clip(node.Label, 21))}</text>" +
                      $"<text x='{N(x + 8)}' y='{N(y + 35)}' font-size='10.5' fill='#444'>{E(Clip(node.Detail, 27))}</text></g>";
            svg.Append(node.Link is null ? box : $"<a href='{E(node.Link)}'>{box}</a>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
