using Tend.Core.Domain;
using Tend.Core.Stores;
using Tend.Testing;

namespace Tend.Storage.Sql.Tests;

internal static class Fixtures
{
    public static async Task<SqlMetadataStore> SqliteAsync() => await SqlMetadataStore.OpenAsync(SqliteUri(), CancellationToken.None);

    /// <summary>A store in a fresh schema of the test server, so tests never see each other's rows.</summary>
    public static async Task<SqlMetadataStore> PostgresAsync() => await SqlMetadataStore.OpenAsync(await PostgresServer.FreshSchemaAsync(), CancellationToken.None);

    public static string SqliteUri() => $"sqlite://{Directory.CreateTempSubdirectory("tend-sql-").FullName}/tend.db";

    /// <summary>A dataset version whose sha256 starts with <paramref name="prefix"/>.</summary>
    public static DatasetVersion Dataset(string name, string prefix) => Dataset(name, prefix.PadRight(64, '0'), 0);

    private static DatasetVersion Dataset(string name, string hash, int _) =>
        new(name, hash, 2, 1, DateTimeOffset.UtcNow, $"datasets/{hash}.csv", "test.csv",
            new DataSchema([new ColumnSchema("x", ColumnType.Numeric, false, Min: 1, Max: 2)]), new DataProfile(2, []));

    public static Run Run(string id) =>
        new(id, "p", RunStatus.Finished, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "p@abc", new Dictionary<string, string> { ["seed"] = "42" },
            new Dictionary<string, double> { ["auc"] = 0.9 }, new Dictionary<string, string> { ["model"] = "models/x.zip" }, new Dictionary<string, string>());

    public static ModelVersion Model(string runId) =>
        new("p", 0, runId, "models/x.zip", "sum", "p@abc", new Dictionary<string, double> { ["auc"] = 0.9 }, DateTimeOffset.UtcNow, []);

    public static PredictionRecord Prediction(string id, DateTimeOffset time) =>
        new(id, time, "p", 1, "primary", FeatureRow.Of(new Dictionary<string, string?> { ["x"] = "1.5", ["y"] = null }), "spam", 0.8, 1.2);

    public static AuditEntry Audit(string action) => new("tester", action, "subject", "because");
}
