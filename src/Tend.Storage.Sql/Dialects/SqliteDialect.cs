using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tend.Storage.Sql.Dialects;

/// <summary>The embedded default: one SQLite file in WAL mode. Write transactions start IMMEDIATE, which serializes writers.</summary>
public sealed class SqliteDialect(string path) : SqlDialect
{
    /// <summary>How long a writer waits for another to finish before SQLite reports busy.</summary>
    public const int BusyTimeoutMs = 30_000;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = BusyTimeoutMs / 1000,
    }.ToString();

    public override string Name => "sqlite";
    public override string IdentityKey => "INTEGER PRIMARY KEY AUTOINCREMENT";
    public override string? WriterLockSql => null;

    public override string IntegrityCheckSql => "PRAGMA integrity_check";

    public override string JsonText(string column, string field) => $"json_extract({column}, '$.{field}')";

    public override string JsonEntries(string column, string field) => $"json_each({column}, '$.{field}')";

    public override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    public override async Task PrepareAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        // Reads through a memory map and a 64 MB page cache: queries over 100,000 runs touch tens of MB of index pages.
        command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={BusyTimeoutMs}; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536;";
        await command.ExecuteNonQueryAsync(ct);
    }
}
