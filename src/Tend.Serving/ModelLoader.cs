using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Registry;
using Tend.Training.Models;

namespace Tend.Serving;

/// <summary>
/// Loads a registered version into memory: the one way to get a model to score with, for the server's model host, batch
/// scoring, explanations, evaluation and monitoring alike. Its bytes are checked against the registered sha256 first.
/// </summary>
public sealed class ModelLoader(ModelRegistry registry, IArtifactStore artifacts)
{
    /// <summary>Resolves <paramref name="reference"/> (<c>NAME@VERSION</c> or <c>NAME@ALIAS</c>) and loads that version.</summary>
    public async Task<ServedModel> LoadAsync(ModelReference reference, CancellationToken ct) => await LoadAsync(await registry.ResolveAsync(reference, ct), ct);

    public async Task<ServedModel> LoadAsync(ModelVersion version, CancellationToken ct) => new(version, await ModelPackage.LoadAsync(artifacts, version, ct));
}
