using Tend.Core.Pipelines;

namespace Tend.Core.Tests.Pipelines;

/// <summary>Content hashes of files and folders, read again only when a file's size or time changed.</summary>
public sealed class ContentHashesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-hashes-").FullName;

    private string Memo => Path.Combine(_dir, "memo.json");

    private string Write(string name, string text, DateTime? modified = null)
    {
        var path = Path.Combine(_dir, "data", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, modified ?? DateTime.UtcNow.AddMinutes(-5));
        return path;
    }

    [Fact]
    public void AFilesHash_IsItsSha256_AndAFoldersCoversPathsAndContents()
    {
        var file = Write("a.csv", "abc");
        Write("sub/b.csv", "b");
        var hashes = new ContentHashes(Memo, TimeProvider.System);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hashes.Of(file)); // sha256sum of "abc"
        // printf 'a.csv\0<sha of abc>\nsub/b.csv\0<sha of b>\n' | sha256sum
        Assert.Equal("5004a77a61e50599b3833854ef85310525db7b77a1347ec75e935fac6103c2ce", hashes.Of(Path.Combine(_dir, "data")));
        File.Move(Path.Combine(_dir, "data", "sub", "b.csv"), Path.Combine(_dir, "data", "b.csv"));
        Assert.NotEqual("5004a77a61e50599b3833854ef85310525db7b77a1347ec75e935fac6103c2ce", hashes.Of(Path.Combine(_dir, "data"))); // a rename is a change
    }

    [Fact]
    public void AnUnchangedFile_IsNotReadAgain_EvenByAnotherProcess_ButAChangedOneIs()
    {
        var file = Write("a.csv", "first");
        var first = new ContentHashes(Memo, TimeProvider.System);
        var hash = first.Of(file);
        first.Save();

        var second = new ContentHashes(Memo, TimeProvider.System);
        Assert.Equal(hash, second.Of(file));
        Assert.Equal(0, second.FilesRead); // from the memo

        Write("a.csv", "other", DateTime.UtcNow.AddMinutes(-4)); // same size, another time
        Assert.NotEqual(hash, second.Of(file));
        Assert.Equal(1, second.FilesRead);
    }

    [Fact]
    public void AFileChangedJustNow_IsNotRemembered_SoASecondChangeInTheSameTickIsSeen()
    {
        var now = DateTime.UtcNow;
        var file = Write("a.csv", "first", now);
        var hashes = new ContentHashes(Memo, TimeProvider.System);
        var hash = hashes.Of(file);
        Write("a.csv", "again", now); // same size and time: only reading it again shows the change
        Assert.NotEqual(hash, hashes.Of(file));
        Assert.Equal(2, hashes.FilesRead);
    }

    [Fact]
    public void AnUnreadableMemo_IsStartedAfresh()
    {
        File.WriteAllText(Memo, "{not json");
        var hashes = new ContentHashes(Memo, TimeProvider.System);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hashes.Of(Write("a.csv", "abc")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
