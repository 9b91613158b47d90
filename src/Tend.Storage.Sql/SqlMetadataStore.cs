using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Core.Stores;
using Tend.Storage.Sql.Dialects;
using Tend.Storage.Sql.Stores;

namespace Tend.Storage.Sql;

/// <summary>The one SQL metadata store; the dialect is chosen by the URI's scheme.</summary>
public sealed class SqlMetadataStore : IMetadataStore
{
    public static readonly IReadOnlyList<string> Schemes = ["sqlite", "postgres"];

    private readonly SqlDatabase _db;

    /// <summary>For tests that write rows as an earlier build did.</summary>
    internal SqlDatabase Database => _db;

    private SqlMetadataStore(SqlDatabase db)
    {
        _db = db;
        Datasets = new SqlDatasetStore(db);
        Runs = new SqlRunStore(db);
        Models = new SqlModelStore(db);
        Evaluations = new SqlEvaluationStore(db);
        Approvals = new SqlApprovalStore(db);
        Deployments = new SqlDeploymentStore(db);
        Audit = new SqlAuditLog(db);
        Predictions = new SqlPredictionStore(db);
        Monitors = new SqlMonitorStore(db);
        Alerts = new SqlAlertStore(db);
        Pipelines = new SqlPipelineStore(db);
        Projects = new SqlProjectStore(db);
        Access = new SqlAccessStore(db);
        Releases = new SqlReleaseStore(db);
        Jobs = new SqlJobStore(db);
    }

    public IDatasetStore Datasets { get; }
    public IRunStore Runs { get; }
    public IModelStore Models { get; }
    public IEvaluationStore Evaluations { get; }
    public IDeploymentStore Deployments { get; }
    public IApprovalStore Approvals { get; }
    public IAuditLog Audit { get; }
    public IPredictionStore Predictions { get; }
    public IMonitorStore Monitors { get; }
    public IAlertStore Alerts { get; }
    public IPipelineStore Pipelines { get; }
    public IProjectStore Projects { get; }

    public IAccessStore Access { get; }
    public IReleaseStore Releases { get; }
    public IJobStore Jobs { get; }

    /// <summary>Opens <c>sqlite:///path/tend.db</c> or <c>postgres://user:password@host:port/database[?search_path=schema]</c> and applies pending migrations.</summary>
    public static async Task<SqlMetadataStore> OpenAsync(string uri, CancellationToken ct)
    {
        var db = new SqlDatabase(CreateDialect(uri));
        try
        {
            await Migrations.ApplyAsync(db, ct);
        }
        catch
        {
            await db.Dialect.DisposeAsync();
            throw;
        }
        return new SqlMetadataStore(db);
    }

    public static SqlDialect CreateDialect(string uri)
    {
        var colon = uri.IndexOf("://", StringComparison.Ordinal);
        var scheme = colon < 0 ? "" : uri[..colon];
        return scheme switch
        {
            "sqlite" => SqliteFromUri(uri[(colon + 3)..]),
            "postgres" or "postgresql" => new PostgresDialect(PostgresUri.ToConnectionString(new Uri(uri))),
            _ => throw TendException.BadUsage($"unsupported metadata store '{uri}'; the scheme must be one of: {string.Join(", ", Schemes)}"),
        };
    }

    private static SqliteDialect SqliteFromUri(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new SqliteDialect(path);
    }

    public async Task<IReadOnlySet<string>> ReferencedArtifactsAsync(IReadOnlyCollection<string>? artifacts, CancellationToken ct)
    {
        var d = _db.Dialect;
        var owners = "SELECT value AS artifact FROM run_artifacts" +
            $" UNION SELECT {d.JsonText("body", "artifact")} FROM model_versions" +
            $" UNION SELECT {d.JsonText("body", "artifact")} FROM datasets" +
            " UNION SELECT 'datasets/' || version || '/profile.json' FROM datasets" +
            $" UNION SELECT {d.JsonText("body", "report")} FROM evaluations";
        if (artifacts is { Count: 0 })
            return new HashSet<string>();
        var parameters = (artifacts ?? []).Select((a, i) => ($"@a{i}", (object?)a)).ToArray();
        var among = artifacts is null ? "" : $" AND artifact IN ({string.Join(", ", parameters.Select(p => p.Item1))})";
        return (await _db.QueryAsync($"SELECT artifact FROM ({owners}) owned WHERE artifact IS NOT NULL{among}", r => r.GetString(0), ct, parameters))
            .ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<string>> IntegrityProblemsAsync(CancellationToken ct) =>
        _db.Dialect.IntegrityCheckSql is { } sql ? (await _db.QueryAsync(sql, r => r.GetString(0), ct)).Where(line => line != "ok").ToList() : [];

    public ValueTask DisposeAsync() => _db.Dialect.DisposeAsync();
}
