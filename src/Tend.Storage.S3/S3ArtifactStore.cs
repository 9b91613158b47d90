using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Tend.Core.Artifacts;
using Tend.Core.Errors;

namespace Tend.Storage.S3;

/// <summary>
/// Artifacts in an S3-compatible bucket (<c>s3://BUCKET/PREFIX?endpoint=URL&amp;region=REGION</c>; credentials from the
/// SDK's standard chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws). An artifact is streamed
/// both ways: it is read in parts of <see cref="PartSize"/>, one part in memory at a time. An artifact that fits in
/// one part is one PUT; a larger one is a multipart upload, aborted if any part fails (where the server can abort). Tend's own SHA-256 of the bytes
/// is computed on the way and written, once the artifact is whole, as its commit record (<c>.sha256/PATH</c>): only
/// committed artifacts exist, list or read, and a read checks the bytes against it as they stream, failing at the end
/// when they differ. Checksums of the SDK's own are computed only where S3 requires them and payloads are never sent
/// in signed chunks, since servers other than AWS refuse both (aws/aws-sdk-net#3610).
/// </summary>
public sealed class S3ArtifactStore : IArtifactStore, IDisposable
{
    public const string Scheme = "s3://";

    /// <summary>The size of a part (and of the largest artifact sent in one PUT): above S3's 5 MiB minimum part, small enough to hold one in memory.</summary>
    public const int PartSize = 8 << 20;

    private const string Commits = ".sha256/";

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly string _where;

    private S3ArtifactStore(AmazonS3Client client, string bucket, string prefix, string where, TempFolder temp) =>
        (_client, _bucket, _prefix, _where, Temp) = (client, bucket, prefix, where, temp);

    /// <summary>Local temporary files of the store's users: the bucket holds none.</summary>
    public TempFolder Temp { get; }

    /// <summary>Opens <c>s3://BUCKET/PREFIX?endpoint=URL&amp;region=REGION</c>; without an endpoint, AWS itself in the region.</summary>
    public static S3ArtifactStore Open(string uri, TempFolder temp)
    {
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
            throw TendException.BadUsage($"'{Redacted(uri)}' is not an S3 location; expected s3://BUCKET/PREFIX?endpoint=URL&region=REGION");
        var query = System.Web.HttpUtility.ParseQueryString(parsed.Query);
        var unknown = query.AllKeys.Where(k => k is not ("endpoint" or "region")).ToList();
        if (unknown.Count > 0)
            throw TendException.BadUsage($"'{Redacted(uri)}' has unknown settings: {string.Join(", ", unknown)}; known: endpoint, region");
        var region = query["region"] ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            AuthenticationRegion = region,
        };
        if (query["endpoint"] is { } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw TendException.BadUsage($"the endpoint of '{Redacted(uri)}' must be an http or https URL; got '{endpoint}'");
            (config.ServiceURL, config.ForcePathStyle) = (endpoint, true); // a bucket in the path: servers other than AWS rarely have a DNS name for each bucket
        }
        else
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        var prefix = Uri.UnescapeDataString(parsed.AbsolutePath).Trim('/');
        return new S3ArtifactStore(new AmazonS3Client(config), parsed.Host, prefix.Length == 0 ? "" : prefix + "/", $"s3://{parsed.Host}/{prefix}", temp);
    }

    public async Task PutAsync(string path, Stream content, CancellationToken ct)
    {
        var key = Key(path);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var read = await FillAsync(content, buffer, ct);
            sha.AppendData(buffer, 0, read);
            if (read < PartSize)
                await CallAsync(path, () => _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _bucket, Key = key, InputStream = new MemoryStream(buffer, 0, read, writable: false), UseChunkEncoding = false, AutoCloseStream = false,
                }, ct));
            else
                await MultipartAsync(path, key, content, buffer, read, sha, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await CommitAsync(path, Convert.ToHexStringLower(sha.GetHashAndReset()), ct);
    }

    /// <summary>Uploads a local file, then removes it: the store takes it over, as the folder store does by rename.</summary>
    public async Task PutFileAsync(string path, string file, CancellationToken ct)
    {
        await using (var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await PutAsync(path, content, ct);
        File.Delete(file);
    }

    /// <summary>A multipart upload of the first part in <paramref name="buffer"/> and the rest of <paramref name="content"/>; aborted when a part fails, so no part is left behind.</summary>
    private async Task MultipartAsync(string path, string key, Stream content, byte[] buffer, int read, IncrementalHash sha, CancellationToken ct)
    {
        var upload = await CallAsync(path, () => _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct));
        try
        {
            var parts = new List<PartETag>();
            for (var number = 1; read > 0; number++)
            {
                var part = await CallAsync(path, () => _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = number, PartSize = read,
                    InputStream = new MemoryStream(buffer, 0, read, writable: false), UseChunkEncoding = false,
                }, ct));
                parts.Add(new PartETag(number, part.ETag));
                read = await FillAsync(content, buffer, ct);
                sha.AppendData(buffer, 0, read);
            }
            await CallAsync(path, () => _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, ct));
        }
        catch
        {
            try
            {
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None);
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
            {
                // A server without abort (s3rver) keeps the parts until the bucket's AbortIncompleteMultipartUpload rule
                // removes them; the upload's own failure is what the caller needs to hear.
            }
            throw;
        }
    }

    /// <summary>Writes the artifact's SHA-256 as its commit record: from now on it exists.</summary>
    private Task CommitAsync(string path, string sha256, CancellationToken ct) =>
        CallAsync(path, () => _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = _prefix + Commits + Checked(path), ContentBody = sha256, UseChunkEncoding = false,
        }, ct));

    /// <summary>Reads the artifact as it streams from the bucket, its SHA-256 checked against the commit record at the end.</summary>
    public async Task<Stream> GetAsync(string path, CancellationToken ct)
    {
        var expected = await CommittedAsync(path, ct) ?? throw TendException.NotFound($"artifact '{path}' not found in {_where}");
        var response = await CallAsync(path, () => _client.GetObjectAsync(_bucket, Key(path), ct));
        return new CheckedStream(response, expected, $"artifact '{path}' in {_where}");
    }

    public async Task<bool> ExistsAsync(string path, CancellationToken ct) => await CommittedAsync(path, ct) is not null;

    public async Task<DateTimeOffset> ModifiedAsync(string path, CancellationToken ct)
    {
        var metadata = await CallAsync(path, () => _client.GetObjectMetadataAsync(_bucket, _prefix + Commits + Checked(path), ct));
        return new DateTimeOffset(metadata.LastModified ?? throw TendException.NotFound($"artifact '{path}' not found in {_where}"));
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken ct)
    {
        var paths = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + Commits + prefix };
        while (true)
        {
            var page = await CallAsync(prefix, () => _client.ListObjectsV2Async(request, ct));
            paths.AddRange((page.S3Objects ?? []).Select(o => o.Key[(_prefix.Length + Commits.Length)..]));
            if (page.IsTruncated != true)
                return [.. paths.Order(StringComparer.Ordinal)];
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>The commit record first, so the artifact stops existing before its bytes go.</summary>
    public async Task DeleteAsync(string path, CancellationToken ct)
    {
        await CallAsync(path, () => _client.DeleteObjectAsync(_bucket, _prefix + Commits + Checked(path), ct));
        await CallAsync(path, () => _client.DeleteObjectAsync(_bucket, Key(path), ct));
    }

    /// <summary>The SHA-256 the artifact was committed with; null when it was not (or not wholly) written.</summary>
    private async Task<string?> CommittedAsync(string path, CancellationToken ct)
    {
        try
        {
            using var record = await _client.GetObjectAsync(_bucket, _prefix + Commits + Checked(path), ct);
            using var reader = new StreamReader(record.ResponseStream);
            return (await reader.ReadToEndAsync(ct)).Trim();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw Failed(path, e);
        }
    }

    private async Task<T> CallAsync<T>(string path, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw TendException.NotFound($"artifact '{path}' not found in {_where}: {e.ErrorCode ?? e.Message}");
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw Failed(path, e);
        }
    }

    /// <summary>What went wrong with the bucket, naming the artifact and the bucket (never a credential: the SDK's messages carry none).</summary>
    private TendException Failed(string path, Exception e) =>
        new(ErrorCode.Unexpected, $"the artifact store {_where} failed on '{path}': {(e as AmazonS3Exception)?.ErrorCode ?? e.GetType().Name}: {e.Message}");

    private string Key(string path) => _prefix + Checked(path);

    /// <summary>A path of the store's own: relative, no <c>..</c>, not the commit records.</summary>
    private static string Checked(string path)
    {
        if (path.Length == 0 || path.StartsWith('/') || path.Split('/').Any(s => s is "" or "." or "..") || path.StartsWith(Commits, StringComparison.Ordinal) || path.Contains('\\'))
            throw TendException.BadUsage($"artifact path '{path}' leaves the artifact store");
        return path;
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < PartSize && await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), ct) is var n and > 0)
            filled += n;
        return filled;
    }

    /// <summary>The location without its query, where a setting might one day carry what should not be shown.</summary>
    private static string Redacted(string uri) => uri.Split('?')[0];

    public void Dispose() => _client.Dispose();
}
