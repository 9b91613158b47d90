namespace Tend.Core.Artifacts;

/// <summary>Large immutable files (datasets, models) by path. Writes are atomic: a reader sees the whole file or none.</summary>
public interface IArtifactStore
{
    Task PutAsync(string path, Stream content, CancellationToken ct);

    /// <summary>The local folder where files are spooled before they are stored, and any other temporary file of the store's users.</summary>
    TempFolder Temp { get; }

    /// <summary>Stores a local file, which the store may take over (the caller no longer needs it).</summary>
    async Task PutFileAsync(string path, string file, CancellationToken ct)
    {
        await using var content = File.OpenRead(file);
        await PutAsync(path, content, ct);
    }

    /// <summary>Opens the artifact for reading; not found when it does not exist.</summary>
    Task<Stream> GetAsync(string path, CancellationToken ct);

    Task<bool> ExistsAsync(string path, CancellationToken ct);

    /// <summary>When the artifact was last written.</summary>
    Task<DateTimeOffset> ModifiedAsync(string path, CancellationToken ct);

    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct);

    Task DeleteAsync(string path, CancellationToken ct);
}
