using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tend.Pipelines.Services;
using Tend.Serving;

namespace Tend.Pipelines.Composition;

/// <summary>
/// The one composition root: the CLI and the server fill their containers here. Front ends get the project
/// (<see cref="Workspace"/>), the stage services (catalog, registry, deployments, model loader), the use-case services
/// over the stores, and the serving pipeline; never the store interfaces themselves.
/// </summary>
public static class TendServices
{
    /// <summary>Registers the services of <paramref name="workspace"/>; its owner disposes it, the container only what it built.</summary>
    public static IServiceCollection AddTend(this IServiceCollection services, Workspace workspace, ServingOptions? serving = null)
    {
        var backends = workspace.Backends;
        serving ??= new ServingOptions();
        services.AddSingleton(workspace);
        services.AddSingleton(backends.Datasets);
        services.AddSingleton(backends.Registry);
        services.AddSingleton(backends.Deployments);
        services.AddSingleton(backends.Models);
        services.AddSingleton(new RunService(backends.Store, backends.Artifacts, backends.Time));
        services.AddSingleton(new PipelineService(backends.Store, backends.Time));
        services.AddSingleton(new AuditService(backends.Store));
        services.AddSingleton(backends.Projects);
        services.AddSingleton(new MonitoringService(backends.Store, backends.Time));
        services.AddSingleton(new AccessService(backends.Store, backends.Time));

        // Factories, not instances, so the container disposes what holds models and queues when it stops: the host lets
        // its models go, the log stores every queued record, the shadow finishes its queue.
        services.AddSingleton(_ => new ModelHost(backends.Registry, backends.Models, backends.Store.Deployments, serving.Loaded, backends.Time));
        services.AddSingleton(sp => new PredictionLog(backends.Store.Predictions,
            e => Logger<PredictionLog>(sp).LogError(e, "storing predictions failed"), backends.Time));
        services.AddSingleton(sp => new ShadowScorer(sp.GetRequiredService<ModelHost>(), sp.GetRequiredService<PredictionLog>(),
            e => Logger<ShadowScorer>(sp).LogWarning(e, "the shadow could not score a request")));
        services.AddSingleton(sp => new PredictionService(sp.GetRequiredService<ModelHost>(), sp.GetRequiredService<PredictionLog>(), sp.GetRequiredService<ShadowScorer>(), serving));
        return services;
    }

    private static ILogger Logger<T>(IServiceProvider services) =>
        (ILogger?)services.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
