using System.Data.Common;

namespace Tend.Storage.Sql.Dialects;

/// <summary>The small seam between SQLite and PostgreSQL; everything else in the store is one SQL text for both.</summary>
public abstract class SqlDialect : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>Column definition of an auto-numbered primary key.</summary>
    public abstract string IdentityKey { get; }

    public abstract DbConnection CreateConnection();

    /// <summary>Serializes writers that must see the latest row (migrations, the audit chain, version numbers) within a transaction.</summary>
    public abstract string? WriterLockSql { get; }

    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    public virtual Task PrepareAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The text of a top-level field of a JSON text column (used by migrations that move fields out of bodies).</summary>
    public abstract string JsonText(string column, string field);

    /// <summary>The statement whose rows say what is wrong with the database's pages and indexes ("ok" when nothing); null when the engine keeps them itself.</summary>
    public virtual string? IntegrityCheckSql => null;

    /// <summary>A table expression of a JSON object field's entries, with columns <c>key</c> and <c>value</c>.</summary>
    public abstract string JsonEntries(string column, string field);

    /// <summary>Appends one metric's values to <c>metric_points</c> as series <paramref name="series"/>; NaN is stored as NULL.</summary>
    public virtual async Task InsertPointsAsync(DbConnection connection, DbTransaction transaction, long series, Core.Domain.MetricBatch batch, CancellationToken ct)
    {
        await using var command = SqlDatabase.Command(connection, transaction,
            "INSERT INTO metric_points (series, step, time, value) VALUES (@series, @step, @time, @value)",
            ("@series", series), ("@step", 0L), ("@time", 0L), ("@value", 0.0));
        await command.PrepareAsync(ct);
        var (step, time, value) = (command.Parameters["@step"], command.Parameters["@time"], command.Parameters["@value"]);
        for (var i = 0; i < batch.Count; i++)
        {
            step.Value = batch.Steps[i];
            time.Value = batch.Timestamps[i];
            value.Value = double.IsNaN(batch.Values[i]) ? DBNull.Value : batch.Values[i];
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Appends prediction log rows (request id, model, time, body) to <c>predictions</c>.</summary>
    public virtual async Task InsertPredictionsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Id, string Model, string Time, string Body)> rows, CancellationToken ct)
    {
        await using var command = SqlDatabase.Command(connection, transaction, "INSERT INTO predictions (request_id, model, time, body) VALUES (@id, @model, @time, @body)",
            ("@id", ""), ("@model", ""), ("@time", ""), ("@body", ""));
        foreach (var (id, model, time, body) in rows)
        {
            (command.Parameters[0].Value, command.Parameters[1].Value, command.Parameters[2].Value, command.Parameters[3].Value) = (id, model, time, body);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Closes pooled connections, so the database can be moved or deleted once the store is disposed.</summary>
    public abstract ValueTask DisposeAsync();
}
