using Tend.Core.Domain;

namespace Tend.Registry;

/// <summary>
/// What <c>tend models promote</c> did: <c>done</c> (the alias moved) or <c>pending</c> (an approval request waits for a
/// second person), with the version and, when pending, the request.
/// </summary>
public sealed record Promotion(string Status, ModelVersion Version, string Alias, ApprovalRequest? Request = null)
{
    public const string Done = "done";
    public const string Pending = "pending";

    public string? RequestId => Request?.Id;
}
