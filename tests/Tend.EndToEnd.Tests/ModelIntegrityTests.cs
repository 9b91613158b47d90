using System.Net;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>A registered model whose file changed after registration is refused wherever it would be loaded.</summary>
public class ModelIntegrityTests
{
    [Fact]
    public async Task AChangedModelFile_IsNotLoaded_ByTheCliOrTheServer()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var version = await Cli.JsonAsync(ws.Dir, "models", "show", "spam@1");
        var file = Path.Combine(ws.Dir, ".tend", "artifacts", version.GetProperty("artifact").GetString()!);
        Assert.True(File.Exists(file), file);
        var input = ws.Write("rest.csv", ws.Rest);
        Assert.Equal(0, (await Cli.RunAsync("predict", input, "-o", Path.Combine(ws.Dir, "ok.csv"), "--workspace", ws.Dir)).Exit);

        File.SetAttributes(file, FileAttributes.Normal);
        await File.AppendAllTextAsync(file, "tampered");
        var refused = await Cli.RunAsync("predict", input, "-o", Path.Combine(ws.Dir, "no.csv"), "--workspace", ws.Dir);
        Assert.True(refused.Exit == 3, refused.ToString());
        Assert.Contains($"but {version.GetProperty("checksum").GetString()} was registered; the file changed, so it is not loaded", refused.Stderr);

        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);
            Assert.Contains("the file changed", await (await http.GetAsync("/readyz")).Content.ReadAsStringAsync());
        }
    }
}
