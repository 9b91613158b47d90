namespace Tend.Core.Spec;

/// <summary>When a served prediction's log record is stored: batched (within milliseconds of the answer), or before the answer (sync).</summary>
public enum LogDurability
{
    Batched,
    Sync,
}

/// <summary>
/// The <c>serving:</c> section: how the prediction log is written. <c>batched</c> (the default) answers at once and stores
/// the records every few milliseconds, so a process killed outright loses those of its last milliseconds; <c>sync</c>
/// answers only once the request's records are committed (bench/README.md measures the cost).
/// </summary>
public sealed record ServingSpec(LogDurability LogDurability = LogDurability.Batched)
{
    public static readonly string[] Keys = ["log_durability"];

    internal static ServingSpec? Load(YamlMap root)
    {
        if (root.Map("serving", Keys) is not { } s)
            return null;
        return s.String("log_durability") switch
        {
            null or "batched" => new ServingSpec(),
            "sync" => new ServingSpec(LogDurability.Sync),
            var other => throw s.Error("log_durability", $"'serving.log_durability' must be one of: batched, sync; got '{other}'"),
        };
    }
}
