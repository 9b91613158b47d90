namespace Tend.Core.Spec;

/// <summary>When a served prediction's log record is stored: batched (within milliseconds of the answer), or before the answer (sync).</summary>
public enum LogDurability
{
    Batched,
    Sync,
}

/// <summary>Who may call the prediction endpoints: holders of a token with a role in the project (the default), or anyone (behind a gateway that authenticates).</summary>
public enum ServingAuth
{
    Token,
    None,
}

/// <summary>
/// The <c>serving:</c> section. <c>log_durability</c>: <c>batched</c> (the default) answers at once and stores the
/// records every few milliseconds, so a process killed outright loses those of its last milliseconds; <c>sync</c>
/// answers only once the request's records are committed (bench/README.md measures the cost). <c>auth</c>:
/// <c>token</c> (the default) or <c>none</c>, which opens predict and feedback to anyone (docs/security.md).
/// </summary>
public sealed record ServingSpec(LogDurability LogDurability = LogDurability.Batched, ServingAuth Auth = ServingAuth.Token)
{
    public static readonly string[] Keys = ["log_durability", "auth"];

    internal static ServingSpec? Load(YamlMap root)
    {
        if (root.Map("serving", Keys) is not { } s)
            return null;
        var durability = s.String("log_durability") switch
        {
            null or "batched" => LogDurability.Batched,
            "sync" => LogDurability.Sync,
            var other => throw s.Error("log_durability", $"'serving.log_durability' must be one of: batched, sync; got '{other}'"),
        };
        var auth = s.String("auth") switch
        {
            null or "token" => ServingAuth.Token,
            "none" => ServingAuth.None,
            var other => throw s.Error("auth", $"'serving.auth' must be one of: token, none; got '{other}'"),
        };
        return new ServingSpec(durability, auth);
    }
}
