namespace Tend.Core.Spec;

/// <summary>
/// The deployment <c>tend.yaml</c> declares (<c>deploy:</c>): a canary and its share of traffic, a shadow, each a version
/// number or an alias resolved when applied, and whether a request field that is not a feature is refused.
/// </summary>
public sealed record DeploySpec(string? Canary = null, double CanaryPercent = 0, string? Shadow = null, bool RejectUnknownFields = false)
{
    public static readonly string[] Keys = ["canary", "canary_percent", "shadow", "unknown_fields"];

    internal static DeploySpec? Load(YamlMap root)
    {
        if (root.Map("deploy", Keys) is not { } d)
            return null;
        var canary = d.String("canary");
        var percent = d.Number("canary_percent");
        if (canary is not null && percent is not (> 0 and < 100))
            throw d.Error(percent is null ? "canary" : "canary_percent", "'deploy.canary' needs 'deploy.canary_percent', a share of requests between 0 and 100 (exclusive)");
        if (canary is null && percent is not null)
            throw d.Error("canary_percent", "'deploy.canary_percent' without 'deploy.canary': name the canary's version or alias");
        var unknown = d.String("unknown_fields") ?? "ignore";
        if (unknown is not ("ignore" or "reject"))
            throw d.Error("unknown_fields", $"'deploy.unknown_fields' must be one of: ignore, reject; got '{unknown}'");
        return new DeploySpec(canary, percent ?? 0, d.String("shadow"), unknown == "reject");
    }
}
