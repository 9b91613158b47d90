using Tend.Core.Errors;
using Tend.Data.Sources;
using Tend.Pipelines;

namespace Tend.Cli.Backends;

/// <summary>What <c>tend data add</c> (and <c>validate</c>) reads: a file or folder with its reading options, a query, or a source of tend.yaml.</summary>
internal sealed record DataAddition(string? Name, string? Path, ReadOptions Read, string? Sql, string? Connection, string? Source, bool Append)
{
    /// <summary>What is read, for the progress bar.</summary>
    public string Description => Path ?? Source ?? Sql ?? "";

    /// <summary>The rows it names, read on this machine: a source from tend.yaml (whose 'append' is returned), a query, or a path.</summary>
    public (RowSource Source, bool Append) Open(Workspace ws, CancellationToken ct)
    {
        if (Source is { } named)
        {
            var source = DataSources.Named(ws.Spec, named);
            return (DataSources.Open(source, ws.Root, Read.BadLines, ct), source.Append);
        }
        if (Sql is { } sql)
            return (SqlSource.Query(sql, Connection ?? throw TendException.BadUsage("--sql needs --connection URI"), ct), false);
        var path = Path ?? throw TendException.BadUsage("give a file or folder, --sql with --connection, or --source NAME");
        return (DataSources.Open(path, Read), false);
    }
}
