using System.Reflection;
using Npgsql;
using Tend.Core.Stores;
using Xunit.Sdk;

namespace Tend.Testing;

/// <summary>
/// The PostgreSQL server the test command starts and names in TEND_TEST_POSTGRES. A test that needs it is skipped,
/// and reported as skipped, when none is named outside CI; under CI=true a missing server fails the test instead.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "TEND_TEST_POSTGRES";

    /// <summary>Why a test that needs the server is skipped here, or null when it runs.</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } && Environment.GetEnvironmentVariable("CI") != "true"
            ? $"{Variable} is not set: no PostgreSQL server (scripts/test.sh starts one)"
            : null;

    /// <summary>The server's postgres:// URI.</summary>
    public static string Uri => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } uri ? uri
        : throw new InvalidOperationException($"{Variable} must name a PostgreSQL server when CI=true (scripts/test.sh starts one)");

    /// <summary>The URI of a fresh, empty schema of the server: a store of its own for one test.</summary>
    public static async Task<string> FreshSchemaAsync()
    {
        var schema = $"t_{Guid.NewGuid():N}";
        await using (var source = NpgsqlDataSource.Create(PostgresUri.ToConnectionString(new System.Uri(Uri))))
        await using (var command = source.CreateCommand($"CREATE SCHEMA {schema}"))
            await command.ExecuteNonQueryAsync();
        return $"{Uri}{(Uri.Contains('?') ? '&' : '?')}search_path={schema}";
    }
}

/// <summary>A fact that needs the PostgreSQL server (<see cref="PostgresServer"/>).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}

/// <summary>The dialect rows of a store theory: <c>sqlite</c> always, and <c>postgres</c>, skipped as <see cref="PostgresServer"/> says.</summary>
public static class StoreDialect
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}

/// <summary>Adds the <c>postgres</c> row to a theory; it is reported as skipped, never left out, when there is no server here.</summary>
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute() => Skip = PostgresServer.SkipReason;

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[StoreDialect.Postgres]];
}
