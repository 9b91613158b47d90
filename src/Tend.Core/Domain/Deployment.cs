namespace Tend.Core.Domain;

/// <summary>
/// How a model's traffic is served: the primary is always its champion; a canary version may take a share of the
/// requests (sticky per routing key), and a shadow version may score a copy of each request without answering it.
/// </summary>
public sealed record Deployment(string Model, int? Canary, double CanaryPercent, int? Shadow, DateTimeOffset Updated, string Actor)
{
    public const string Primary = "primary";
    public const string CanaryRoute = "canary";
    public const string ShadowRoute = "shadow";

    /// <summary>A shadow's log record is the primary's request id plus this, so the two join.</summary>
    public const string ShadowIdSuffix = ".shadow";

    /// <summary>Only the champion, as every model starts.</summary>
    public static Deployment PrimaryOnly(string model) => new(model, null, 0, null, DateTimeOffset.MinValue, "");
}
