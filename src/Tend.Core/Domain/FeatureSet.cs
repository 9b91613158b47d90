using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tend.Core.Domain;

/// <summary>
/// The names of a logged row's features, in order. The prediction log stores each set once and every record only its
/// <see cref="Id"/> and its values in this order: the names were half of a record's bytes (bench/README.md).
/// </summary>
public sealed class FeatureSet
{
    private readonly Dictionary<string, int> _index;

    public FeatureSet(IEnumerable<string> names)
    {
        Names = [.. names];
        _index = new Dictionary<string, int>(Names.Length, StringComparer.Ordinal);
        for (var k = 0; k < Names.Length; k++)
            _index.TryAdd(Names[k], k);
        Json = JsonSerializer.Serialize(Names);
        Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Json)))[..16];
    }

    public string[] Names { get; }

    /// <summary>The names as a JSON array, as the store keeps them.</summary>
    public string Json { get; }

    /// <summary>The set's content address: the first 64 bits of the SHA-256 of <see cref="Json"/>, in hex.</summary>
    public string Id { get; }

    /// <summary>The position of <paramref name="name"/>, else -1.</summary>
    public int IndexOf(string name) => _index.GetValueOrDefault(name, -1);

    /// <summary>A set stored as <see cref="Json"/>.</summary>
    public static FeatureSet FromJson(string json) => new(JsonSerializer.Deserialize<string[]>(json) ?? []);
}
