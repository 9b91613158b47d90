using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Core.Pipelines;

/// <summary>
/// The SHA-256 of a file's content, or of a folder's (its files' relative paths and hashes, in order), reading a file
/// only when its size or modification time differs from when it was last hashed. The memo of (path, size, time) →
/// hash is one JSON file on this machine, written whole. A file changed within <see cref="Settle"/> of being hashed
/// is not memoized (its time may not show a second change in the same tick), so the memo never answers for stale
/// content.
/// </summary>
public sealed class ContentHashes(string memoFile, TimeProvider time)
{
    /// <summary>How old a file's modification time must be for its hash to be remembered.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private Dictionary<string, Remembered>? _memo;
    private bool _changed;

    /// <summary>How many files were read to hash them (the rest came from the memo).</summary>
    public int FilesRead { get; private set; }

    private sealed record Remembered(long Size, DateTime Modified, string Hash);

    /// <summary>The content hash of the file or folder at <paramref name="path"/>.</summary>
    public string Of(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
            return OfFile(new FileInfo(full));
        if (!Directory.Exists(full))
            throw TendException.NotFound($"{path}: no such file or folder");
        var listing = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            listing.Append(Path.GetRelativePath(full, file).Replace('\\', '/')).Append('\0').Append(OfFile(new FileInfo(file))).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
    }

    /// <summary>Writes the memo when anything new was remembered.</summary>
    public void Save()
    {
        if (!_changed || _memo is null)
            return;
        TendJson.WriteFile(memoFile, _memo);
        _changed = false;
    }

    private string OfFile(FileInfo file)
    {
        var memo = _memo ??= Load();
        if (memo.TryGetValue(file.FullName, out var known) && known.Size == file.Length && known.Modified == file.LastWriteTimeUtc)
            return known.Hash;
        string hash;
        using (var stream = file.OpenRead())
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        FilesRead++;
        if (time.GetUtcNow().UtcDateTime - file.LastWriteTimeUtc >= Settle)
        {
            memo[file.FullName] = new Remembered(file.Length, file.LastWriteTimeUtc, hash);
            _changed = true;
        }
        return hash;
    }

    private Dictionary<string, Remembered> Load()
    {
        if (!File.Exists(memoFile))
            return new Dictionary<string, Remembered>(StringComparer.Ordinal);
        try
        {
            return new Dictionary<string, Remembered>(TendJson.Deserialize<Dictionary<string, Remembered>>(File.ReadAllText(memoFile)), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new Dictionary<string, Remembered>(StringComparer.Ordinal); // a memo is only a shortcut: an unreadable one is started afresh
        }
    }
}
