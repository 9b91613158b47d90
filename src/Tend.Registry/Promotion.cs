using Tend.Core.Domain;

namespace Tend.Registry;

/// <summary>
/// What a promotion or a decision did: <c>done</c> (the alias moved), <c>pending</c> (an approval request waits for a
/// second person) or <c>rejected</c>, with the version and the request, if there was one.
/// </summary>
public sealed record Promotion(string Status, ModelVersion Version, string Alias, ApprovalRequest? Request = null)
{
    public const string Done = "done";
    public const string Pending = "pending";
    public const string Rejected = "rejected";

    public string? RequestId => Request?.Id;
}
