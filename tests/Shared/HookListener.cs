using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Tend.Testing;

/// <summary>A real HTTP listener on 127.0.0.1 answering each attempt as told, and keeping the bodies it got.</summary>
public sealed class HookListener : IDisposable
{
    private readonly HttpListener _http = new();
    public ConcurrentQueue<string> Bodies { get; } = new();
    public string Url { get; }

    public HookListener(params Func<int, Task<int>>[] answers)
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hook/";
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
                context.Response.StatusCode = await answers[Math.Min(i, answers.Length - 1)](i);
                try { context.Response.Close(); } catch (HttpListenerException) { } // the client gave up waiting
            }
        });
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _http.Close();
}
