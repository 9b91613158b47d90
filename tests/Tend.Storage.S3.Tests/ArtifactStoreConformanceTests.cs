using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Tend.Core.Artifacts;
using Tend.Core.Errors;
using Tend.Storage.S3;
using Tend.Testing;

namespace Tend.Storage.S3.Tests;

/// <summary>s3rver, started once for the class.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    internal S3Server Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await S3Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// What every artifact store must do, run against the folder store and the S3 store on a real S3-compatible server
/// (s3rver); then what only the S3 store has to show: its bytes as an independent client (awscli) reads them, a
/// failed multipart upload that leaves nothing, and corruption found on read.
/// </summary>
public sealed class ArtifactStoreConformanceTests(S3Fixture s3) : IClassFixture<S3Fixture>, IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _local = Directory.CreateTempSubdirectory("tend-artifacts-").FullName;
    private readonly List<IDisposable> _open = [];

    public static TheoryData<string> Kinds => ["file", "s3"];

    private IArtifactStore Open(string kind)
    {
        if (kind == "file")
            return new FileArtifactStore(Path.Combine(_local, "store"));
        var store = S3ArtifactStore.Open(s3.Server.Uri($"p-{Guid.NewGuid():N}"), new TempFolder(Path.Combine(_local, "tmp")));
        _open.Add(store);
        return store;
    }

    private static async Task<byte[]> ReadAsync(IArtifactStore store, string path)
    {
        await using var read = await store.GetAsync(path, Ct);
        var bytes = new MemoryStream();
        await read.CopyToAsync(bytes, Ct);
        return bytes.ToArray();
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task Put_Get_List_Exists_Modified_Delete(string kind)
    {
        var store = Open(kind);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await store.PutAsync("models/a.zip", new MemoryStream([1, 2, 3]), Ct);
        await store.PutAsync("datasets/x/data.parquet", new MemoryStream([4]), Ct);
        await store.PutAsync("models/a.zip", new MemoryStream([5, 6]), Ct); // replaced whole
        Assert.Equal([5, 6], await ReadAsync(store, "models/a.zip"));
        Assert.Equal(["datasets/x/data.parquet", "models/a.zip"], await store.ListAsync("", Ct));
        Assert.Equal(["models/a.zip"], await store.ListAsync("models/", Ct));
        Assert.True(await store.ExistsAsync("models/a.zip", Ct));
        Assert.False(await store.ExistsAsync("models/b.zip", Ct));
        Assert.InRange(await store.ModifiedAsync("models/a.zip", Ct), before, DateTimeOffset.UtcNow.AddSeconds(5));
        await store.DeleteAsync("models/a.zip", Ct);
        Assert.False(await store.ExistsAsync("models/a.zip", Ct));
        Assert.Equal(["datasets/x/data.parquet"], await store.ListAsync("", Ct));
        Assert.Equal(ErrorCode.NotFound, (await Assert.ThrowsAsync<TendException>(() => store.GetAsync("models/a.zip", Ct))).Code);
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task APathLeavingTheStore_IsRefused(string kind)
    {
        var store = Open(kind);
        foreach (var path in new[] { "../escape", "a/../../b", "/abs" })
            Assert.Equal(ErrorCode.BadUsage, (await Assert.ThrowsAsync<TendException>(() => store.PutAsync(path, new MemoryStream([1]), Ct))).Code);
        Assert.Empty(await store.ListAsync("", Ct));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task ALargeArtifact_StreamsBothWays(string kind)
    {
        var store = Open(kind);
        var bytes = RandomNumberGenerator.GetBytes(2 * S3ArtifactStore.PartSize + 12345); // three parts in S3
        await store.PutAsync("big.bin", new MemoryStream(bytes), Ct);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await ReadAsync(store, "big.bin")));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task PutFile_TakesTheFileOver(string kind)
    {
        var store = Open(kind);
        var file = Path.Combine(_local, "local.bin");
        File.WriteAllBytes(file, [7, 8, 9]);
        await store.PutFileAsync("runs/r/model.zip", file, Ct);
        Assert.Equal([7, 8, 9], await ReadAsync(store, "runs/r/model.zip"));
        Assert.False(File.Exists(file)); // taken over
    }

    /// <summary>awscli, an independent client, reads the object Tend wrote and gets the same bytes.</summary>
    [Fact]
    public async Task TheBytesInTheBucket_AreTheArtifactsAsAnotherClientReadsThem()
    {
        var prefix = $"p-{Guid.NewGuid():N}";
        using var store = S3ArtifactStore.Open(s3.Server.Uri(prefix), new TempFolder(Path.Combine(_local, "tmp")));
        var bytes = RandomNumberGenerator.GetBytes(S3ArtifactStore.PartSize + 1000); // multipart
        await store.PutAsync("models/m.zip", new MemoryStream(bytes), Ct);
        var copy = Path.Combine(_local, "copy.bin");
        var aws = await RunAsync("aws", "--endpoint-url", s3.Server.Endpoint, "s3", "cp", $"s3://{S3Server.Bucket}/{prefix}/models/m.zip", copy);
        Assert.True(aws.Exit == 0, aws.Output);
        Assert.Equal(bytes, File.ReadAllBytes(copy));
        var record = await RunAsync("aws", "--endpoint-url", s3.Server.Endpoint, "s3", "cp", $"s3://{S3Server.Bucket}/{prefix}/.sha256/models/m.zip", "-");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), record.Output.Trim()); // Tend's own SHA-256, its commit record
    }

    [Fact]
    public async Task BytesChangedInTheBucket_AreFoundCorruptOnRead()
    {
        var prefix = $"p-{Guid.NewGuid():N}";
        using var store = S3ArtifactStore.Open(s3.Server.Uri(prefix), new TempFolder(Path.Combine(_local, "tmp")));
        await store.PutAsync("models/m.zip", new MemoryStream([1, 2, 3]), Ct);
        using var client = Client();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = S3Server.Bucket, Key = $"{prefix}/models/m.zip", ContentBody = "tampered", UseChunkEncoding = false });
        var e = await Assert.ThrowsAsync<TendException>(() => ReadAsync(store, "models/m.zip"));
        Assert.Equal(ErrorCode.InvalidData, e.Code);
        Assert.Contains("artifact 'models/m.zip' in s3://tend/" + prefix + " is corrupt", e.Message);
    }

    [Fact]
    public async Task AnUploadThatFails_LeavesNoArtifactAndNoPart()
    {
        var prefix = $"p-{Guid.NewGuid():N}";
        using var store = S3ArtifactStore.Open(s3.Server.Uri(prefix), new TempFolder(Path.Combine(_local, "tmp")));
        var failing = new FailingStream(S3ArtifactStore.PartSize + 10); // fails in the second part
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("models/m.zip", failing, Ct));
        Assert.False(await store.ExistsAsync("models/m.zip", Ct));
        Assert.Empty(await store.ListAsync("", Ct));
        using var client = Client();
        var objects = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3Server.Bucket, Prefix = prefix });
        Assert.Empty(objects.S3Objects ?? []); // no object completed (s3rver cannot list or abort uploads, so their parts are not seen here)
    }

    [Theory]
    [InlineData("s3://", "'s3://' is not an S3 location; expected s3://BUCKET/PREFIX?endpoint=URL&region=REGION")]
    [InlineData("s3://b/p?endpoint=ftp://x", "the endpoint of 's3://b/p' must be an http or https URL; got 'ftp://x'")]
    [InlineData("s3://b/p?secret=hunter2", "'s3://b/p' has unknown settings: secret; known: endpoint, region")]
    public void AWrongLocation_SaysWhatWasExpected_WithoutItsQuery(string uri, string expected)
    {
        var e = Assert.Throws<TendException>(() => S3ArtifactStore.Open(uri, new TempFolder(_local)));
        Assert.Equal(expected, e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    private AmazonS3Client Client() =>
        new(S3Server.AccessKey, S3Server.SecretKey, new AmazonS3Config
        {
            ServiceURL = s3.Server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        });

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AWS_ACCESS_KEY_ID"] = S3Server.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = S3Server.SecretKey;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        using var process = Process.Start(start)!;
        var (output, error) = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Gives <paramref name="good"/> bytes, then fails as a dropped upload would.</summary>
    private sealed class FailingStream(int good) : Stream
    {
        private int _given;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= good)
                throw new IOException("the client went away");
            var n = Math.Min(count, good - _given);
            _given += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public void Dispose()
    {
        foreach (var open in _open)
            open.Dispose();
        Directory.Delete(_local, recursive: true);
    }
}
