using Tend.Core.Domain;

namespace Tend.Registry;

/// <summary>
/// What a promotion, a decision or a rollback did: <c>done</c> (the alias points at <see cref="Version"/>), <c>pending</c>
/// (an approval request waits for a second person) or <c>rejected</c>, with the request, if there was one. Its JSON is
/// what the CLI's promote, approve, reject and rollback commands and the REST API print.
/// </summary>
public sealed record Promotion(string Status, string Model, int Version, string Alias, ApprovalRequest? Request = null)
{
    public const string Done = "done";
    public const string Pending = "pending";
    public const string Rejected = "rejected";

    public string? RequestId => Request?.Id;
}
