using System.Text.Json;

namespace Tend.EndToEnd.Tests;

/// <summary>A project on the penguins data (tests/data): init, ingest, train, and promote the run's model as version 1.</summary>
internal static class PenguinProject
{
    public static readonly string Csv = Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv");

    /// <summary>Returns the train command's JSON; its run is registered and is the champion.</summary>
    public static async Task<JsonElement> WithChampionAsync(string dir, string task, string label, string name, Func<JsonElement, Task>? checkRun = null)
    {
        var init = await Cli.RunAsync("init", dir, "--task", task, "--label", label, "--data", Csv, "--name", name);
        Assert.True(init.Exit == 0, init.ToString());
        await Cli.JsonAsync(dir, "data", "add", Csv);
        var train = await Cli.JsonAsync(dir, "train");
        if (checkRun is not null)
            await checkRun(train);
        await Cli.JsonAsync(dir, "models", "register", train.GetProperty("run_id").GetString()!);
        await Cli.JsonAsync(dir, "evaluate", $"{name}@1");
        await Cli.JsonAsync(dir, "models", "promote", name, "1", "--reason", "first");
        return train;
    }
}
