using System.Net;
using System.Security.Cryptography;
using System.Text;
using Tend.Core.Errors;
using Tend.Core.Pipelines;
using Tend.Core.Spec;

namespace Tend.Data.Sources;

/// <summary>
/// What can be seen of a source's data without reading them all, as text that differs when they do: a file or folder's
/// content hash (through the memo, so an unchanged gigabyte is not read), a URL's validator (ETag, else Content-MD5,
/// else Last-Modified; a server that gives none has its content hashed), a query's checksum query or high-water mark
/// (else its rows, hashed). Two observations that differ are new data.
/// </summary>
public static class SourceObservation
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <param name="root">The project folder a path is relative to.</param>
    public static async Task<string> ObserveAsync(SourceSpec source, string root, ContentHashes hashes, CancellationToken ct)
    {
        if (source.Path is not null)
            return $"sha256:{hashes.Of(Path.Combine(root, source.Path))}";
        if (source.Url is not null)
            return await UrlAsync(source, ct);
        if (source.Sql is not null)
            return source.Checksum is not null ? $"checksum:{SqlSource.Scalar(source.Checksum, source.Connection!)}"
                : source.HighWaterMark is not null ? $"max({source.HighWaterMark}):{SqlSource.Scalar($"SELECT MAX({source.HighWaterMark}) FROM ({source.Sql}) AS observed", source.Connection!)}"
                : $"rows:{RowsHash(source, ct)}";
        throw TendException.BadUsage($"source '{source.Name}' is the feedback on served predictions, which is not observed for change; collect it on a schedule");
    }

    private static async Task<string> UrlAsync(SourceSpec source, CancellationToken ct)
    {
        try
        {
            using (var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, source.Url), ct))
                if (head.IsSuccessStatusCode && Validator(head) is { } validator)
                    return validator;
            using var get = await Http.GetAsync(source.Url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!get.IsSuccessStatusCode)
                throw TendException.NotFound($"source '{source.Name}': GET {source.Url} answered {(int)get.StatusCode} {get.ReasonPhrase}");
            if (Validator(get) is { } named)
                return named;
            await using var body = await get.Content.ReadAsStreamAsync(ct);
            return $"sha256:{Convert.ToHexStringLower(await SHA256.HashDataAsync(body, ct))}";
        }
        catch (HttpRequestException e)
        {
            throw new TendException(ErrorCode.Unexpected, $"source '{source.Name}': {source.Url} cannot be reached: {e.Message}", e); // the cause says it may pass: a step retries it
        }
    }

    /// <summary>What the server says identifies this content: its ETag, else Content-MD5, else Last-Modified.</summary>
    private static string? Validator(HttpResponseMessage response) =>
        response.Headers.ETag is { } etag ? $"etag:{etag.Tag}"
        : response.Content.Headers.ContentMD5 is { } md5 ? $"md5:{Convert.ToBase64String(md5)}"
        : response.Content.Headers.LastModified is { } modified ? $"modified:{modified.ToUnixTimeSeconds()}"
        : null;

    private static string RowsHash(SourceSpec source, CancellationToken ct)
    {
        var rows = SqlSource.Query(source.Sql!, source.Connection!, ct);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var row in rows.Rows(ct))
            sha.AppendData(Encoding.UTF8.GetBytes(string.Join('\u001f', row.Cells.Select(v => v ?? "\u0000")) + "\u001e"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
