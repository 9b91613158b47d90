using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Prometheus;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Serving;

namespace Tend.Server.Apis;

public static class PredictApi
{
    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/models/{name}/predict", PredictAsync).WithName("Predict").WithSummary("Predict one row (a JSON object) or many (an array) with the champion; ?explain=true adds each column's contribution (tree and linear models).")
            .Accepts<JsonElement>("application/json").Produces<PredictionResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/v1/feedback", FeedbackAsync).WithName("Feedback").WithSummary("Record the true label of a served prediction by its request id.")
            .Accepts<JsonElement>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> PredictAsync(string name, bool? explain, HttpRequest request, PredictionService service, CancellationToken ct)
    {
        using var timer = ServingMetrics.Latency.WithLabels(name).NewTimer();
        var body = await ReadJsonAsync(request, ct);
        var response = await service.PredictAsync(name, body.RootElement, ct, explain == true);
        ServingMetrics.Predictions.WithLabels(name, response.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc(response.Predictions.Count);
        return Json(response);
    }

    private static async Task<Results<Ok<FeedbackAccepted>, NotFound<ProblemMessage>>> FeedbackAsync(HttpRequest request, IPredictionStore predictions, CancellationToken ct)
    {
        var body = (await ReadJsonAsync(request, ct)).RootElement;
        if (body.ValueKind != JsonValueKind.Object)
            throw TendException.BadUsage("expected a JSON object {\"request_id\": \"…\", \"label\": …}");
        var id = Text(body, "request_id");
        var label = Text(body, "label");
        return await predictions.AddFeedbackAsync(id, label, ct)
            ? TypedResults.Ok(new FeedbackAccepted(id, label))
            : TypedResults.NotFound(new ProblemMessage($"no prediction has request_id '{id}'"));
    }

    private static string Text(JsonElement body, string field) =>
        !body.TryGetProperty(field, out var value) ? throw TendException.BadUsage($"field '{field}' is missing")
        : value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw TendException.BadUsage($"field '{field}' must be a non-empty text or a number"),
        };

    internal static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            throw TendException.BadUsage($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: expected a JSON object or array");
        }
    }

    internal static IResult Json<T>(T value) => TypedResults.Json(value, TendJson.Options);

    public sealed record FeedbackAccepted(string RequestId, string Label);

    public sealed record ProblemMessage(string Detail);
}
