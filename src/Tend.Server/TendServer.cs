using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;
using Radzen;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Core.Spec;
using Tend.Pipelines;
using Tend.Pipelines.Composition;
using Tend.Pipelines.Services;
using Tend.Server.Access;
using Tend.Server.Apis;
using Tend.Server.Components;
using Tend.Serving;

namespace Tend.Server;

/// <summary>
/// The HTTP server of a store: prediction and feedback endpoints for every project in it, the REST API, health, and the
/// web UI. It starts from a workspace, whose project is the default one (MLflow's /invocations, /readyz).
/// </summary>
public static class TendServer
{
    /// <param name="slots">How many jobs the server runs at once (default <see cref="ServerSlots.Default"/>; on the embedded store at least one).</param>
    public static WebApplication Build(Workspace ws, string host, int port, bool rejectUnknownFields = false, ServerAccess? access = null, int slots = ServerSlots.Default)
    {
        access = (access ?? new ServerAccess()) with { OpenPredictions = ws.Spec.Serving?.Auth == ServingAuth.None }; // tend.yaml's serving.auth
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
        // A request whose Host is not one of these is a 400 (a DNS-rebinding page's forged Host included).
        builder.Configuration["AllowedHosts"] = string.Join(';', access.AllowedHosts ?? AllowedHosts.For(host));
        // Serve the packages' assets (Radzen's CSS) from the build output's manifest in any environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        // Logs go to stderr: stdout belongs to the CLI (one JSON document when asked for JSON).
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter("Microsoft.AspNetCore.StaticFiles", LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // a failed start is reported once, by the caller
        // The UI has no forms to protect across restarts, so keys need not outlive the process.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton(access);
        builder.Services.AddWebSession();
        access.Oidc?.AddTo(builder.Services);
        if (access.CorsOrigins is { Count: > 0 } origins) // closed unless configured: then these origins, with a token in the Authorization header, never cookies
            builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins([.. origins]).WithHeaders("Authorization", "Content-Type").WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")));
        var metrics = new ServingMetrics();
        builder.Services.AddSingleton(metrics);
        builder.Services.AddTend(ws, metrics.Options(rejectUnknownFields, ws.Spec.Serving?.LogDurability ?? Core.Spec.LogDurability.Batched));
        builder.Services.AddSingleton(new ServerSlots(slots));
        builder.Services.AddSingleton<JobHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobHost>()); // first: the others hand their jobs to it
        builder.Services.AddHostedService<MonitorSchedule>();
        builder.Services.AddHostedService<ReleaseHost>();
        builder.Services.AddSingleton<PipelineTriggerHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PipelineTriggerHost>());
        builder.Services.AddProblemDetails();
        // One JSON for bodies read and written (and so for the OpenAPI schemas): tend's own, as the CLI's --json writes it.
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            TendJson.Configure(o.SerializerOptions);
            // A client's null where a field may not be null, or a required field left out, is a 400 naming it, not a null inside.
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.Converters.Add(new TextMaps());
        });
        // A body that is missing or does not bind is a BadHttpRequestException, which ErrorMiddleware answers as a 400 that says why.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddRazorComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer(TextMaps.DescribeAsync));

        var app = builder.Build();
        metrics.Watch(app.Services.GetRequiredService<ShadowScorer>());
        app.UseMiddleware<ErrorMiddleware>();
        if (access.CorsOrigins is { Count: > 0 })
            app.UseCors();
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, $"{builder.Environment.ApplicationName}.staticwebassets.endpoints.json")))
            app.MapStaticAssets().Public();
        if (access.Oidc is { ClientId: not null })
            app.UseAuthentication(); // answers the provider's redirect back (ProviderSignIn's callback), before any access check
        app.UseMiddleware<AccessMiddleware>();
        app.UseAntiforgery();
        app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));
        app.MapOpenApi().Public();
        app.MapMetrics("/metrics", metrics.Registry).Everywhere(Permission.Read);
        app.MapWebSessionApi();
        if (access.Oidc is { ClientId: not null })
            app.MapProviderSignIn();
        app.MapAccessApi();
        app.MapHealthApi();
        app.MapPredictApi();
        app.MapProtocolsApi();
        app.MapWorkspaceApi();
        app.MapProjectsApi();
        app.MapRunsApi();
        app.MapDatasetsApi();
        app.MapModelsApi();
        app.MapDeploymentsApi();
        app.MapReleasesApi();
        app.MapEvaluationsApi();
        app.MapAuditApi();
        app.MapAlertsApi();
        app.MapPipelinesApi();
        app.MapRazorComponents<App>().InAnyProject(Permission.Read).SessionCounts(); // each page insists on the project it shows (ReadingPage)
        return app;
    }

    /// <summary>Starts the server and returns it with the address it listens on (port 0 picks a free port).</summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(Workspace ws, string host, int port, CancellationToken ct, bool rejectUnknownFields = false,
        ServerAccess? access = null, int slots = ServerSlots.Default)
    {
        var app = Build(ws, host, port, rejectUnknownFields, access, slots);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await app.DisposeAsync();
            throw new TendException(ErrorCode.Conflict, $"port {port} on {host} is already in use; choose another (0 picks a free one)") { Field = "port" };
        }
        // The projects the store holds now; a revision this tend cannot read is left out (/api/v1/projects says why).
        var projects = (await app.Services.GetRequiredService<ProjectService>().ListAsync(ct)).Select(p => p.Spec).OfType<Core.Spec.ProjectSpec>().ToList();
        app.Services.GetRequiredService<ServingMetrics>().WatchAlerts(projects, app.Services.GetRequiredService<MonitoringService>());
        app.Services.GetRequiredService<ServingMetrics>().WatchReleases(ws);
        foreach (var spec in projects)
            await PreloadAsync(app.Services.GetRequiredService<ModelHost>(), spec.Name, ct);
        var address = app.Urls.First();
        return (app, address);
    }

    /// <summary>Loads and warms a project's champion, canary and shadow before the server is announced, so no request pays for a load.</summary>
    private static async Task PreloadAsync(ModelHost host, string model, CancellationToken ct)
    {
        try
        {
            await host.GetAsync(model, ct);
            var deployment = await host.DeploymentAsync(model, ct);
            foreach (var version in new[] { deployment.Canary, deployment.Shadow }.OfType<int>())
                await host.GetAsync(model, version, ct);
        }
        catch (TendException)
        {
            // No champion yet, or a version that will not load: /readyz says why, and the first request tries again.
        }
    }
}
