using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Spec;

/// <summary>What changed between two tend.yaml texts: the top-level keys (gates, metric, monitor, …) added, removed or set otherwise.</summary>
public static class SpecChanges
{
    /// <summary>The keys whose value differs, in the order they appear; a text that is not a YAML mapping counts as wholly changed.</summary>
    public static IReadOnlyList<string> Between(string before, string after)
    {
        var (old, now) = (TopLevel(before), TopLevel(after));
        if (old is null || now is null)
            return [SpecLoader.FileName];
        return now.Keys.Concat(old.Keys).Distinct()
            .Where(key => !Same(old.GetValueOrDefault(key), now.GetValueOrDefault(key)))
            .ToList();
    }

    /// <summary>Each top-level key with its value.</summary>
    private static Dictionary<string, YamlNode>? TopLevel(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            return null;
        return root.Children.ToDictionary(c => c.Key.ToString(), c => c.Value);
    }

    /// <summary>The same values, whatever the layout (block or flow style, quoting, comments).</summary>
    private static bool Same(YamlNode? a, YamlNode? b) => (a, b) switch
    {
        (YamlScalarNode x, YamlScalarNode y) => x.Value == y.Value,
        (YamlSequenceNode x, YamlSequenceNode y) => x.Children.Count == y.Children.Count && x.Children.Zip(y.Children).All(p => Same(p.First, p.Second)),
        (YamlMappingNode x, YamlMappingNode y) => x.Children.Count == y.Children.Count
            && x.Children.All(c => y.Children.TryGetValue(c.Key, out var other) && Same(c.Value, other)),
        _ => a is null && b is null,
    };
}
