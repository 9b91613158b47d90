namespace Tend.Core.Errors;

/// <summary>What went wrong, in terms a caller can act on. Maps to a CLI exit code and an HTTP status.</summary>
public enum ErrorCode
{
    Unexpected,
    BadUsage,
    InvalidData,
    GateFailed,
    NotFound,
    Conflict,
    NotAllowed,

    /// <summary>No identity was proven: no credential, or one that is unknown, expired or revoked (a 401; the CLI's "not allowed").</summary>
    Unauthenticated,
}
