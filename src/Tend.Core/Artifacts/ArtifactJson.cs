using System.Text.Json;
using Tend.Core.Domain;

namespace Tend.Core.Artifacts;

/// <summary>Reads a JSON document kept as an artifact (a profile) with Tend's JSON options.</summary>
public static class ArtifactJson
{
    public static async Task<T> ReadAsync<T>(this IArtifactStore artifacts, string path, CancellationToken ct)
    {
        await using var stream = await artifacts.GetAsync(path, ct);
        return (await JsonSerializer.DeserializeAsync<T>(stream, TendJson.Options, ct))!;
    }
}
