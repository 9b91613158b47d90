using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Pipelines.Services;

/// <summary>The lifecycle pipeline's runs, for the front ends.</summary>
public sealed class PipelineService
{
    private readonly IPipelineStore _pipelines;

    internal PipelineService(IMetadataStore store) => _pipelines = store.Pipelines;

    /// <summary>Pipeline runs, oldest first.</summary>
    public Task<IReadOnlyList<PipelineRun>> ListAsync(CancellationToken ct) => _pipelines.ListAsync(ct);
}
