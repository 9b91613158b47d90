using System.Globalization;
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
        return DagDrawing.Svg([.. nodes.Select(n => new DagDrawing.Box(n.Id, n.Layer, Colours[n.Kind], n.Kind, n.Label, n.Detail, n.Link))], edges, "lineage-graph");
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
