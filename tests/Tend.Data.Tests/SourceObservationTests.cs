using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Tend.Core.Errors;
using Tend.Core.Pipelines;
using Tend.Core.Spec;
using Tend.Data.Sources;

namespace Tend.Data.Tests;

/// <summary>
/// What is observed of a source, and that it changes exactly when the data do: a folder's content, a SQL table's
/// checksum query, high-water mark or rows, a URL's ETag, Content-MD5, Last-Modified or, lacking all, its body's hash.
/// </summary>
public sealed class SourceObservationTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = Directory.CreateTempSubdirectory("tend-observe-").FullName;
    private ContentHashes Hashes => new(Path.Combine(_root, "memo.json"), TimeProvider.System);

    private Task<string> ObserveAsync(SourceSpec source) => SourceObservation.ObserveAsync(source, _root, Hashes, Ct);

    [Fact]
    public async Task AFolder_IsObservedByItsContent()
    {
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        File.WriteAllText(Path.Combine(_root, "in", "a.csv"), "x\n1\n");
        var source = new SourceSpec("raw", Path: "in");
        var first = await ObserveAsync(source);
        Assert.Equal(first, await ObserveAsync(source));
        File.SetLastWriteTimeUtc(Path.Combine(_root, "in", "a.csv"), DateTime.UtcNow.AddHours(1)); // touched, not changed
        Assert.Equal(first, await ObserveAsync(source));
        File.WriteAllText(Path.Combine(_root, "in", "b.csv"), "x\n2\n");
        Assert.NotEqual(first, await ObserveAsync(source));
    }

    [Fact]
    public async Task ASqlSource_IsObservedByItsChecksumQuery_ItsHighWaterMark_OrItsRows()
    {
        var db = Path.Combine(_root, "orders.db");
        using (var connection = new SqliteConnection($"Data Source={db}"))
        {
            connection.Open();
            Execute(connection, "CREATE TABLE orders (id INTEGER, amount REAL, updated_at TEXT)");
            Execute(connection, "INSERT INTO orders VALUES (1, 9.5, '2026-12-01'), (2, 3.0, '2026-12-02')");
        }
        var sql = new SourceSpec("orders", Sql: "SELECT * FROM orders", Connection: $"sqlite://{db}");
        var checksum = sql with { Checksum = "SELECT COUNT(*) || ':' || SUM(amount) FROM orders" };
        var mark = sql with { HighWaterMark = "updated_at" };
        Assert.Equal("checksum:2:12.5", await ObserveAsync(checksum));
        Assert.Equal("max(updated_at):2026-12-02", await ObserveAsync(mark));
        var rows = await ObserveAsync(sql);
        Assert.StartsWith("rows:", rows);

        using (var connection = new SqliteConnection($"Data Source={db}"))
        {
            connection.Open();
            Execute(connection, "UPDATE orders SET amount = 4.0 WHERE id = 2"); // a change the high-water mark does not see: it keys on updated_at
        }
        Assert.Equal("checksum:2:13.5", await ObserveAsync(checksum));
        Assert.Equal("max(updated_at):2026-12-02", await ObserveAsync(mark));
        Assert.NotEqual(rows, await ObserveAsync(sql));

        var broken = sql with { HighWaterMark = "no_such_column" };
        var error = await Assert.ThrowsAsync<TendException>(() => ObserveAsync(broken));
        Assert.Contains("the query failed", error.Message);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Theory]
    [InlineData("etag", "etag:\"v1\"")]
    [InlineData("md5", "md5:")]
    [InlineData("modified", "modified:1764547200")]
    [InlineData("none", "sha256:")]
    public async Task AUrl_IsObservedByWhatItsServerSaysOfIt(string validator, string expected)
    {
        var body = "x\n1\n"u8.ToArray();
        using var server = new TinyServer(response =>
        {
            switch (validator)
            {
                case "etag": response.Headers["ETag"] = "\"v1\""; break;
#pragma warning disable CA5351 // Content-MD5 is what the server sends; the test computes it as a server would
                case "md5": response.Headers["Content-MD5"] = Convert.ToBase64String(MD5.HashData(body)); break;
#pragma warning restore CA5351
                case "modified": response.Headers["Last-Modified"] = "Mon, 01 Dec 2025 00:00:00 GMT"; break;
            }
            return body;
        });
        var observed = await ObserveAsync(new SourceSpec("prices", Url: server.Url));
        Assert.StartsWith(expected, observed);
        if (validator == "none")
            Assert.Equal($"sha256:{Convert.ToHexStringLower(SHA256.HashData(body))}", observed);
    }

    [Fact]
    public async Task AUrlThatAnswersAnError_SaysWhat()
    {
        using var server = new TinyServer(response => { response.StatusCode = 404; return []; });
        var error = await Assert.ThrowsAsync<TendException>(() => ObserveAsync(new SourceSpec("prices", Url: server.Url)));
        Assert.Equal($"source 'prices': GET {server.Url} answered 404 Not Found", error.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>An HTTP server on 127.0.0.1 answering HEAD and GET as <c>answer</c> says (HEAD without the body).</summary>
    private sealed class TinyServer : IDisposable
    {
        private readonly HttpListener _http = new();

        public string Url { get; }

        public TinyServer(Func<HttpListenerResponse, byte[]> answer)
        {
            using (var socket = new TcpListener(IPAddress.Loopback, 0))
            {
                socket.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)socket.LocalEndpoint).Port}/prices.csv";
            }
            _http.Prefixes.Add(Url[..(Url.LastIndexOf('/') + 1)]);
            _http.Start();
            _ = Task.Run(async () =>
            {
                while (_http.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _http.GetContextAsync(); } catch { return; }
                    var body = answer(context.Response);
                    if (context.Request.HttpMethod == "GET")
                        await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public void Dispose() => _http.Close();
    }
}
