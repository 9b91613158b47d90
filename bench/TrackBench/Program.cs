// Tracking benchmarks (bench/tracking.sh):
//   log URL POINTS        one run, POINTS values of "loss" logged through the SDK as a training loop would; prints points/s
//   seed STORE_URI RUNS   RUNS finished runs (params, metrics, tags) written straight into a metadata store, in one transaction
using System.Diagnostics;
using System.Globalization;
using Tend.Client;
using Tend.Core.Domain;
using Tend.Storage.Sql;

switch (args[0])
{
    case "log":
    {
        var points = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var tend = new TendClient(new Uri(args[1]), Environment.GetEnvironmentVariable("TEND_TOKEN"));
        var run = await tend.StartRunAsync("bench", name: $"{points} points");
        var clock = Stopwatch.StartNew();
        for (var step = 0; step < points; step++)
            run.LogMetric("loss", 1.0 / (step + 1) + Math.Sin(step / 1000.0) * 0.01, step);
        var logged = clock.Elapsed.TotalSeconds;
        await run.EndAsync();
        var total = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{{\"run\": \"{run.Id}\", \"points\": {points}, \"log_calls_seconds\": {logged:0.###}, \"stored_seconds\": {total:0.###}, \"points_per_second\": {points / total:0}}}");
        break;
    }
    case "seed":
    {
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        await using var store = await SqlMetadataStore.OpenAsync(args[1], CancellationToken.None);
        var random = new Random(1);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var clock = Stopwatch.StartNew();
        var trainers = new[] { "lightgbm", "fasttree", "sdca", "lbfgs" };
        var runs = Enumerable.Range(0, count).Select(i => new Run($"{i:x8}{Guid.NewGuid():N}"[..32], "bench", RunStatus.Finished, start.AddSeconds(i * 20), start.AddSeconds(i * 20 + 15), "bench@0123",
            new Dictionary<string, string> { ["trainer"] = trainers[i % 4], ["seed"] = (i % 10).ToString(CultureInfo.InvariantCulture), ["learning_rate"] = random.NextDouble().ToString("0.###", CultureInfo.InvariantCulture) },
            new Dictionary<string, double> { ["auc"] = 0.8 + random.NextDouble() * 0.2, ["log_loss"] = random.NextDouble() },
            new Dictionary<string, string> { ["model"] = $"models/{i:x64}.zip" }, new Dictionary<string, string> { ["os"] = "bench" },
            Tags: new Dictionary<string, string> { ["team"] = i % 3 == 0 ? "blue" : "red" })).ToList();
        await store.Runs.SaveManyAsync(runs, CancellationToken.None);
        Console.WriteLine($"{{\"runs\": {count}, \"seconds\": {clock.Elapsed.TotalSeconds:0.##}}}");
        break;
    }
}
