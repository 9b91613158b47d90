using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Core.Stores;

namespace Tend.Registry;

/// <summary>
/// Canary and shadow beside a model's champion: set them, end them, and promote the canary through the registry's
/// gates and approval rules. Every change is audited with the deployment before and after.
/// </summary>
public sealed class Deployments(IMetadataStore store, ModelRegistry registry)
{
    public async Task<Deployment> GetAsync(string model, CancellationToken ct) =>
        await store.Deployments.GetAsync(model, ct) ?? Deployment.PrimaryOnly(model);

    /// <summary>Sets the canary (a version and its share of traffic, 0 &lt; percent &lt; 100) and/or the shadow; null leaves one as it is.</summary>
    public async Task<Deployment> SetAsync(string model, int? canary, double? percent, int? shadow, string actor, string reason, CancellationToken ct)
    {
        if (canary is null && shadow is null)
            throw TendException.BadField("canary", "name a canary version with its percent of traffic, or a shadow version");
        if (canary is not null && percent is not ({ } p and > 0 and < 100))
            throw TendException.BadField("percent", $"a canary needs a percent of traffic between 0 and 100 (exclusive), got {percent?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        var champion = await registry.ResolveAsync(new ModelReference(model, null, ModelRegistry.Champion), ct);
        foreach (var (version, role) in new[] { (canary, "canary"), (shadow, "shadow") })
            if (version is { } v)
            {
                await registry.ResolveAsync(new ModelReference(model, v, null), ct);
                if (v == champion.Version)
                    throw TendException.BadUsage($"{model}@{v} is the champion already; a {role} must be another version");
            }
        var before = await GetAsync(model, ct);
        var after = before with
        {
            Canary = canary ?? before.Canary,
            CanaryPercent = percent ?? before.CanaryPercent,
            Shadow = shadow ?? before.Shadow,
            Updated = DateTimeOffset.UtcNow,
            Actor = actor,
        };
        await SaveAsync(before, after, "deployment.set", reason, ct);
        return after;
    }

    /// <summary>
    /// Sets the deployment to the one tend.yaml declares (<c>deploy:</c>), aliases resolved to their versions now; a
    /// canary or shadow that is the champion already is done, so it is left out with a note. Audited only when it changes
    /// what is stored. Without a champion there is nothing to deploy beside, so nothing changes.
    /// </summary>
    public async Task<AppliedDeployment> ApplyAsync(string model, DeploySpec spec, string actor, CancellationToken ct)
    {
        if (await store.Models.GetAliasAsync(model, ModelRegistry.Champion, ct) is not { } champion)
            return new AppliedDeployment(await GetAsync(model, ct), false, [$"{model} has no champion yet; the deployment applies once one is promoted"]);
        var notes = new List<string>();
        async Task<int?> Resolve(string? declared, string role)
        {
            if (declared is null)
                return null;
            var reference = ModelReference.Parse($"{model}@{declared}");
            var version = (await registry.ResolveAsync(reference, ct)).Version;
            if (version != champion.Version)
                return version;
            notes.Add($"deploy.{role} {reference} is the champion now, so it is not a {role}; update tend.yaml");
            return null;
        }
        var canary = await Resolve(spec.Canary, "canary");
        var shadow = await Resolve(spec.Shadow, "shadow");
        var before = await GetAsync(model, ct);
        var percent = canary is null ? 0 : spec.CanaryPercent;
        if (before.Canary == canary && before.CanaryPercent == percent && before.Shadow == shadow)
            return new AppliedDeployment(before, false, notes);
        var after = before with { Canary = canary, CanaryPercent = percent, Shadow = shadow, Updated = DateTimeOffset.UtcNow, Actor = actor };
        await SaveAsync(before, after, "deployment.apply", $"{SpecLoader.FileName} deploy:", ct);
        return new AppliedDeployment(after, true, notes);
    }

    /// <summary>
    /// Routes exactly as a release step says: the canary at its share (up to 100 %, the last step) or none, the shadow or
    /// none; audited as <c>deployment.release</c>. Unchanged routes are not saved again.
    /// </summary>
    public async Task<Deployment> RouteAsync(string model, int? canary, double percent, int? shadow, string actor, string reason, CancellationToken ct)
    {
        var before = await GetAsync(model, ct);
        var after = before with { Canary = canary, CanaryPercent = canary is null ? 0 : percent, Shadow = shadow };
        if (after == before)
            return before;
        after = after with { Updated = DateTimeOffset.UtcNow, Actor = actor };
        await SaveAsync(before, after, "deployment.release", reason, ct);
        return after;
    }

    /// <summary>Back to the champion alone: the canary and the shadow end.</summary>
    public async Task<Deployment> RollbackAsync(string model, string actor, string reason, CancellationToken ct)
    {
        var before = await GetAsync(model, ct);
        if (before.Canary is null && before.Shadow is null)
            throw new TendException(ErrorCode.Conflict, $"{model} has no canary or shadow to roll back; the champion serves everything");
        var after = Deployment.PrimaryOnly(model) with { Updated = DateTimeOffset.UtcNow, Actor = actor };
        await SaveAsync(before, after, "deployment.rollback", reason, ct);
        return after;
    }

    /// <summary>
    /// Makes the canary the champion, under the same gates and approval as any promotion; once done the canary ends
    /// (it is the primary now). Pending approval leaves the canary running.
    /// </summary>
    public async Task<Promotion> PromoteCanaryAsync(string model, string actor, string reason, Approval approval, bool force, CancellationToken ct)
    {
        var before = await GetAsync(model, ct);
        var canary = before.Canary ?? throw new TendException(ErrorCode.Conflict, $"{model} has no canary to promote; deploy a canary version first") { Field = "canary" };
        var promotion = await registry.PromoteAsync(model, canary, ModelRegistry.Champion, reason, actor, ct, approval, force);
        if (promotion.Status == Promotion.Done)
            await SaveAsync(before, before with { Canary = null, CanaryPercent = 0, Updated = DateTimeOffset.UtcNow, Actor = actor }, "deployment.promote_canary", reason, ct);
        return promotion;
    }

    private Task SaveAsync(Deployment before, Deployment after, string action, string reason, CancellationToken ct) =>
        store.Deployments.SaveAsync(after, new AuditEntry(after.Actor, action, $"{after.Model}@deployment", TextLimit.Check("reason", reason),
            TendJson.Serialize(before), TendJson.Serialize(after)), ct);
}

/// <summary>The deployment after <see cref="Deployments.ApplyAsync"/>: whether it changed, and what of the declaration was left out and why.</summary>
public sealed record AppliedDeployment(Deployment Deployment, bool Changed, IReadOnlyList<string> Notes);
