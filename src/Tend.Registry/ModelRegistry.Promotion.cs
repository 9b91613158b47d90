using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Registry;

/// <summary>
/// Moving aliases under the project's rules: <c>champion</c> only for a version whose latest evaluation passed every gate
/// against the current champion (or with <c>force</c> and a reason, audited as forced); with <c>approval: required</c>
/// a move of <c>champion</c> becomes a request that a different actor approves or rejects (four eyes); a rollback moves
/// <c>champion</c> back to the version before it in one step. Every move is kept in the alias history.
/// </summary>
public sealed partial class ModelRegistry
{
    public async Task<Promotion> PromoteAsync(string name, int version, string alias, string reason, string actor, CancellationToken ct,
        Approval approval = Approval.None, bool force = false)
    {
        CheckAlias(alias);
        TextLimit.Check("reason", reason);
        if (string.IsNullOrWhiteSpace(reason))
            throw TendException.BadField("reason", "a promotion needs a reason, for the audit trail");
        var target = await GetAsync(name, version, ct);
        var kind = alias == Champion ? await CheckGatesAsync(target, force, ct) : AliasMove.Promote;
        if (alias == Champion && approval == Approval.Required)
        {
            var request = new ApprovalRequest(Guid.NewGuid().ToString("N"), name, version, alias, actor, reason, DateTimeOffset.UtcNow, Forced: kind == AliasMove.Forced);
            await store.Approvals.AddAsync(request, new AuditEntry(actor, "approval.request", $"{name}@{alias}",
                $"asks to point {alias} at {version}{(request.Forced ? " (forced past failed gates)" : "")}: {reason}", After: TendJson.Serialize(request)), ct);
            return new Promotion(Promotion.Pending, name, version, alias, request);
        }
        await MoveAsync(name, alias, version, actor, reason, kind, ct);
        return new Promotion(Promotion.Done, name, version, alias);
    }

    public async Task<Promotion> DecideAsync(string requestId, bool approve, string reason, string actor, CancellationToken ct)
    {
        TextLimit.Check("reason", reason);
        var request = await ApprovalAsync(requestId, ct);
        if (request.Status != ApprovalStatus.Pending)
            throw new TendException(ErrorCode.Conflict, $"request {request.Id} is already {request.Status.ToString().ToLowerInvariant()} by {request.Decider}");
        if (request.Requester == actor)
            throw new TendException(ErrorCode.NotAllowed, $"{actor} asked for request {request.Id} and cannot also {(approve ? "approve" : "reject")} it: a second person must (four eyes)");
        var target = await GetAsync(request.Model, request.Version, ct);
        var decided = request with
        {
            Status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected,
            Decider = actor,
            Decision = reason,
            Decided = DateTimeOffset.UtcNow,
        };
        AliasMove? move = null;
        if (approve)
        {
            if (!request.Forced)
                await CheckGatesAsync(target, force: false, ct); // the champion may have moved since the request
            var kind = request.Forced ? AliasMove.Forced : AliasMove.Approved;
            move = new AliasMove(0, request.Model, request.Alias, null, request.Version, actor, // the store fills in the holder it replaces
                $"{request.Reason} (asked by {request.Requester}; approved by {actor}{(reason.Length > 0 ? ": " + reason : "")})", kind, DateTimeOffset.UtcNow);
        }
        await store.Approvals.DecideAsync(decided, move, new AuditEntry(actor, approve ? "approval.approve" : "approval.reject", $"{request.Model}@{request.Alias}",
            $"{(approve ? "approved" : "rejected")} request {request.Id} ({request.Alias} → {request.Version}, asked by {request.Requester})" +
            $"{(move?.Kind == AliasMove.Forced ? ", forced past its gates" : "")}{(reason.Length > 0 ? ": " + reason : "")}",
            TendJson.Serialize(request), TendJson.Serialize(decided)), ct);
        return new Promotion(approve ? Promotion.Done : Promotion.Rejected, request.Model, request.Version, request.Alias, decided);
    }

    /// <summary>Moves <c>champion</c> back to the version that was champion before the current one was promoted (rollbacks skipped, so a second rollback goes further back).</summary>
    public async Task<Promotion> RollbackAsync(string name, string reason, string actor, CancellationToken ct)
    {
        TextLimit.Check("reason", reason);
        var current = await store.Models.GetAliasAsync(name, Champion, ct) ?? throw TendException.NotFound($"model {name} has no champion to roll back");
        var history = await store.Models.HistoryAsync(name, Champion, ct);
        var made = history.LastOrDefault(m => m.To == current.Version && m.Kind != AliasMove.Rollback);
        if (made?.From is not { } previous)
            throw new TendException(ErrorCode.NotAllowed, $"{name}@{Champion} (version {current.Version}) has no earlier champion to roll back to; 'tend models history {name}' shows its moves");
        await MoveAsync(name, Champion, previous, actor, string.IsNullOrWhiteSpace(reason) ? $"rollback from {current.Version}" : reason, AliasMove.Rollback, ct);
        return new Promotion(Promotion.Done, name, previous, Champion);
    }

    public Task<IReadOnlyList<AliasMove>> HistoryAsync(string name, string? alias, CancellationToken ct) => store.Models.HistoryAsync(name, alias, ct);

    public async Task<ApprovalRequest> ApprovalAsync(string id, CancellationToken ct) =>
        await store.Approvals.GetAsync(id, ct) ?? throw TendException.NotFound($"no approval request '{TextLimit.Excerpt(id)}'; 'tend models requests' lists them");

    /// <summary>Promotion requests, all or those in one state, oldest first.</summary>
    public Task<IReadOnlyList<ApprovalRequest>> ApprovalsAsync(ApprovalStatus? status, CancellationToken ct) => store.Approvals.ListAsync(status, ct);

    private async Task MoveAsync(string name, string alias, int version, string actor, string reason, string kind, CancellationToken ct)
    {
        // The store fills in the holder it replaces, read in its own write transaction.
        var move = new AliasMove(0, name, alias, null, version, actor, reason, kind, DateTimeOffset.UtcNow);
        await store.Models.MoveAliasAsync(move, m => new AuditEntry(actor, kind == AliasMove.Rollback ? "model.rollback" : "model.alias", $"{name}@{alias}",
            $"{(m.From is { } from ? $"{alias} moved from {from} to {version}" : $"{alias} set to {version}")}{(kind == AliasMove.Forced ? " (forced past its gates)" : "")}: {reason}",
            m.From is { } previous ? TendJson.Serialize(new { version = previous }) : null, TendJson.Serialize(new { version })), ct);
    }

    /// <summary>Refuses, saying why and what to do, unless the version's latest evaluation lets it be champion now (a release checks this before its first step).</summary>
    public async Task CheckPromotableAsync(string name, int version, CancellationToken ct) =>
        await CheckGatesAsync(await GetAsync(name, version, ct), force: false, ct);

    /// <summary>
    /// <c>promote</c> when the version's latest evaluation passed every gate against the champion of now; <c>forced</c> when
    /// it did not and <paramref name="force"/> says go anyway; otherwise the refusal, saying what to do.
    /// </summary>
    private async Task<string> CheckGatesAsync(ModelVersion target, bool force, CancellationToken ct)
    {
        var evaluation = (await store.Evaluations.ListAsync(target.RunId, ct)).FirstOrDefault();
        var champion = await store.Models.GetAliasAsync(target.Name, Champion, ct);
        var refusal = evaluation switch
        {
            null => $"{target.Name}@{target.Version} has no evaluation; run 'tend evaluate {target.Name}@{target.Version}'",
            { Passed: false } => $"{target.Name}@{target.Version} failed its gates in evaluation {evaluation.Id[..8]}: {string.Join("; ", evaluation.FailedGates)}",
            _ when champion is not null && champion.Version != target.Version && evaluation.ChampionVersion != champion.Version =>
                $"{target.Name}@{target.Version} was evaluated against champion {(evaluation.ChampionVersion is { } v ? $"v{v}" : "(none)")}, but the champion is now v{champion.Version}; run 'tend evaluate {target.Name}@{target.Version}' again",
            _ => null,
        };
        if (refusal is null)
            return AliasMove.Promote;
        if (force)
            return AliasMove.Forced;
        throw new TendException(evaluation is { Passed: false } ? ErrorCode.GateFailed : ErrorCode.NotAllowed, $"{refusal}; or force the promotion, with a reason, to override (audited)") { Field = "force" };
    }
}
