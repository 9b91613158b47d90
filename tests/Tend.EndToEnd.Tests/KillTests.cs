using System.Diagnostics;
using System.Text.Json;
using Tend.Data.Tabular;
using Tend.Testing;
using Xunit.Abstractions;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// kill -9 at random moments (issue 21, item 5): the real tend, killed during data add, train, models register, models
/// promote and pipeline run (the next in turn until that many were killed before they ended); after each, tend doctor finds no corruption, no missing file and no broken chain,
/// its repair leaves no stuck run, orphan or temp leftover, and audit verify passes. TEND_KILLS sets how many
/// (bench/kill.sh runs 100); TEND_KILL_SEED the seed.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int Kills = int.TryParse(Environment.GetEnvironmentVariable("TEND_KILLS"), out var n) ? n : 20;
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("TEND_KILL_SEED"), out var s) ? s : 9;
    private static readonly string[] Commands = ["data add", "train", "models register", "models promote", "pipeline run"];

    private readonly TestWorkspace _ws = new();

    [Fact]
    public async Task Kill9AtRandomMoments_LeavesAStoreTheDoctorFindsWhole_AndRepairsToHealthy()
    {
        var random = new Random(Seed);
        await _ws.WithChampionAsync();
        for (var i = 0; i < 2; i++)
            await Cli.JsonAsync(_ws.Dir, "train"); // runs to register
        // How long each command takes when let be: a kill lands at a random moment within it, the estimate corrected whenever one ends first.
        var takes = new Dictionary<string, double> { ["data add"] = 900, ["train"] = 2_500, ["models register"] = 700, ["models promote"] = 700, ["pipeline run"] = 6_000 };
        var outcomes = new List<string>();
        for (var kill = 0; outcomes.Count(o => o.Contains("killed after", StringComparison.Ordinal)) < Kills; kill++)
        {
            Assert.True(kill < 3 * Kills, $"too few commands were killed before they ended:\n{string.Join("\n", outcomes)}");
            var command = Commands[kill % Commands.Length];
            var args = await ArgumentsAsync(command, kill, random);
            var delay = TimeSpan.FromMilliseconds(takes[command] * (0.1 + 0.9 * random.NextDouble()));
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(TendProcess.Command([.. args, "--workspace", _ws.Dir]))!;
            var exited = process.WaitForExit(delay);
            if (exited)
                takes[command] = clock.Elapsed.TotalMilliseconds;
            if (!exited)
                process.Kill();
            await process.WaitForExitAsync();
            outcomes.Add($"{command} {(exited ? $"ended by itself ({process.ExitCode})" : $"killed after {delay.TotalMilliseconds:0} ms")}");

            var found = await Cli.RunAsync("doctor", "--workspace", _ws.Dir, "--json");
            var broken = Checks(found).Where(c => c.Key is "store" or "audit" or "files" && c.Value.Count > 0).ToList();
            Assert.True(broken.Count == 0, $"after {outcomes[^1]}: {found.Stdout}");
            var repaired = await Cli.RunAsync("doctor", "--repair", "--grace", "0", "--workspace", _ws.Dir, "--json");
            Assert.True(repaired.Exit == 0 && repaired.Json.GetProperty("healthy").GetBoolean(), $"after {outcomes[^1]}: {repaired}");
            var again = await Cli.RunAsync("doctor", "--workspace", _ws.Dir, "--json");
            Assert.True(again.Exit == 0 && Checks(again).All(c => c.Value.Count == 0), $"after {outcomes[^1]} and a repair: {again.Stdout}");
            Assert.Equal(0, (await Cli.RunAsync("audit", "verify", "--workspace", _ws.Dir)).Exit);
            Assert.Equal(0, (await Cli.JsonAsync(_ws.Dir, "runs", "list", "--where", "status = 'running'")).GetProperty("total").GetInt32());
        }
        output.WriteLine($"seed {Seed}, {Kills} kills in {outcomes.Count} commands:\n{string.Join("\n", outcomes)}");
    }

    private async Task<string[]> ArgumentsAsync(string command, int kill, Random random)
    {
        switch (command)
        {
            case "data add":
                var rows = Enumerable.Range(0, _ws.History.Rows.Count).Where(_ => random.NextDouble() < 0.9).ToArray(); // new content, a new version
                return ["data", "add", _ws.Write($"kill{kill}.csv", _ws.History.Select(rows))];
            case "models register":
                var runs = (await Cli.JsonAsync(_ws.Dir, "runs", "list", "--where", "status = 'finished'")).GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
                var registered = (await Cli.JsonAsync(_ws.Dir, "models", "list")).GetProperty("models").EnumerateArray().Select(v => v.GetProperty("run_id").GetString()).ToHashSet();
                return ["models", "register", runs.FirstOrDefault(r => !registered.Contains(r)) ?? runs[0]];
            case "models promote":
                var versions = (await Cli.JsonAsync(_ws.Dir, "models", "list")).GetProperty("models").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ToList();
                return ["models", "promote", "spam", versions[random.Next(versions.Count)].ToString(System.Globalization.CultureInfo.InvariantCulture), "--force", "--reason", $"kill {kill}"];
            default:
                return command.Split(' ');
        }
    }

    private static Dictionary<string, List<JsonElement>> Checks(Cli.Result doctor) =>
        doctor.Json.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("findings").EnumerateArray().ToList());

    public void Dispose() => _ws.Dispose();
}
