using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>The audit trail over HTTP, and the check of its hash chain.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit");
        api.MapGet("", async (string? subject, DateTimeOffset? since, AuditService audit, CancellationToken ct) => TypedResults.Ok(await audit.ListAsync(ct, subject, since)))
            .WithName("Audit").Everywhere(Permission.Read).WithSummary("The audit trail, oldest first; ?subject= (a prefix) and ?since= (ISO 8601) filter it.");
        api.MapGet("/verify", async (AuditService audit, CancellationToken ct) => TypedResults.Ok(await audit.VerifyAsync(ct)))
            .WithName("VerifyAudit").Everywhere(Permission.Read).WithSummary("Recompute the hash chain: intact, or the first broken event.");
        return app;
    }
}
