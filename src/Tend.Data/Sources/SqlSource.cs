using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Data.Tabular;

namespace Tend.Data.Sources;

/// <summary>The result of a query against SQLite (<c>sqlite:///path.db</c>, opened read-only) or PostgreSQL (<c>postgres://…</c>).</summary>
public static class SqlSource
{
    public static RowSource Query(string sql, string connection, CancellationToken ct) => Run<RowSource>(sql, connection, (command, description) =>
    {
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            var row = new string?[columns.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = Text(reader.GetValue(i), columns[i], rows.Count + 1, description);
            rows.Add(row);
        }
        return new TableSource(new Table(columns, rows), description);
    });

    /// <summary>The first value of the first row of <paramref name="sql"/>'s result, as text (null for none or NULL): a checksum, a high-water mark.</summary>
    public static string? Scalar(string sql, string connection) => Run(sql, connection, (command, description) =>
        command.ExecuteScalar() is { } value and not DBNull ? Text(value, "", 1, description) : null);

    /// <summary>Runs <paramref name="sql"/> on a connection of its own; a failure of the database is the user's to fix, and says which query (never the password).</summary>
    private static T Run<T>(string sql, string connection, Func<DbCommand, string, T> read)
    {
        var description = $"{Redact(connection)}: {sql}";
        try
        {
            using var db = Connect(connection);
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = sql;
            return read(command, description);
        }
        catch (DbException e)
        {
            throw TendException.BadUsage($"{description}: the query failed: {e.Message}");
        }
    }

    private static DbConnection Connect(string connection)
    {
        if (!Uri.TryCreate(connection, UriKind.Absolute, out var uri))
            throw TendException.BadField("connection", $"connection '{connection}' is not a URI; expected sqlite:///path/to.db or postgres://user@host/db");
        return uri.Scheme switch
        {
            "sqlite" when File.Exists(uri.LocalPath) => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = uri.LocalPath, Mode = SqliteOpenMode.ReadOnly }.ToString()),
            "sqlite" => throw TendException.NotFound($"{uri.LocalPath}: no such SQLite database"),
            "postgres" or "postgresql" => new NpgsqlConnection(PostgresUri.ToConnectionString(uri)),
            _ => throw TendException.BadField("connection", $"connection scheme '{uri.Scheme}' is not supported; use sqlite:///path/to.db or postgres://user@host/db", "sqlite", "postgres"),
        };
    }

    private static string? Text(object value, string column, int row, string where) => value switch
    {
        DBNull => null,
        string s => s.Length == 0 ? null : s,
        double d => Cells.Format(d),
        float f => Cells.Format(f),
        decimal m => m.ToString(System.Globalization.CultureInfo.InvariantCulture),
        long or int or short or byte => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => Cells.Format(t),
        DateOnly d => Cells.Format(d.ToDateTime(TimeOnly.MinValue)), // PostgreSQL's date, as Npgsql reads it
        DateTimeOffset t => Cells.Format(t.UtcDateTime),
        _ => throw TendException.InvalidData($"{where}: row {row}, column '{column}': values of type {value.GetType().Name} cannot be ingested; cast it in the query"),
    };

    /// <summary>The connection without its password, as recorded in the version.</summary>
    private static string Redact(string connection) =>
        Uri.TryCreate(connection, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')
            ? connection.Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***")
            : connection;
}
