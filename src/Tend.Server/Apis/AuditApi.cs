using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Pipelines;

namespace Tend.Server.Apis;

/// <summary>The audit trail over HTTP, and the check of its hash chain.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit");
        api.MapGet("", async (string? subject, DateTimeOffset? since, Workspace ws, CancellationToken ct) => PredictApi.Json(await ws.Store.Audit.ListAsync(ct, subject, since)))
            .WithName("Audit").WithSummary("The audit trail, oldest first; ?subject= (a prefix) and ?since= (ISO 8601) filter it.");
        api.MapGet("/verify", async (Workspace ws, CancellationToken ct) => PredictApi.Json(AuditVerification.Of(await ws.Store.Audit.ListAsync(ct))))
            .WithName("VerifyAudit").WithSummary("Recompute the hash chain: intact, or the first broken event.");
        return app;
    }
}
