namespace Tend.Core.Errors;

/// <summary>The one table that maps an <see cref="ErrorCode"/> to a CLI exit code and an HTTP status (DESIGN.md §4).</summary>
public static class ErrorCodes
{
    public static int ExitCode(this ErrorCode code) => code switch
    {
        ErrorCode.BadUsage => 2,
        ErrorCode.InvalidData => 3,
        ErrorCode.GateFailed => 4,
        ErrorCode.NotFound => 5,
        ErrorCode.Conflict => 6,
        ErrorCode.NotAllowed or ErrorCode.Unauthenticated => 7,
        _ => 1,
    };

    public static int HttpStatus(this ErrorCode code) => code switch
    {
        ErrorCode.BadUsage => 400,
        ErrorCode.InvalidData => 422,
        ErrorCode.GateFailed => 422,
        ErrorCode.NotFound => 404,
        ErrorCode.Conflict => 409,
        ErrorCode.NotAllowed => 403,
        ErrorCode.Unauthenticated => 401,
        _ => 500,
    };
}
