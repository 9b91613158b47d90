namespace Tend.Core.Domain;

public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>A request to point an alias at a version, waiting for a second person (four eyes): the requester cannot decide it. <see cref="Forced"/>: asked to force it past failed gates.</summary>
public sealed record ApprovalRequest(
    string Id,
    string Model,
    int Version,
    string Alias,
    string Requester,
    string Reason,
    DateTimeOffset Created,
    bool Forced = false,
    ApprovalStatus Status = ApprovalStatus.Pending,
    string? Decider = null,
    string? Decision = null,
    DateTimeOffset? Decided = null);
