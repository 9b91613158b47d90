using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>/openapi/v1.json describes every endpoint: what a POST or PUT takes, and what each answers when it succeeds.</summary>
public sealed class OpenApiTests
{
    private static readonly string[] WithBody = ["post", "put", "patch"];

    /// <summary>A server on a new project (no model yet), for <paramref name="use"/>.</summary>
    private static async Task ServeAsync(Func<HttpClient, Task> use)
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            await use(http);
        }
    }

    [Fact]
    public Task EveryBodyAndEverySuccess_HasASchema() => ServeAsync(async http =>
    {
        var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
        var missing = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (WithBody.Contains(operation.Name) && !HasSchema(operation.Value, "requestBody"))
                    missing.Add($"{name}: no request schema");
                var success = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
                if (!success.Any(r => r.Name == "204" || HasContentSchema(r.Value)))
                    missing.Add($"{name}: no 2xx schema");
            }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.True(document.GetProperty("paths").EnumerateObject().Count() > 40);
    });

    [Fact]
    public Task ABadEnumOrAMissingBody_IsA400_ThatSaysWhatWasExpected() => ServeAsync(async http =>
    {
        var run = JsonDocument.Parse(await (await http.PostAsJsonAsync("/api/v1/runs", new { project = "spam" })).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var bogus = await http.PostAsJsonAsync($"/api/v1/runs/{run}/end", new { status = "bogus" });
        var problem = JsonDocument.Parse(await bogus.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Equal("malformed JSON at $.status: 'bogus' is not one of: running, finished, failed, killed", problem.GetProperty("detail").GetString());
        Assert.Equal("status", problem.GetProperty("field").GetString());

        var number = await http.PostAsJsonAsync($"/api/v1/runs/{run}/end", new { status = 7 });
        Assert.Equal(HttpStatusCode.BadRequest, number.StatusCode);
        Assert.Contains("expected one of: running, finished, failed, killed", await number.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var empty = await http.PostAsync($"/api/v1/runs/{run}/end", new StringContent("", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var none = await http.PostAsync("/api/v1/models", null);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal("the request needs a JSON body", JsonDocument.Parse(await none.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());

        var status = await http.GetAsync("/api/v1/approvals?status=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        Assert.Contains("pending | approved | rejected", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    });

    private static bool HasSchema(JsonElement operation, string property) =>
        operation.TryGetProperty(property, out var body) && HasContentSchema(body);

    private static bool HasContentSchema(JsonElement element) =>
        element.TryGetProperty("content", out var content) && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _));
}
