using System.Data.Common;
using Npgsql;

namespace Tend.Storage.Sql.Dialects;

/// <summary>The scale-out metadata store: PostgreSQL shared by many servers and workers.</summary>
public sealed class PostgresDialect(string connectionString) : SqlDialect
{
    /// <summary>An arbitrary, fixed advisory-lock key that all Tend writers agree on.</summary>
    private const long WriterLockKey = 0x7E4D_0001;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Name => "postgres";
    public override string IdentityKey => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    public override string? WriterLockSql => $"SELECT pg_advisory_xact_lock({WriterLockKey})";

    public override string JsonText(string column, string field) => $"(({column})::json ->> '{field}')";

    public override string JsonEntries(string column, string field) => $"json_each_text(({column})::json -> '{field}')";

    /// <summary>Binary COPY: one round trip for the whole batch.</summary>
    public override async Task InsertPointsAsync(DbConnection connection, DbTransaction transaction, long series, Core.Domain.MetricBatch batch, CancellationToken ct)
    {
        await using var import = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            "COPY metric_points (series, step, time, value) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < batch.Count; i++)
        {
            await import.StartRowAsync(ct);
            await import.WriteAsync(series, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
            await import.WriteAsync(batch.Steps[i], NpgsqlTypes.NpgsqlDbType.Bigint, ct);
            await import.WriteAsync(batch.Timestamps[i], NpgsqlTypes.NpgsqlDbType.Bigint, ct);
            if (double.IsNaN(batch.Values[i]))
                await import.WriteNullAsync(ct);
            else
                await import.WriteAsync(batch.Values[i], NpgsqlTypes.NpgsqlDbType.Double, ct);
        }
        await import.CompleteAsync(ct);
    }

    /// <summary>Binary COPY: the prediction log's batch in one round trip, not a statement a row.</summary>
    public override async Task InsertPredictionsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Id, string Model, string Time, string Body)> rows, CancellationToken ct)
    {
        await using var import = await ((NpgsqlConnection)connection).BeginBinaryImportAsync("COPY predictions (request_id, model, time, body) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (id, model, time, body) in rows)
        {
            await import.StartRowAsync(ct);
            await import.WriteAsync(id, NpgsqlTypes.NpgsqlDbType.Text, ct);
            await import.WriteAsync(model, NpgsqlTypes.NpgsqlDbType.Text, ct);
            await import.WriteAsync(time, NpgsqlTypes.NpgsqlDbType.Text, ct);
            await import.WriteAsync(body, NpgsqlTypes.NpgsqlDbType.Text, ct);
        }
        await import.CompleteAsync(ct);
    }

    public override DbConnection CreateConnection() => _dataSource.CreateConnection();

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(ct);
}
