using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Tend.Testing;

/// <summary>
/// A real HTTP listener on 127.0.0.1 answering each attempt as told, and keeping the bodies it got with their signature
/// headers. Its address and a signing key are in environment variables of their own (<see cref="UrlVariable"/>,
/// <see cref="SecretVariable"/>), as tend.yaml names a webhook's.
/// </summary>
public sealed class HookListener : IDisposable
{
    private readonly HttpListener _http = new();
    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>Each request's X-Tend-Timestamp and X-Tend-Signature, in order.</summary>
    public ConcurrentQueue<(string? Timestamp, string? Signature)> Signatures { get; } = new();

    public string Url { get; }
    public string UrlVariable { get; }
    public string SecretVariable { get; }
    public string Secret { get; }

    /// <summary>tend.yaml's <c>monitor.webhook</c> keys for this listener.</summary>
    public string Yaml => $"url: env:{UrlVariable}\n    secret: env:{SecretVariable}";

    public HookListener(params Func<int, Task<int>>[] answers)
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hook/";
        (UrlVariable, SecretVariable, Secret) = ($"TEND_TEST_HOOK_{port}", $"TEND_TEST_HOOK_SECRET_{port}", $"whsec_{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable(UrlVariable, Url);
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
        _http.Prefixes.Add(Url);
        _http.Start();
        _ = Task.Run(async () =>
        {
            for (var i = 0; _http.IsListening; i++)
            {
                HttpListenerContext context;
                try { context = await _http.GetContextAsync(); } catch { return; }
                using (var reader = new StreamReader(context.Request.InputStream))
                    Bodies.Enqueue(await reader.ReadToEndAsync());
                Signatures.Enqueue((context.Request.Headers["X-Tend-Timestamp"], context.Request.Headers["X-Tend-Signature"]));
                context.Response.StatusCode = await answers[Math.Min(i, answers.Length - 1)](i);
                try { context.Response.Close(); } catch (HttpListenerException) { } // the client gave up waiting
            }
        });
    }

    /// <summary>A TCP port on 127.0.0.1 no one listens on now.</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _http.Close();
}
