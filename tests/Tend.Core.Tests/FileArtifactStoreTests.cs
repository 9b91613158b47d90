using Tend.Core.Artifacts;
using Tend.Core.Errors;

namespace Tend.Core.Tests;

public sealed class FileArtifactStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tend-artifacts-").FullName;

    [Fact]
    public async Task Put_ThenGet_ReturnsTheBytesAndListsThePath()
    {
        var store = new FileArtifactStore(_root);
        await store.PutAsync("models/a.zip", new MemoryStream([1, 2, 3]), CancellationToken.None);
        await using var read = await store.GetAsync("models/a.zip", CancellationToken.None);
        var buffer = new MemoryStream();
        await read.CopyToAsync(buffer);
        Assert.Equal([1, 2, 3], buffer.ToArray());
        Assert.Equal(["models/a.zip"], await store.ListAsync("", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(store.Temp.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Get_Missing_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<TendException>(() => new FileArtifactStore(_root).GetAsync("nope", CancellationToken.None));
        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    [Fact]
    public async Task Put_PathOutsideTheStore_IsRefused()
    {
        var e = await Assert.ThrowsAsync<TendException>(() => new FileArtifactStore(_root).PutAsync("../escape", new MemoryStream(), CancellationToken.None));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "escape")));
    }

    [Fact]
    public async Task PutFile_TakesTheFileOver_AndLeavesNoTempFile()
    {
        var store = new FileArtifactStore(Path.Combine(_root, "store"));
        var local = Path.Combine(_root, "local.bin");
        File.WriteAllBytes(local, [1, 2, 3]);
        await store.PutFileAsync("datasets/x/data.parquet", local, CancellationToken.None);
        Assert.False(File.Exists(local));
        await using (var stored = await store.GetAsync("datasets/x/data.parquet", CancellationToken.None))
        {
            var bytes = new MemoryStream();
            await stored.CopyToAsync(bytes);
            Assert.Equal([1, 2, 3], bytes.ToArray());
        }
        Assert.Equal(["datasets/x/data.parquet"], await store.ListAsync("", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(store.Temp.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ThePathsOfTheTempFolder_AreNoArtifacts()
    {
        var store = new FileArtifactStore(_root);
        var e = await Assert.ThrowsAsync<TendException>(() => store.PutAsync(".tmp/x", new MemoryStream([1]), CancellationToken.None));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
