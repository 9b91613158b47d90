namespace Tend.Pipelines.Composition;

/// <summary>
/// Where a Tend process keeps its metadata and artifacts, as URIs: <c>sqlite://PATH</c> or <c>postgres://…</c>, and
/// <c>file://FOLDER</c> or <c>s3://BUCKET/PREFIX?endpoint=URL&amp;region=REGION</c>. The embedded default lives in the
/// project folder's <c>.tend/</c>. <paramref name="LocalTemp"/> is the folder of temporary files when the artifacts
/// are not on this machine (the folder store keeps its own beside them).
/// </summary>
public sealed record TendOptions(string StoreUri, string ArtifactsUri, string? LocalTemp = null)
{
    /// <summary>The folder of a project's embedded store and artifacts.</summary>
    public const string StateFolder = ".tend";

    public const string StoreVariable = "TEND_STORE";
    public const string ArtifactsVariable = "TEND_ARTIFACTS";

    /// <summary>TEND_STORE and TEND_ARTIFACTS when set, else the embedded default under <paramref name="root"/>'s <c>.tend/</c>.</summary>
    public static TendOptions ForFolder(string root)
    {
        var state = Path.Combine(Path.GetFullPath(root), StateFolder);
        return new TendOptions(
            Environment.GetEnvironmentVariable(StoreVariable) is { Length: > 0 } store ? store : $"sqlite://{Path.Combine(state, "tend.db")}",
            Environment.GetEnvironmentVariable(ArtifactsVariable) is { Length: > 0 } artifacts ? artifacts : $"file://{Path.Combine(state, "artifacts")}",
            Path.Combine(state, "tmp"));
    }
}
