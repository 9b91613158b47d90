using Tend.Core.Domain;

namespace Tend.Pipelines.Triggers;

/// <summary>
/// The observation of each watched source that a trigger last acted on (by pipeline and source), in one JSON file of
/// the project's state folder, written whole on every change; so a server that restarts counts a change made while it
/// was down, and does not count again one it acted on.
/// </summary>
internal sealed class SourceWatermarks(string file)
{
    private readonly Lock _lock = new();
    private Dictionary<string, string>? _seen;

    public string? Get(string key)
    {
        lock (_lock)
            return Load().GetValueOrDefault(key);
    }

    public void Set(string key, string observation)
    {
        lock (_lock)
        {
            Load()[key] = observation;
            TendJson.WriteFile(file, _seen);
        }
    }

    private Dictionary<string, string> Load() =>
        _seen ??= File.Exists(file) ? new Dictionary<string, string>(TendJson.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
