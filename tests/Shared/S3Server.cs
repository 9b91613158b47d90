using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tend.Testing;

/// <summary>
/// s3rver (tests/s3, an S3-compatible server on Node) on 127.0.0.1 with one bucket, its data in a folder of its own, and
/// the credentials it accepts in the standard environment variables; stopped and removed when disposed.
/// </summary>
internal sealed class S3Server : IAsyncDisposable
{
    public const string Bucket = "tend";

    /// <summary>The key pair s3rver accepts.</summary>
    public const string AccessKey = "S3RVER", SecretKey = "S3RVER";

    private readonly Process _node;
    private readonly string _data;

    private S3Server(Process node, string data, string endpoint) => (_node, _data, Endpoint) = (node, data, endpoint);

    public string Endpoint { get; }

    /// <summary>The artifact store's URI for <paramref name="prefix"/> in the bucket.</summary>
    public string Uri(string prefix) => $"s3://{Bucket}/{prefix}?endpoint={Endpoint}&region=us-east-1";

    public static async Task<S3Server> StartAsync()
    {
        var folder = Path.Combine(Repository(), "tests", "s3");
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        Assert.True(File.Exists(script), "tests/s3 has no node_modules: scripts/test.sh installs them (npm ci --prefix tests/s3)");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretKey);
        var data = Directory.CreateTempSubdirectory("tend-s3-").FullName;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var node = Process.Start(new ProcessStartInfo("node", [script, "-d", data, "-a", "127.0.0.1", "-p", $"{port}", "--silent", "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var endpoint = $"http://127.0.0.1:{port}";
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(50))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new S3Server(node, data, endpoint);
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(30) && !node.HasExited)
            {
            }
        }
    }

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tend.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("not inside the repository");
    }

    public async ValueTask DisposeAsync()
    {
        _node.Kill(entireProcessTree: true);
        await _node.WaitForExitAsync();
        _node.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
