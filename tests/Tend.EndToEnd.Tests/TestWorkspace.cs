using Tend.Data.Tabular;

namespace Tend.EndToEnd.Tests;

/// <summary>A temporary project on the spam sample: tend.yaml, and the data split into a history and the rest.</summary>
internal sealed class TestWorkspace : IDisposable
{
    public static readonly string SpamCsv = Path.Combine(AppContext.BaseDirectory, "samples", "spam", "spam.csv");

    public TestWorkspace()
    {
        Dir = Directory.CreateTempSubdirectory("tend-e2e-").FullName;
        var data = CsvReader.ReadFile(SpamCsv);
        var order = Enumerable.Range(0, data.Rows.Count).ToArray();
        new Random(11).Shuffle(order);
        History = data.Select(order[..3000]);
        Rest = data.Select(order[3000..]);
        HistoryCsv = Write("history.csv", History);
    }

    public string Dir { get; }
    public Table History { get; }
    public Table Rest { get; }
    public string HistoryCsv { get; }

    public string Write(string name, Table table)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, CsvWriter.ToBytes(table));
        return path;
    }

    public async Task InitAsync(double? bar = null)
    {
        var init = await Cli.RunAsync("init", Dir, "--task", "binary", "--label", "type", "--data", HistoryCsv, "--name", "spam");
        Assert.True(init.Exit == 0, init.ToString());
        if (bar is { } b)
            File.WriteAllText(Path.Combine(Dir, "tend.yaml"), File.ReadAllText(Path.Combine(Dir, "tend.yaml")).Replace("bar: 0.75", $"bar: {b.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    /// <summary>init, data add, train, register, evaluate, promote: a workspace with a champion (version 1).</summary>
    public async Task<string> WithChampionAsync()
    {
        await InitAsync();
        await Cli.JsonAsync(Dir, "data", "add", HistoryCsv);
        var runId = (await Cli.JsonAsync(Dir, "train")).GetProperty("run_id").GetString()!;
        await Cli.JsonAsync(Dir, "models", "register", runId);
        await Cli.JsonAsync(Dir, "evaluate", "spam@1");
        await Cli.JsonAsync(Dir, "models", "promote", "spam", "1", "--reason", "first");
        return runId;
    }

    /// <summary>Replaces tend.yaml's <c>monitor:</c> section (the key and its indented lines) with <paramref name="section"/>.</summary>
    public void SetMonitor(string section)
    {
        var path = Path.Combine(Dir, "tend.yaml");
        var lines = File.ReadAllLines(path).ToList();
        var start = lines.IndexOf("monitor:");
        var end = start + 1;
        while (end < lines.Count && (lines[end].Length == 0 || lines[end].StartsWith(' ')))
            end++;
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, section.Split('\n'));
        File.WriteAllLines(path, lines);
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
