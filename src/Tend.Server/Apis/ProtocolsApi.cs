using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Registry;
using Tend.Server.Access;
using Tend.Serving;
using Tend.Serving.Protocols;

namespace Tend.Server.Apis;

/// <summary>
/// The protocols existing clients already speak, on the same server and models as the native one: the Open Inference
/// Protocol v2 (KServe, Triton, MLServer clients) and MLflow's scoring protocol (<c>mlflow models serve</c> clients).
/// </summary>
public static class ProtocolsApi
{
    public sealed record Liveness(bool Live);

    public sealed record Readiness(bool Ready);

    public sealed record ModelReadiness(string Name, bool Ready);

    public static IEndpointRouteBuilder MapProtocolsApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2");
        v2.MapGet("/health/live", () => TypedResults.Ok(new Liveness(true))).WithName("V2Live").Public().WithSummary("Open Inference Protocol: the server is live.");
        v2.MapGet("/health/ready", async (Workspace ws, ModelHost host, ProjectService projects, CancellationToken ct) =>
            {
                var ready = new Readiness(await ReadyAsync(host, projects, ws.Spec.Name, null, ct));
                return ready.Ready ? (Results<Ok<Readiness>, JsonHttpResult<Readiness>>)TypedResults.Ok(ready) : TypedResults.Json(ready, statusCode: StatusCodes.Status503ServiceUnavailable);
            }).WithName("V2Ready").Public().WithSummary("Open Inference Protocol: the project's champion is loaded (503 until it is).");
        foreach (var prefix in new[] { "/models/{name}", "/models/{name}/versions/{version}" })
        {
            v2.MapGet(prefix, async (string name, string? version, ModelRegistry registry, ModelHost host, CancellationToken ct) =>
            {
                var served = await host.GetAsync(name, Version(version), ct);
                var versions = (await registry.ListAsync(ct, name)).Select(m => m.Version);
                return TypedResults.Ok(OpenInference.Metadata(served, versions));
            }).In(Permission.Predict, Needs.Route("name")).WithSummary("Open Inference Protocol: the model's inputs (one per feature column), outputs, datatypes and shapes.");
            v2.MapGet(prefix + "/ready", async (string name, string? version, ModelHost host, ProjectService projects, CancellationToken ct) =>
            {
                var ready = new ModelReadiness(name, await ReadyAsync(host, projects, name, Version(version), ct));
                return ready.Ready ? (Results<Ok<ModelReadiness>, JsonHttpResult<ModelReadiness>>)TypedResults.Ok(ready) : TypedResults.Json(ready, statusCode: StatusCodes.Status503ServiceUnavailable);
            }).Public().WithSummary("Open Inference Protocol: the model (version) is loaded (public, as a readiness probe is).");
            v2.MapPost(prefix + "/infer", async (string name, string? version, HttpRequest request, PredictionService service, CancellationToken ct) =>
            {
                var infer = new OpenInferenceRequest(name, Version(version), await PredictApi.ReadBodyAsync(request, ct), PredictApi.RoutingKey(request));
                var answer = await service.PredictAsync(infer, ct);
                return TypedResults.Ok(OpenInference.Response(answer, answer.Layout, infer.Parsed));
            }).WithBodyLimit().Accepts<JsonElement>("application/json").DisableAntiforgery().In(Permission.Predict, Needs.Route("name")).WithSummary("Open Inference Protocol: infer with tensors; every row is logged, its request id in parameters.request_ids.");
        }

        app.MapGet("/ping", () => TypedResults.Text("\n", "application/json")).Produces<string>(StatusCodes.Status200OK, "application/json").WithName("MlflowPing").Public().WithSummary("MLflow scoring protocol: the server is up.");
        app.MapPost("/invocations", async (HttpRequest request, Workspace ws, PredictionService service, CancellationToken ct) =>
            {
                var key = PredictApi.RoutingKey(request);
                PredictRequest scoring = request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true
                    ? new MlflowCsvRequest(ws.Spec.Name, await new StreamReader(request.Body).ReadToEndAsync(ct), key)
                    : new MlflowJsonRequest(ws.Spec.Name, await PredictApi.ReadBodyAsync(request, ct), key);
                var answer = await service.PredictAsync(scoring, ct);
                return TypedResults.Ok(MlflowScoring.Predictions(answer, answer.Layout));
            }).WithBodyLimit().Accepts<JsonElement>("application/json", "text/csv").WithName("MlflowInvocations").In(Permission.Predict, Needs.Served).DisableAntiforgery()
            .WithSummary("MLflow scoring protocol: dataframe_split, dataframe_records, instances or inputs as JSON, or text/csv; answers {predictions}. Scores with the project's champion.");
        return app;
    }

    private static int? Version(string? text) =>
        text is null ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw TendException.BadUsage($"version '{text}' is not a version number");

    /// <summary>Whether the model (version) is loaded; a project without a champion yet is not ready, a name that is no project is not found.</summary>
    private static async Task<bool> ReadyAsync(ModelHost host, ProjectService projects, string name, int? version, CancellationToken ct)
    {
        try
        {
            await host.GetAsync(name, version, ct);
            return true;
        }
        catch (TendException e) when (e.Code == ErrorCode.NotFound && version is null)
        {
            await projects.GetAsync(name, ct);
            return false;
        }
    }
}
