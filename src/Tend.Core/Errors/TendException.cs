namespace Tend.Core.Errors;

/// <summary>
/// The one exception Tend throws for anything a user can fix. Its message says what is wrong in the domain's words:
/// the bad value and what was expected. How to set the input it concerns is the front end's to say: the CLI names
/// <see cref="Field"/> as one of its options, the server as a parameter (<c>on_bad_lines</c>).
/// </summary>
public sealed class TendException(ErrorCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorCode Code { get; } = code;

    /// <summary>The input the error concerns, in snake_case (<c>percent</c>, <c>on_bad_lines</c>), when one is to blame or to set.</summary>
    public string? Field { get; init; }

    /// <summary>The values <see cref="Field"/> may take, when they are few enough to list.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The same error, said of <paramref name="where"/> (a file, a row): <c>where: message</c>.</summary>
    public TendException Within(string where) => new(Code, $"{where}: {Message}", this) { Field = Field, Choices = Choices };

    public static TendException NotFound(string message) => new(ErrorCode.NotFound, message);
    public static TendException BadUsage(string message) => new(ErrorCode.BadUsage, message);
    public static TendException InvalidData(string message) => new(ErrorCode.InvalidData, message);

    /// <summary>A bad or missing value of <paramref name="field"/>.</summary>
    public static TendException BadField(string field, string message, params IReadOnlyList<string> choices) =>
        new(ErrorCode.BadUsage, message) { Field = field, Choices = choices };
}
