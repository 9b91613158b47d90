using System.Diagnostics;
using System.Text.Json;
using Tend.Testing;

namespace Tend.Client.Tests;

/// <summary>A real <c>tend serve</c> process on 127.0.0.1 (any free port) over a fresh workspace on the spam sample; killed when disposed.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri url, string workspace) => (_process, Url, Workspace) = (process, url, workspace);

    public Uri Url { get; }
    public string Workspace { get; }

    public static async Task<ServerProcess> StartAsync()
    {
        var workspace = Directory.CreateTempSubdirectory("tend-client-").FullName;
        var spam = Path.Combine(Path.GetDirectoryName(TendProcess.Dll)!, "samples", "spam", "spam.csv");
        using (var init = Process.Start(Info("init", workspace, "--task", "binary", "--label", "type", "--data", spam, "--name", "spam"))!)
        {
            await init.WaitForExitAsync();
            Assert.True(init.ExitCode == 0, await init.StandardError.ReadToEndAsync());
        }
        var process = Process.Start(Info("serve", "--port", "0", "--workspace", workspace, "--json"))!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
            ?? throw new InvalidOperationException($"tend serve ended: {await process.StandardError.ReadToEndAsync()}");
        var url = JsonDocument.Parse(line).RootElement.GetProperty("url").GetString()!;
        return new ServerProcess(process, new Uri(url.TrimEnd('/') + "/"), workspace);
    }

    private static ProcessStartInfo Info(params string[] args) => TendProcess.Command(args);

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(Workspace, recursive: true);
    }
}
