using System.Diagnostics;
using System.Text.Json;

namespace Tend.Testing;

/// <summary>tests/oidc/issuer.js under node: a real issuer on 127.0.0.1, stopped when disposed.</summary>
internal sealed class OidcIssuer : IAsyncDisposable
{
    private readonly Process _node;
    private readonly HttpClient _http = new();

    private OidcIssuer(Process node, string url) => (_node, Url) = (node, url);

    public string Url { get; }

    /// <param name="person">Who signs in with the code flow (the web UI's), and <paramref name="roles"/> their roles claim.</param>
    public static async Task<OidcIssuer> StartAsync(string? person = null, string? roles = null)
    {
        var folder = Path.Combine(TendProcess.Repository, "tests", "oidc");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "oauth2-mock-server")), "tests/oidc has no node_modules: scripts/test.sh installs them (npm ci --prefix tests/oidc)");
        var node = Process.Start(new ProcessStartInfo("node", ["issuer.js"])
        {
            WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment = { ["TEND_TEST_OIDC_USER"] = person, ["TEND_TEST_OIDC_ROLES"] = roles },
        })!;
        var url = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException($"the issuer did not start: {await node.StandardError.ReadToEndAsync()}");
        return new OidcIssuer(node, url.Trim());
    }

    /// <summary>A token for <paramref name="subject"/> whose roles claim holds <paramref name="roles"/> (space-separated PROJECT:ROLE).</summary>
    public async Task<string> TokenAsync(string subject, string roles, string audience = "tend")
    {
        using var answer = await _http.PostAsync($"{Url}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "tests", ["sub"] = subject, ["roles"] = roles, ["aud"] = audience,
        }));
        answer.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _node.Kill(entireProcessTree: true);
        await _node.WaitForExitAsync();
        _node.Dispose();
    }
}
