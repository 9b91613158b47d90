// The prediction log's sustained write rate (bench/prediction_log.sh): RECORDS records of the credit model's 13
// features queued on a PredictionLog over STORE_URI as fast as requests could, until every one is stored. Prints
// records/s from the first queued to the last committed.
using System.Diagnostics;
using System.Globalization;
using Tend.Core.Domain;
using Tend.Serving;
using Tend.Storage.Sql;

var (uri, count) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture));
await using var store = await SqlMetadataStore.OpenAsync(uri, CancellationToken.None);
var random = new Random(1);
string[] homes = ["rent", "owner", "parents", "priv", "other"], maritals = ["married", "single", "widow", "separated", "divorced"], jobs = ["fixed", "freelance", "partime", "others"];
var rows = Enumerable.Range(0, 1000).Select(_ => FeatureRow.Of(new Dictionary<string, string?>
{
    ["Seniority"] = $"{random.Next(0, 40)}", ["Home"] = homes[random.Next(5)], ["Time"] = $"{random.Next(6, 72)}", ["Age"] = $"{random.Next(18, 70)}",
    ["Marital"] = maritals[random.Next(5)], ["Records"] = random.Next(5) == 0 ? "yes" : "no", ["Job"] = jobs[random.Next(4)], ["Expenses"] = $"{random.Next(35, 180)}",
    ["Income"] = $"{random.Next(20, 900)}", ["Assets"] = $"{random.Next(0, 30000)}", ["Debt"] = $"{random.Next(0, 5000)}", ["Amount"] = $"{random.Next(100, 5000)}",
    ["Price"] = $"{random.Next(100, 10000)}",
})).ToArray();
var run = Guid.NewGuid().ToString("N")[..8];
var dropped = 0L;
await using (var log = new PredictionLog(store.Predictions, _ => Interlocked.Increment(ref dropped)))
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var score = random.NextDouble();
        await log.AddAsync([new PredictionRecord($"{run}-{i}", DateTimeOffset.UtcNow, "credit", 1, "primary", rows[i % rows.Length], score >= 0.5 ? "bad" : "good", score, 0.05)], CancellationToken.None);
    }
    await log.FlushAsync(CancellationToken.None);
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"store\": \"{uri.Split(':')[0]}\", \"records\": {count}, \"seconds\": {seconds:0.###}, \"records_per_second\": {count / seconds:0}, \"dropped\": {log.Dropped}, \"failed_writes\": {dropped}}}"));
}
