using System.Globalization;
using Tend.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Spec;

/// <summary>A YAML mapping read with its file and line numbers, so every error names the key and where it is.</summary>
internal sealed class YamlMap
{
    private readonly string _file;
    private readonly string _path;
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, YamlNode> _entries = new(StringComparer.Ordinal);

    public YamlMap(string file, string path, YamlMappingNode node, IReadOnlyCollection<string> allowed)
    {
        _file = file;
        _path = path;
        _node = node;
        foreach (var (keyNode, value) in node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!allowed.Contains(key))
                throw Error(keyNode, $"unknown key '{Qualified(key)}'; expected one of: {string.Join(", ", allowed)}");
            _entries[key] = value;
        }
    }

    public int Line => (int)_node.Start.Line;


    public string? String(string key, bool required = false)
    {
        if (!_entries.TryGetValue(key, out var node))
            return required ? throw Missing(key) : null;
        if (node is not YamlScalarNode scalar)
            throw Error(node, $"'{Qualified(key)}' must be a text value");
        return scalar.Value;
    }

    public IEnumerable<string> Keys => _entries.Keys;

    public bool IsMap(string key) => _entries.TryGetValue(key, out var node) && node is YamlMappingNode;

    /// <summary>Whether <paramref name="key"/> holds a list of mappings (not of plain values).</summary>
    public bool IsListOfMaps(string key) => _entries.TryGetValue(key, out var node) && node is YamlSequenceNode list && list.Any(i => i is YamlMappingNode);

    /// <summary>A list of numbers; null when absent.</summary>
    public IReadOnlyList<double>? NumberList(string key) =>
        Strings(key)?.Select(text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
            : throw Error(key, $"'{Qualified(key)}' must be a list of numbers, got '{text}'")).ToList();

    /// <summary>A duration written as a number and a unit (30s, 5m, 1h, 1d); null when absent.</summary>
    public TimeSpan? Duration(string key) =>
        String(key) is not { } text ? null
        : Durations.TryParse(text, out var duration) ? duration
        : throw Error(key, $"'{Qualified(key)}' must be a duration such as 30s, 5m or 1h; got '{text}'");

    public bool? Bool(string key)
    {
        var text = String(key);
        return text switch
        {
            null => null,
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw Error(key, $"'{Qualified(key)}' must be true or false, got '{text}'"),
        };
    }

    /// <summary>A list of text values, or one value standing for a list of one.</summary>
    public IReadOnlyList<string>? Strings(string key)
    {
        if (!_entries.TryGetValue(key, out var node))
            return null;
        if (node is YamlScalarNode { Value: { } single })
            return [single];
        if (node is YamlSequenceNode list && list.All(i => i is YamlScalarNode))
            return list.Select(i => ((YamlScalarNode)i).Value ?? "").ToList();
        throw Error(node, $"'{Qualified(key)}' must be a list of text values");
    }

    public double? Number(string key)
    {
        if (!_entries.TryGetValue(key, out var node))
            return null;
        if (node is YamlScalarNode { Value: { } text } &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        throw Error(node, $"'{Qualified(key)}' must be a number, got '{(node as YamlScalarNode)?.Value ?? node.NodeType.ToString()}'");
    }

    public int? Integer(string key)
    {
        var value = Number(key);
        if (value is null)
            return null;
        if (value != Math.Floor(value.Value))
            throw Error(_entries[key], $"'{Qualified(key)}' must be a whole number, got {value}");
        return (int)value.Value;
    }

    public YamlMap? Map(string key, IReadOnlyCollection<string> allowed)
    {
        if (!_entries.TryGetValue(key, out var node))
            return null;
        return node is YamlMappingNode map
            ? new YamlMap(_file, Qualified(key), map, allowed)
            : throw Error(node, $"'{Qualified(key)}' must be a mapping of keys to values");
    }

    public IEnumerable<YamlMap> List(string key, IReadOnlyCollection<string> allowed)
    {
        if (!_entries.TryGetValue(key, out var node))
            yield break;
        if (node is not YamlSequenceNode list)
            throw Error(node, $"'{Qualified(key)}' must be a list");
        var i = 0;
        foreach (var item in list)
        {
            yield return item is YamlMappingNode map
                ? new YamlMap(_file, $"{Qualified(key)}[{i}]", map, allowed)
                : throw Error(item, $"'{Qualified(key)}[{i}]' must be a mapping");
            i++;
        }
    }

    /// <summary>Every key of a free-form mapping whose values must all be numbers.</summary>
    public IReadOnlyDictionary<string, double> Numbers()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in _entries.Keys)
            result[key] = Number(key)!.Value;
        return result;
    }

    public TendException Error(string key, string message) =>
        _entries.TryGetValue(key, out var node) ? Error(node, message) : Error(_node, message);

    /// <summary>Where <paramref name="key"/> is (the mapping itself when it is absent), as errors name it: <c>tend.yaml:12</c>.</summary>
    public string Where(string key) => $"{_file}:{(_entries.TryGetValue(key, out var node) ? node : _node).Start.Line}";

    private TendException Missing(string key) => Error(_node, $"missing required key '{Qualified(key)}'");

    private TendException Error(YamlNode node, string message) =>
        TendException.BadUsage($"{_file}:{node.Start.Line}: {message}");

    private string Qualified(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    /// <summary>A nested mapping whose keys are free-form (e.g. trainer options).</summary>
    public YamlMap? OpenMap(string key) =>
        _entries.TryGetValue(key, out var node) && node is YamlMappingNode map
            ? Map(key, map.Children.Keys.Select(k => ((YamlScalarNode)k).Value ?? "").ToArray())
            : Map(key, []);
}
