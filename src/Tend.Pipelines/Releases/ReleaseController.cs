using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Pipelines.Stages;
using Tend.Registry;
using Tend.Serving;

namespace Tend.Pipelines.Releases;

/// <summary>What a person may do to an active release.</summary>
public enum ReleaseAction
{
    Pause,
    Resume,
    Abort,
    Promote,
    Approve,
}

/// <summary>
/// Carries a challenger to champion under tend.yaml's <c>release:</c> policy: approval (four eyes when required), an
/// optional shadow phase, then each canary step, judged against the concurrent champion (<see cref="ReleaseJudge"/>)
/// each time <see cref="TickAsync"/> is called (the server's release host, a pipeline step, a test's fake clock). A
/// passing step that has baked advances, the last promotes; a failing one rolls back at once through the hot swap and
/// fires the alert channels; one without enough data holds until the deadline. Every transition is saved with its
/// checks and audited; the deployment follows the release. Holds loaded champions for judging until disposed.
/// </summary>
public sealed class ReleaseController(Workspace ws, Action<string>? log = null) : IDisposable
{
    /// <summary>A held or baking step's checks are recorded at most this often (and whenever the verdict changes), so the history shows them over time without growing with every judgement.</summary>
    public static readonly TimeSpan RecordEvery = TimeSpan.FromMinutes(5);

    public const string AlertRule = "release.rollback";

    private readonly Dictionary<(string, int), ServedModel> _champions = [];
    private ReleaseSpec Policy => ws.Spec.ReleaseOrDefault;

    /// <summary>
    /// Starts releasing <paramref name="challenger"/> of <paramref name="model"/> against its champion. The version must
    /// pass its gates against that champion. An active release of the same version is returned as it is; one of another
    /// version is superseded (its analysis starts over with the new challenger). An automatic start (a pipeline's) is
    /// refused within the cooldown after the last release, or past the cap of releases per window.
    /// </summary>
    public async Task<Release> StartAsync(string model, int challenger, string reason, bool automatic, CancellationToken ct)
    {
        TextLimit.Check("reason", reason);
        var champion = await ws.Store.Models.GetAliasAsync(model, ModelRegistry.Champion, ct)
            ?? throw new TendException(ErrorCode.Conflict, $"{model} has no champion to release against; promote its first version with 'tend models promote {model} VERSION'");
        if (champion.Version == challenger)
            throw TendException.BadUsage($"{model}@{challenger} is the champion already");
        await ws.Registry.CheckPromotableAsync(model, challenger, ct);
        var now = ws.Time.GetUtcNow();
        var releases = await ws.Store.Releases.ListAsync(model, ct);
        var active = releases.FirstOrDefault(r => r.Active);
        if (active?.Challenger == challenger)
            return active;
        if (automatic)
            CheckGuardrails(model, releases, now);
        var policy = Policy;
        var approval = policy.ApprovalRequired || ws.Spec.Approval == Approval.Required;
        var first = policy.Shadow is null ? 0 : Release.ShadowStep;
        var release = new Release($"rel_{Guid.NewGuid():N}"[..16], model, challenger, champion.Version, approval ? ReleaseState.Approval : PhaseState(first, policy.DryRun),
            first, now, now, now, ws.Actor, policy.DryRun, automatic, policy.Shadow, policy.Steps, []);
        release = release with { Decisions = [Decision(release, now, "start", approval ? $"{reason}; waits for a second person's approval" : reason, 0, [])] };
        Release? superseded = active is null ? null
            : With(active, ReleaseState.Superseded, now, "supersede", $"{model}@{challenger} arrived; the release starts over with it", 0, []);
        var audit = new List<AuditEntry>();
        if (superseded is not null)
            audit.Add(Audit(superseded, "supersede", superseded.Decisions[^1].Reason));
        audit.Add(Audit(release, "start", reason));
        if (!await ws.Store.Releases.StartAsync(release, superseded, audit, ct))
            throw new TendException(ErrorCode.Conflict, $"another release of {model} started at the same time; 'tend release status {model}' shows it");
        await RouteAsync(release, "start", ct);
        return release;
    }

    /// <summary>Each model's release in the store: its active one, else its latest.</summary>
    public static async Task<IReadOnlyList<Release>> LatestAsync(Workspace ws, CancellationToken ct) =>
        (await ws.Store.Releases.ListAsync(null, ct)).GroupBy(r => r.Model).Select(g => g.FirstOrDefault(r => r.Active) ?? g.First()).ToList();

    /// <summary>The release of <paramref name="model"/>: the active one, else the latest.</summary>
    public async Task<Release> StatusAsync(string model, CancellationToken ct)
    {
        var releases = await ws.Store.Releases.ListAsync(model, ct);
        return releases.FirstOrDefault(r => r.Active) ?? releases.FirstOrDefault()
            ?? throw TendException.NotFound($"{model} has no release; 'tend release start {model} VERSION' starts one");
    }

    /// <summary>Judges the active release of <paramref name="model"/> and acts on the verdict; null when it has none to judge.</summary>
    public async Task<Release?> TickAsync(string model, CancellationToken ct)
    {
        while (true)
        {
            var release = (await ws.Store.Releases.ListAsync(model, ct)).FirstOrDefault(r => r.Active);
            if (release is not { State: ReleaseState.Shadow or ReleaseState.Canary or ReleaseState.Held })
                return release;
            var now = ws.Time.GetUtcNow();
            var (next, action) = await MovedAsync(release, now, ct) is { } moved ? (moved, "end") : await JudgeAndDecideAsync(release, now, ct);
            if (next is null)
                return release;
            if (action == "promote")
                next = await PromoteAsync(next, ct);
            if (!await ws.Store.Releases.SaveAsync(next, Audit(next, action, next.Decisions[^1].Reason), ct))
                continue; // another process decided first: judge what it saved
            await RouteAsync(next, action, ct);
            if (action == "rollback")
                await AlertAsync(next, ct);
            log?.Invoke($"release {next.Id} of {next.Model}@{next.Challenger}: {action} ({next.Decisions[^1].Reason})");
            return next with { Revision = next.Revision + 1 };
        }
    }

    /// <summary>
    /// The release ended, when the champion moved outside it: promoted, when someone made the challenger champion
    /// (<c>tend models promote</c>, an approval of its promotion); aborted otherwise, since the comparison it was judging
    /// no longer holds. Null while the champion is the one it started against.
    /// </summary>
    private async Task<Release?> MovedAsync(Release release, DateTimeOffset now, CancellationToken ct)
    {
        var champion = (await ws.Store.Models.GetAliasAsync(release.Model, ModelRegistry.Champion, ct))?.Version;
        if (champion == release.Champion)
            return null;
        return champion == release.Challenger
            ? With(release, ReleaseState.Promoted, now, "end", $"v{release.Challenger} was made champion outside the release", 0, [])
            : With(release, ReleaseState.Aborted, now, "end", $"the champion is now v{champion?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, not v{release.Champion}: the comparison no longer holds", 0, []);
    }

    private async Task<(Release?, string)> JudgeAndDecideAsync(Release release, DateTimeOffset now, CancellationToken ct) =>
        Decide(release, await JudgeAsync(release, now, ct), now);

    /// <summary>What the verdict means for the release now: the release as it should be saved and the action, or (null, "") when nothing is to be recorded.</summary>
    private (Release?, string) Decide(Release release, Judgement judgement, DateTimeOffset now)
    {
        var step = StepOf(release);
        var elapsed = now - release.StepStarted;
        var last = release.Step == release.Steps.Count - 1;
        switch (judgement.Verdict)
        {
            case StepVerdict.Fail when release.DryRun:
                return (With(release, ReleaseState.Judged, now, "rollback", $"dry run, would roll back: {judgement.Reason}", judgement), "rollback");
            case StepVerdict.Fail:
                return (With(release, ReleaseState.RolledBack, now, "rollback", judgement.Reason, judgement), "rollback");
            case StepVerdict.Hold when elapsed >= Policy.Deadline && Policy.OnDeadline == OnDeadline.Rollback:
                return (With(release, release.DryRun ? ReleaseState.Judged : ReleaseState.RolledBack, now, "rollback",
                    $"deadline: {judgement.Reason} after {elapsed}", judgement), "rollback");
            case StepVerdict.Hold when elapsed >= Policy.Deadline && release.State != ReleaseState.Held:
                return (With(release, ReleaseState.Held, now, "deadline", $"held at the deadline: {judgement.Reason} after {elapsed}; a person decides", judgement), "deadline");
            case StepVerdict.Pass when elapsed >= step.Bake && last:
                return (With(release, release.DryRun ? ReleaseState.Judged : ReleaseState.Promoted, now, "promote",
                    release.DryRun ? $"dry run, would promote: {judgement.Reason}" : judgement.Reason, judgement), "promote");
            case StepVerdict.Pass when elapsed >= step.Bake:
                var advanced = With(release, PhaseState(release.Step + 1, release.DryRun), now, "advance", $"{release.Phase} passed: {judgement.Reason}", judgement);
                return (advanced with { Step = release.Step + 1, StepStarted = now }, "advance");
        }
        var previous = release.Decisions[^1];
        var action = judgement.Verdict == StepVerdict.Pass ? "bake" : "hold";
        if (previous.Action == action && now - previous.Time < RecordEvery)
            return (null, "");
        return (With(release, release.State, now, action, judgement.Verdict == StepVerdict.Pass ? $"passing, baking until {release.StepStarted + step.Bake:u}: {judgement.Reason}" : judgement.Reason,
            judgement), action);
    }

    /// <summary>The challenger made champion through the registry (its gates apply); held, saying why, when the registry refuses.</summary>
    private async Task<Release> PromoteAsync(Release release, CancellationToken ct)
    {
        if (release.DryRun)
            return release;
        var decided = release.Decisions[^1];
        try
        {
            await ws.Registry.PromoteAsync(release.Model, release.Challenger, ModelRegistry.Champion, $"release {release.Id}: {decided.Reason}", ws.Actor, ct);
            return release;
        }
        catch (TendException e)
        {
            return release with
            {
                State = ReleaseState.Held,
                Decisions = [.. release.Decisions.SkipLast(1), decided with { Action = "hold", Reason = $"every step passed, but the promotion was refused: {e.Message}" }],
            };
        }
    }

    /// <summary>What a person does to the active release of <paramref name="model"/>.</summary>
    public Task<Release> ActAsync(string model, ReleaseAction action, string reason, CancellationToken ct) => action switch
    {
        ReleaseAction.Pause => PauseAsync(model, reason, ct),
        ReleaseAction.Resume => ResumeAsync(model, reason, ct),
        ReleaseAction.Abort => AbortAsync(model, reason, ct),
        ReleaseAction.Approve => ApproveAsync(model, reason, ct),
        _ => PromoteNowAsync(model, reason, ct),
    };

    /// <summary>Stops deciding; the traffic stays as it is.</summary>
    public Task<Release> PauseAsync(string model, string reason, CancellationToken ct) =>
        ChangeAsync(model, "pause", reason, r => r.State is ReleaseState.Shadow or ReleaseState.Canary or ReleaseState.Held ? null : $"a {TendJson.Name(r.State)} release cannot be paused",
            r => r with { State = ReleaseState.Paused, PausedIn = r.State }, ct);

    /// <summary>Decides again from where it was paused, on the evidence gathered since the step began.</summary>
    public Task<Release> ResumeAsync(string model, string reason, CancellationToken ct) =>
        ChangeAsync(model, "resume", reason, r => r.State == ReleaseState.Paused ? null : $"the release is {TendJson.Name(r.State)}, not paused",
            r => r with { State = r.PausedIn ?? PhaseState(r.Step, r.DryRun), PausedIn = null }, ct);

    /// <summary>Ends the release at once: every request back to the champion.</summary>
    public Task<Release> AbortAsync(string model, string reason, CancellationToken ct) =>
        ChangeAsync(model, "abort", reason, _ => null, r => r with { State = ReleaseState.Aborted }, ct);

    /// <summary>The second person's yes (never the one who started it): the first phase begins.</summary>
    public Task<Release> ApproveAsync(string model, string reason, CancellationToken ct) =>
        ChangeAsync(model, "approve", reason, r => r.State != ReleaseState.Approval ? $"the release is {TendJson.Name(r.State)}, not waiting for approval"
            : r.StartedBy == ws.Actor ? $"{ws.Actor} started release {r.Id} and cannot also approve it: a second person must (four eyes)" : null,
            r => r with { State = PhaseState(r.Step, r.DryRun), StepStarted = ws.Time.GetUtcNow() }, ct, ErrorCode.NotAllowed);

    /// <summary>Makes the challenger champion now, without waiting for the remaining steps, under the registry's gates and approval rules.</summary>
    public async Task<Release> PromoteNowAsync(string model, string reason, CancellationToken ct)
    {
        var release = await ActiveAsync(model, ct);
        if (release.State == ReleaseState.Approval)
            throw new TendException(ErrorCode.Conflict, $"release {release.Id} waits for approval; approve it first");
        var promotion = await ws.Registry.PromoteAsync(model, release.Challenger, ModelRegistry.Champion, $"release {release.Id}: {reason}", ws.Actor, ct, ws.Spec.Approval);
        return promotion.Status == Promotion.Done
            ? await ChangeAsync(model, "promote", reason, _ => null, r => r with { State = ReleaseState.Promoted }, ct)
            : await ChangeAsync(model, "promote", $"{reason}; waits for approval request {promotion.RequestId} (the release ends once it is approved)", _ => null, r => r, ct);
    }

    private async Task<Release> ChangeAsync(string model, string action, string reason, Func<Release, string?> refusal, Func<Release, Release> change, CancellationToken ct,
        ErrorCode refused = ErrorCode.Conflict)
    {
        TextLimit.Check("reason", reason);
        while (true)
        {
            var release = await ActiveAsync(model, ct);
            if (refusal(release) is { } why)
                throw new TendException(refused, why);
            var now = ws.Time.GetUtcNow();
            var changed = change(release);
            changed = changed with { Updated = now, Decisions = [.. release.Decisions, Decision(changed, now, action, reason, 0, [])] };
            if (!await ws.Store.Releases.SaveAsync(changed, Audit(changed, action, reason), ct))
                continue;
            await RouteAsync(changed, action, ct);
            return changed with { Revision = changed.Revision + 1 };
        }
    }

    private async Task<Release> ActiveAsync(string model, CancellationToken ct) =>
        (await ws.Store.Releases.ListAsync(model, ct)).FirstOrDefault(r => r.Active)
        ?? throw TendException.NotFound($"{model} has no active release; 'tend release status {model}' shows the last one");

    /// <summary>
    /// The evidence of the release's current step since it began: the challenger's requests (its shadow copies, with
    /// the primary's feedback, in the shadow phase and in a dry run), the champion's, and the champion's answers on the
    /// challenger's answered rows.
    /// </summary>
    private async Task<Judgement> JudgeAsync(Release release, DateTimeOffset now, CancellationToken ct)
    {
        var records = await ws.Store.Predictions.ListAsync(release.Model, release.StepStarted, now, ct);
        var shadowed = release.Shadowed;
        var champion = records.Where(r => r.Route == Deployment.Primary && r.Version == release.Champion).ToList();
        List<PredictionRecord> challenger;
        if (shadowed)
        {
            var labels = champion.Where(r => r.Feedback is not null).ToDictionary(r => r.RequestId + Deployment.ShadowIdSuffix, r => (r.Feedback, r.FeedbackTime));
            challenger = records.Where(r => r.Route == Deployment.ShadowRoute && r.Version == release.Challenger)
                .Select(r => labels.TryGetValue(r.RequestId, out var l) ? r with { Feedback = l.Feedback, FeedbackTime = l.FeedbackTime } : r).ToList();
        }
        else
            challenger = records.Where(r => r.Route == Deployment.CanaryRoute && r.Version == release.Challenger).ToList();
        var served = await ChampionAsync(release, ct);
        var answered = challenger.Where(r => r.Error is null).ToList();
        var evidence = new StepEvidence(challenger, champion, Rescore(served, answered), !shadowed && StepOf(release).Percent < 100);
        return ReleaseJudge.Judge(evidence, StepOf(release), served.Model.Layout, ws.Spec);
    }

    /// <summary>The champion's answers on the given rows, as log records of its own (same request ids and feedback).</summary>
    private static List<PredictionRecord> Rescore(ServedModel champion, IReadOnlyList<PredictionRecord> rows)
    {
        if (rows.Count == 0)
            return [];
        var features = champion.Model.Layout.Features.ToList();
        var predictions = champion.Predict(new Table(features, rows.Select(r => features.Select(f => r.Features.GetValueOrDefault(f)).ToArray()).ToList()));
        var classes = champion.Model.Layout.Classes;
        return rows.Select((r, i) => r with { Version = champion.Version.Version, Prediction = predictions.Values[i], Score = predictions.Score(i, classes) }).ToList();
    }

    private async Task<ServedModel> ChampionAsync(Release release, CancellationToken ct)
    {
        var key = (release.Model, release.Champion);
        if (!_champions.TryGetValue(key, out var served))
            _champions[key] = served = await ws.Models.LoadAsync(new ModelReference(release.Model, release.Champion, null), ct);
        return served;
    }

    /// <summary>The deployment a release's state calls for: nothing beside the champion before approval and once it ends, the challenger as shadow in the shadow phase and in a dry run, else as canary at its step's share.</summary>
    private async Task RouteAsync(Release release, string action, CancellationToken ct)
    {
        if (release.State == ReleaseState.Superseded)
            return;
        var percent = release.ChallengerPercent;
        await ws.Deployments.RouteAsync(release.Model, percent > 0 ? release.Challenger : null, percent, release.Shadowed ? release.Challenger : null,
            ws.Actor, $"release {release.Id}: {action}", ct);
    }

    /// <summary>A rollback's alert, on the log and the webhook, naming the failed checks and their values.</summary>
    private async Task AlertAsync(Release release, CancellationToken ct)
    {
        var decision = release.Decisions[^1];
        var failed = decision.Checks.Where(c => c.Verdict == CheckVerdict.Fail).ToList();
        var alert = new Alert(Guid.CreateVersion7().ToString("N"), AlertRule, AlertSeverity.Critical, decision.Time, release.Id, release.Model,
            "release check failed", failed.Count == 0 ? null : string.Join("; ", failed.Select(c => $"{c.Name}={c.Challenger:0.####} (champion {c.Champion:0.####})")),
            $"{release.Model}@{release.Challenger} {(release.DryRun ? "would be" : "was")} rolled back at {decision.Phase}: {decision.Reason}");
        var fired = await AlertStage.FireAsync(ws, alert, log ?? (_ => { }), ct);
        await ws.Store.Alerts.SaveAsync(fired, null, ct);
    }

    private void CheckGuardrails(string model, IReadOnlyList<Release> releases, DateTimeOffset now)
    {
        var policy = Policy;
        var recent = releases.Where(r => r.Automatic && r.Started > now - policy.Window).ToList();
        if (recent.Count >= policy.MaxReleases)
            throw new TendException(ErrorCode.Conflict, $"{model} had {recent.Count} automatic release(s) within {policy.Window} (release.max_releases allows {policy.MaxReleases}); " +
                $"the next may start after {recent.Min(r => r.Started) + policy.Window:u}");
        if (releases.FirstOrDefault(r => !r.Active) is { } ended && now - ended.Updated < policy.Cooldown)
            throw new TendException(ErrorCode.Conflict, $"{model}'s last release ended at {ended.Updated:u}, within release.cooldown ({policy.Cooldown}); the next may start after {ended.Updated + policy.Cooldown:u}");
    }

    private static ReleaseStep StepOf(Release release) => release.Step == Release.ShadowStep
        ? new ReleaseStep(0, release.Shadow!.Duration, release.Shadow.MinRequests, 0)
        : release.Steps[release.Step];

    private static ReleaseState PhaseState(int step, bool dryRun = false) => step == Release.ShadowStep || dryRun ? ReleaseState.Shadow : ReleaseState.Canary;

    private Release With(Release release, ReleaseState state, DateTimeOffset now, string action, string reason, Judgement judgement) =>
        With(release, state, now, action, reason, judgement.Requests, judgement.Checks);

    private Release With(Release release, ReleaseState state, DateTimeOffset now, string action, string reason, int requests, IReadOnlyList<ReleaseCheck> checks) =>
        release with { State = state, Updated = now, Decisions = [.. release.Decisions, Decision(release, now, action, reason, requests, checks)] };

    private ReleaseDecision Decision(Release release, DateTimeOffset now, string action, string reason, int requests, IReadOnlyList<ReleaseCheck> checks) =>
        new(now, release.Phase, action, ws.Actor, TextLimit.Excerpt(reason, 1000), requests, checks);

    private AuditEntry Audit(Release release, string action, string reason) =>
        new(ws.Actor, $"release.{action}", $"{release.Model}@release:{release.Id}", TextLimit.Excerpt(reason, 1000),
            After: TendJson.Serialize(new { release.State, phase = release.Phase, release.Challenger, release.Champion, release.DryRun }));

    public void Dispose()
    {
        foreach (var served in _champions.Values)
            served.Dispose();
        _champions.Clear();
    }
}
