namespace Tend.Server.Components;

/// <summary>Addresses of the runs pages.</summary>
public static class RunLinks
{
    /// <summary>Values drawn per chart line: the server downsamples longer histories to this many step ranges.</summary>
    public const int ChartPoints = 500;

    public static string Of(string runId) => $"/runs/{Uri.EscapeDataString(runId)}";

    public static string List(string? where = null, string? orderBy = null, int page = 1) =>
        "/runs" + Query(("where", where), ("order_by", orderBy), ("page", page > 1 ? page.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));

    public static string Compare(IEnumerable<string> ids, bool diffOnly = false) =>
        "/runs/compare" + Query([.. ids.Select(id => ("ids", (string?)id)), ("diff_only", diffOnly ? "true" : null)]);

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var given = parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join("&", given);
    }
}
