namespace Tend.Core.Domain;

/// <summary>
/// One move of an alias, kept forever: from which version (none when first set) to which, by whom, why, and how
/// (<c>promote</c>, <c>approved</c> after a request, <c>forced</c> past failed gates, <c>rollback</c>).
/// </summary>
public sealed record AliasMove(long Sequence, string Model, string Alias, int? From, int To, string Actor, string Reason, string Kind, DateTimeOffset Time)
{
    public const string Promote = "promote";
    public const string Approved = "approved";
    public const string Forced = "forced";
    public const string Rollback = "rollback";
}
