using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// Twenty promotions at once, half by tend processes and half over HTTP to a running server, on one store: the alias
/// history is a chain, each move's "from" the previous move's "to", and the audit says the same (issue 21, item 6).
/// </summary>
public sealed class ConcurrentPromotionTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    [Fact]
    public async Task PromotionsFromTheCliAndOverHttpAtOnce_LeaveAChainedHistory()
    {
        await _ws.WithChampionAsync();
        File.WriteAllText(Path.Combine(_ws.Dir, "tend.yaml"), File.ReadAllText(Path.Combine(_ws.Dir, "tend.yaml")).Replace("seed: 42", "seed: 7"));
        await Cli.JsonAsync(_ws.Dir, "models", "register", (await Cli.JsonAsync(_ws.Dir, "train")).GetProperty("run_id").GetString()!);
        var (server, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", _ws.Dir);
        await using (server)
        {
            using var http = TendProcess.Client(serving.GetProperty("url").GetString()!);
            var cli = Enumerable.Range(0, 10).Select(async i =>
            {
                using var process = Process.Start(TendProcess.Command("models", "promote", "spam", (1 + i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--force", "--reason", $"cli {i}", "--workspace", _ws.Dir))!;
                var stderr = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, await stderr);
            });
            var api = Enumerable.Range(0, 10).Select(async i =>
                (await http.PostAsJsonAsync("/api/v1/models/spam/promote", new { version = 2 - i % 2, reason = $"http {i}", force = true })).EnsureSuccessStatusCode());
            await Task.WhenAll(cli.Concat(api));

            var history = JsonDocument.Parse(await http.GetStringAsync("/api/v1/models/spam/history?alias=champion")).RootElement.EnumerateArray()
                .Select(m => (From: m.GetProperty("from").ValueKind == JsonValueKind.Null ? (int?)null : m.GetProperty("from").GetInt32(), To: m.GetProperty("to").GetInt32(), Reason: m.GetProperty("reason").GetString()!))
                .ToList();
            Assert.Equal(21, history.Count); // the first promotion, then the twenty
            for (var i = 1; i < history.Count; i++)
                Assert.True(history[i].From == history[i - 1].To, $"move {i} ({history[i].Reason}) from {history[i].From}, after a move to {history[i - 1].To}");
            Assert.Equal(10, history.Count(m => m.Reason.StartsWith("cli ", StringComparison.Ordinal)));
            Assert.Equal(0, (await Cli.RunAsync("audit", "verify", "--workspace", _ws.Dir)).Exit);
        }
    }

    public void Dispose() => _ws.Dispose();
}
