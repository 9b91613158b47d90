using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Core.Stores;
using Tend.Pipelines.Services;
using Tend.Server.Access;
using Tend.Serving;
using Tend.Serving.Protocols;

namespace Tend.Server.Apis;

public static class PredictApi
{
    /// <summary>The largest prediction or feedback body taken (8 MiB, about 20,000 rows of 50 features); a larger one gets 413.</summary>
    public const long MaxBodyBytes = 8 << 20;

    /// <summary>Limits an endpoint's request body to <see cref="MaxBodyBytes"/>.</summary>
    internal static RouteHandlerBuilder WithBodyLimit(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/models/{name}/predict", PredictAsync).WithBodyLimit().WithName("Predict").In(Permission.Predict, Needs.Route("name")).WithSummary("Predict one row (a JSON object) or many (an array) with the champion; ?explain=true adds each column's contribution (tree and linear models).")
            .Accepts<JsonElement>("application/json").Produces<PredictionResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/v1/feedback", FeedbackAsync).WithBodyLimit().WithName("Feedback").InAnyProject(Permission.Predict).WithSummary("Record the true label of served predictions: one {request_id, label} (404 if unknown) or an array (200 with accepted and the unknown ids); sending the same again is harmless.")
            .Accepts<JsonElement>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> PredictAsync(string name, bool? explain, HttpRequest request, PredictionService service, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct);
        return new PredictionResult(await service.PredictAsync(new NativeRequest(name, body, RoutingKey(request)) { Explain = explain == true }, ct));
    }

    /// <summary>
    /// The native answer, written by <see cref="PredictionResponseJson"/> into a buffer kept per thread, then into the
    /// response with its length (no chunking): one write, and no buffer made per request.
    /// </summary>
    private sealed class PredictionResult(PredictionResponse response) : IResult
    {
        [ThreadStatic] private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _cached;

        public Task ExecuteAsync(HttpContext context)
        {
            var (buffer, writer) = _cached ??= (new ArrayBufferWriter<byte>(1024), new Utf8JsonWriter(Stream.Null));
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            PredictionResponseJson.Write(writer, response);
            writer.Flush();
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = buffer.WrittenCount;
            context.Response.BodyWriter.Write(buffer.WrittenSpan);
            return context.Response.BodyWriter.FlushAsync().AsTask();
        }
    }

    /// <summary>The header that keeps a client on one side of a canary: the same key, the same route.</summary>
    public const string RoutingKeyHeader = "X-Tend-Routing-Key";

    internal static string? RoutingKey(HttpRequest request) =>
        request.Headers.TryGetValue(RoutingKeyHeader, out var key) && key.ToString() is { Length: > 0 } k ? k : null;

    /// <summary>One <c>{request_id, label}</c> (404 when no prediction has that id), or an array of them (200 with the ids no prediction has).</summary>
    /// <remarks>Only predictions of the projects the caller may call take their feedback (all, when predictions are open: <c>serving.auth: none</c>); another's request id is unknown.</remarks>
    private static async Task<Results<Ok<FeedbackBatch>, Ok<FeedbackAccepted>, NotFound<ProblemMessage>>> FeedbackAsync(HttpRequest request, MonitoringService monitoring, PredictionLog log, CancellationToken ct)
    {
        var models = request.HttpContext.CallerOrNull()?.Projects(Permission.Predict);
        var body = await ReadJsonAsync(request, ct);
        await log.FlushAsync(ct); // a prediction answered a moment ago is stored before its feedback joins it
        if (body.ValueKind == JsonValueKind.Array)
        {
            var many = body.EnumerateArray().Select((item, i) => Feedback(item, $"item {i}: ")).ToList();
            var unknown = await monitoring.AddFeedbackAsync(many, ct, models);
            return TypedResults.Ok(new FeedbackBatch(many.Count - unknown.Count, unknown));
        }
        var one = Feedback(body, "");
        return (await monitoring.AddFeedbackAsync([one], ct, models)).Count == 0
            ? TypedResults.Ok(new FeedbackAccepted(one.RequestId, one.Label))
            : TypedResults.NotFound(new ProblemMessage($"no prediction has request_id '{one.RequestId}'"));
    }

    private static Feedback Feedback(JsonElement item, string where) =>
        item.ValueKind == JsonValueKind.Object
            ? new Feedback(Text(item, "request_id", where, TextLimit.Key), Text(item, "label", where, TextLimit.Value))
            : throw TendException.BadUsage($"{where}expected a JSON object {{\"request_id\": \"…\", \"label\": …}} or an array of them");

    private static string Text(JsonElement body, string field, string where, int max) =>
        !body.TryGetProperty(field, out var value) ? throw TendException.BadUsage($"{where}field '{field}' is missing")
        : value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 } text => text.Length <= max ? text : throw TendException.BadUsage($"{where}field '{field}' {TextLimit.TooLong(text, max)}"),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw TendException.BadUsage($"{where}field '{field}' must be a non-empty text or a number"),
        };

    /// <summary>
    /// The request body, read whole (it is limited by <see cref="MaxBodyBytes"/>) from the server's own buffers into one
    /// array of its size, to be parsed where a mistake is logged.
    /// </summary>
    /// <remarks>A body that does not say it is JSON is a 415: a browser's cross-site form or text/plain POST is never read as one.</remarks>
    internal static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasJsonContentType())
            throw new BadHttpRequestException($"expected a JSON body (Content-Type: application/json), got {TextLimit.Excerpt(request.ContentType is { Length: > 0 } type ? type : "none")}",
                StatusCodes.Status415UnsupportedMediaType);
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            if (read.IsCompleted)
            {
                var body = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return body;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End); // nothing taken yet: wait for the rest
        }
    }

    internal static async Task<JsonElement> ReadJsonAsync(HttpRequest request, CancellationToken ct) => JsonBody.Parse(await ReadBodyAsync(request, ct));

    public sealed record FeedbackAccepted(string RequestId, string Label);

    /// <summary>How many of a batch of feedback were recorded, and the request ids no prediction has.</summary>
    public sealed record FeedbackBatch(int Accepted, IReadOnlyList<string> Unknown);

    public sealed record ProblemMessage(string Detail);
}
