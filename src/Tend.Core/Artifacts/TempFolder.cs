using Tend.Core.Processes;

namespace Tend.Core.Artifacts;

/// <summary>
/// A store's folder for temporary files (uploads being spooled, a dataset version being written, an artifact before
/// its rename into place): each process writes in a folder of its own, named by its <see cref="ProcessOwner"/>, and
/// the next process to open the store removes the folders of processes that have ended, so a crash leaves nothing.
/// </summary>
public sealed class TempFolder(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    private string Own => Path.Combine(Root, ProcessOwner.Current);

    /// <summary>A new file's path in this process's folder, ending with <paramref name="name"/>.</summary>
    public string NewFile(string name)
    {
        Directory.CreateDirectory(Own);
        return Path.Combine(Own, $"{Guid.NewGuid():N}-{name}");
    }

    /// <summary>What is left of processes that have ended (on another host, nothing is judged): their folders, and any loose file.</summary>
    public IReadOnlyList<string> Leftovers() =>
        !Directory.Exists(Root) ? []
        : Directory.EnumerateFileSystemEntries(Root).Where(e => File.Exists(e) || ProcessOwner.HasEnded(Path.GetFileName(e)) == true).Order(StringComparer.Ordinal).ToList();

    /// <summary>Removes the <see cref="Leftovers"/> (those another process removes meanwhile too); returns them.</summary>
    public IReadOnlyList<string> Sweep()
    {
        var leftovers = Leftovers();
        foreach (var entry in leftovers)
        {
            try
            {
                if (File.Exists(entry))
                    File.Delete(entry);
                else if (Directory.Exists(entry))
                    Directory.Delete(entry, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // another process that opened the store at the same time swept it first
            }
        }
        return leftovers;
    }
}
