using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tend.Pipelines;
using Tend.Server.Access;
using Tend.Serving;

namespace Tend.Server.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Live).WithName("Live").Public().WithSummary("The process is up.");
        app.MapGet("/readyz", ReadyAsync).WithName("Ready").Public().WithSummary("The store answers and the champion is loaded.");
        // The baseline of bench/serving.sh: the same server and middleware answering a constant, so the cost of predicting and logging shows as a ratio.
        if (Environment.GetEnvironmentVariable("TEND_BENCH") == "1")
            app.MapPost("/bench/constant", () => Constant).Public().ExcludeFromDescription();
        return app;
    }

    private static readonly Ok<Health> Constant = TypedResults.Ok(new Health("constant", null));

    private static Ok<Health> Live() => TypedResults.Ok(new Health("ok", null));

    /// <summary>Ready when the champion is loaded; otherwise 503 with the reason (a champion that cannot load, say), never a 500: a load balancer reads it.</summary>
    private static async Task<Results<Ok<Health>, JsonHttpResult<Health>>> ReadyAsync(Workspace ws, ModelHost host, ILogger<Health> logger, CancellationToken ct)
    {
        try
        {
            var served = await host.GetAsync(ws.Spec.Name, ct);
            return TypedResults.Ok(new Health("ready", $"{ws.Spec.Name}@{served.Version.Version}"));
        }
        catch (Core.Errors.TendException e)
        {
            return NotReady(e.Message);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "the champion of {Model} does not load", ws.Spec.Name);
            return NotReady($"the champion of '{ws.Spec.Name}' does not load ({e.GetType().Name}); the server log has the details");
        }
    }

    private static JsonHttpResult<Health> NotReady(string reason) =>
        TypedResults.Json(new Health("not ready", reason), statusCode: StatusCodes.Status503ServiceUnavailable);

    public sealed record Health(string Status, string? Detail);
}
