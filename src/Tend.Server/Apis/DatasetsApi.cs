using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Data.Sources;
using Tend.Data.Versions;
using Tend.Pipelines;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>
/// The data commands over HTTP: list, show, schema, profile and diff of dataset versions, and ingest or validate a file
/// sent as the request body (the reading options of <c>tend data add</c> as query parameters).
/// </summary>
public static class DatasetsApi
{
    /// <summary>An upload may be large (a whole dataset), but not unbounded.</summary>
    public const long MaxUploadBytes = 2L << 30;

    /// <summary>What an ingest did: a new version, one already stored, or none because validation failed.</summary>
    public sealed record Ingested(bool Created, bool Rejected, DatasetVersion Version, bool Restored = false);

    /// <summary>How a body measured up against the dataset's newest version (nothing stored).</summary>
    public sealed record Validated(bool Passed, IReadOnlyList<Anomaly> Anomalies, int Rows, int SchemaRevision);

    /// <summary>The content types an upload may have; the query's <c>format</c> (or the content type) says which reader.</summary>
    private static readonly string[] UploadTypes = ["text/csv", "text/tab-separated-values", "application/x-ndjson", "application/vnd.apache.parquet", "application/octet-stream"];

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/datasets");
        api.MapGet("", async (DatasetCatalog datasets, CancellationToken ct) => TypedResults.Ok(await datasets.ListAsync(ct)))
            .WithName("Datasets").In(Permission.Read, Needs.Served).WithSummary("Dataset versions, oldest first.");
        api.MapGet("/{dataset}", async (string dataset, DatasetCatalog datasets, CancellationToken ct) => TypedResults.Ok(await datasets.GetAsync(dataset, ct)))
            .WithName("Dataset").In(Permission.Read, Needs.Served).WithSummary("One version (NAME for the newest, or NAME@VERSION): lineage, schema, profile summary, validation report.");
        api.MapGet("/{dataset}/schema", async (string dataset, DatasetCatalog datasets, CancellationToken ct) =>
            {
                var version = await datasets.GetAsync(dataset, ct);
                return TypedResults.Ok(new { dataset = version.Reference, revision = version.Schema.Revision, columns = version.Schema.Columns });
            })
            .WithName("DatasetSchema").In(Permission.Read, Needs.Served).WithSummary("A version's schema.");
        api.MapGet("/{dataset}/profile", async (string dataset, DatasetCatalog datasets, CancellationToken ct) =>
                TypedResults.Ok(await datasets.LoadProfileAsync(await datasets.GetAsync(dataset, ct), ct)))
            .WithName("DatasetProfile").In(Permission.Read, Needs.Served).WithSummary("A version's full profile, with each numeric column's reference distribution.");
        api.MapGet("/{dataset}/diff/{other}", async (string dataset, string other, DatasetCatalog datasets, Workspace ws, CancellationToken ct) =>
            {
                var (a, b) = (await datasets.GetAsync(dataset, ct), await datasets.GetAsync(other, ct));
                return TypedResults.Ok(await DatasetDiff.CompareAsync(datasets, a, b, ws.Spec.Monitor, ct));
            })
            .WithName("DatasetDiff").In(Permission.Read, Needs.Served).WithSummary("Schema changes, row counts and per-column distribution change between two versions.");
        api.MapPost("/{name}", AddAsync).Accepts<Stream>(UploadTypes[0], UploadTypes[1..]).WithName("AddDataset").In(Permission.Contribute, Needs.Served).DisableAntiforgery()
            .WithSummary("Ingest the body (CSV, TSV, JSON Lines or Parquet) as a version: 201 when new, 200 when already stored, 422 with the report when validation fails (nothing stored).");
        api.MapPost("/{name}/validate", ValidateAsync).Accepts<Stream>(UploadTypes[0], UploadTypes[1..]).WithName("ValidateDataset").In(Permission.Read, Needs.Served).DisableAntiforgery()
            .WithSummary("Validate the body against the dataset's newest version, storing nothing.");
        return app;
    }

    private static async Task<Results<Created<Ingested>, Ok<Ingested>, UnprocessableEntity<Ingested>>> AddAsync(string name, HttpRequest request, bool? append,
        DatasetCatalog datasets, Workspace ws, CancellationToken ct)
    {
        var ingest = await WithUploadAsync(request, ws.Temp, source =>
            datasets.AddAsync(name, source, new IngestOptions(RequestActor.Of(request.HttpContext), ws.Spec, append ?? false), ct), ct);
        var answer = new Ingested(ingest.Created, ingest.Rejected, ingest.Version, ingest.Restored);
        return ingest.Rejected ? TypedResults.UnprocessableEntity(answer) : ingest.Created ? TypedResults.Created((string?)null, answer) : TypedResults.Ok(answer);
    }

    private static async Task<Ok<Validated>> ValidateAsync(string name, HttpRequest request, DatasetCatalog datasets, Workspace ws, CancellationToken ct)
    {
        var result = await WithUploadAsync(request, ws.Temp, source => datasets.ValidateAsync(name, source, ws.Spec, ct), ct);
        var report = result.Version.Validation!;
        return TypedResults.Ok(new Validated(report.Passed, report.Anomalies, result.Version.Rows, result.Version.Schema.Revision));
    }

    /// <summary>Spools the body to a temporary file (readers make two passes), reads it with the query's options, and deletes it.</summary>
    private static async Task<T> WithUploadAsync<T>(HttpRequest request, TempFolder temp, Func<RowSource, Task<T>> use, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxUploadBytes;
        var options = Options(request);
        var file = temp.NewFile("upload." + options.Format);
        try
        {
            await using (var stream = File.Create(file))
                await request.Body.CopyToAsync(stream, ct);
            if (new FileInfo(file).Length == 0)
                throw TendException.BadUsage("the request body is empty; send the file's bytes as the body");
            return await use(DataSources.Open(file, options));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The format from <c>?format=</c> or the Content-Type; the other reading options from the query.</summary>
    private static ReadOptions Options(HttpRequest request)
    {
        var query = request.Query;
        var format = query["format"].FirstOrDefault() ?? (request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "text/csv" => "csv",
            "text/tab-separated-values" => "tsv",
            "application/x-ndjson" or "application/jsonl" or "application/jsonlines" => "jsonl",
            "application/vnd.apache.parquet" or "application/x-parquet" => "parquet",
            _ => throw TendException.BadUsage($"say the body's format with ?format={string.Join("|", DataSources.Formats)} or a Content-Type (text/csv, text/tab-separated-values, application/x-ndjson, application/vnd.apache.parquet); got '{request.ContentType}'"),
        });
        if (!DataSources.Formats.Contains(format))
            throw TendException.BadField("format", $"format '{format}' is not supported; use one of: {string.Join(", ", DataSources.Formats)}", DataSources.Formats);
        var header = query["header"].FirstOrDefault() switch
        {
            null => (bool?)null,
            "true" => true,
            "false" => false,
            var other => throw TendException.BadUsage($"header must be true or false, got '{other}'"),
        };
        var badLines = BadLinesOption.Parse(query["on_bad_lines"].FirstOrDefault());
        var fileName = Path.GetFileName(query["filename"].FirstOrDefault() ?? $"upload.{format}");
        return new ReadOptions(format, query["delimiter"].FirstOrDefault(), header, query["encoding"].FirstOrDefault(), badLines, $"upload:{fileName}");
    }
}
