using System.Security.Cryptography;
using System.Text;

namespace Tend.Core.Pipelines;

/// <summary>
/// What a pipeline step's result depends on, each part named: the step's kind and the version of its implementation,
/// its resolved parameters, the content hashes of its inputs (dataset versions, upstream outputs, files and folders)
/// and the environment variables it declares. Two steps with the same <see cref="Hash"/> make the same outputs, so the
/// second reuses the first's; when they differ, <see cref="Changes"/> says which part did.
/// </summary>
public sealed record StepKey(
    string Kind,
    int Version,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>SHA-256 over every part, in one canonical text: sorted by name, each value length-prefixed so no two keys can run together.</summary>
    public string Hash
    {
        get
        {
            var text = new StringBuilder();
            Append(text, "kind", Kind);
            Append(text, "version", Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (part, values) in Parts)
                foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
                    Append(text, $"{part}.{name}", value);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    /// <summary>The environment part of a key: each named variable's value as its SHA-256 ("unset" when it is), so a key, and what explaining it shows, never holds a secret.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(IEnumerable<string> names, Func<string, string?> read) =>
        names.Distinct().ToDictionary(n => n, n => read(n) is { } value ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))) : "unset");

    /// <summary>What differs from <paramref name="before"/>, one line a part, in the words <c>tend pipeline explain</c> shows; empty when nothing does.</summary>
    public IReadOnlyList<string> Changes(StepKey before)
    {
        var changes = new List<string>();
        if (Kind != before.Kind)
            changes.Add($"kind: {before.Kind} → {Kind}");
        if (Version != before.Version)
            changes.Add($"implementation: version {before.Version} → {Version}");
        foreach (var ((part, now), (_, then)) in Parts.Zip(before.Parts))
            foreach (var name in now.Keys.Union(then.Keys).Order(StringComparer.Ordinal))
                switch (then.GetValueOrDefault(name), now.GetValueOrDefault(name))
                {
                    case (null, { } added):
                        changes.Add($"{part} '{name}': added ({Short(added)})");
                        break;
                    case ({ } removed, null):
                        changes.Add($"{part} '{name}': removed (was {Short(removed)})");
                        break;
                    case ({ } old, { } @new) when old != @new:
                        changes.Add($"{part} '{name}': {Short(old)} → {Short(@new)}");
                        break;
                }
        return changes;
    }

    private IEnumerable<(string Part, IReadOnlyDictionary<string, string> Values)> Parts =>
        [("parameter", Parameters), ("input", Inputs), ("environment", Environment)];

    private static void Append(StringBuilder text, string name, string value) =>
        text.Append(name.Length).Append(':').Append(name).Append('=').Append(value.Length).Append(':').Append(value).Append('\n');

    /// <summary>A value as a change names it: a content hash by its first 12 characters, other text whole up to 60.</summary>
    private static string Short(string value) =>
        value.Length == 64 && value.All(char.IsAsciiHexDigitLower) ? value[..12] : value.Length > 60 ? value[..57] + "…" : value;
}
