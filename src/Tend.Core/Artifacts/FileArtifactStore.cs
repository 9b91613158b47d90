using Tend.Core.Errors;

namespace Tend.Core.Artifacts;

/// <summary>
/// The embedded artifact store: a local folder, written by temp file and rename so a crash leaves no half file. The
/// temporary files live in its <see cref="TempFolderName"/> folder, so the rename never crosses file systems.
/// </summary>
public sealed class FileArtifactStore(string root) : IArtifactStore
{
    public const string TempFolderName = ".tmp";

    public string Root { get; } = Path.GetFullPath(root);

    public TempFolder Temp { get; } = new(Path.Combine(Path.GetFullPath(root), TempFolderName));

    public async Task PutAsync(string path, Stream content, CancellationToken ct)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Temp.NewFile(Path.GetFileName(target));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Takes the file over by rename (a copy only across file systems): flushed to disk first, then moved into place.</summary>
    public Task PutFileAsync(string path, string file, CancellationToken ct)
    {
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using (var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite))
            RandomAccess.FlushToDisk(handle);
        var temp = Temp.NewFile(Path.GetFileName(target));
        try
        {
            File.Move(file, temp); // a copy only when the file is on another file system; the rename into place is atomic
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        return Task.CompletedTask;
    }

    public Task<Stream> GetAsync(string path, CancellationToken ct)
    {
        var file = Resolve(path);
        if (!File.Exists(file))
            throw TendException.NotFound($"artifact '{path}' not found in {Root}");
        return Task.FromResult<Stream>(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous));
    }

    public Task<bool> ExistsAsync(string path, CancellationToken ct) => Task.FromResult(File.Exists(Resolve(path)));

    public Task<DateTimeOffset> ModifiedAsync(string path, CancellationToken ct) => Task.FromResult<DateTimeOffset>(File.GetLastWriteTimeUtc(Resolve(path)));

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct)
    {
        if (!Directory.Exists(Root))
            return Task.FromResult<IReadOnlyList<string>>([]);
        IReadOnlyList<string> paths = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => !p.StartsWith(TempFolderName + "/", StringComparison.Ordinal))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(paths);
    }

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        File.Delete(Resolve(path));
        return Task.CompletedTask;
    }

    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || full.StartsWith(Temp.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw TendException.BadUsage($"artifact path '{path}' leaves the artifact store");
        return full;
    }
}
