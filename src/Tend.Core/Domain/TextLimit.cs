using System.Diagnostics.CodeAnalysis;
using Tend.Core.Errors;

namespace Tend.Core.Domain;

/// <summary>
/// How long a client's text may be where Tend keeps it, MLflow's bounds rounded up: a key (of a param, tag or metric,
/// or a run's name) 250 characters, a value (of a param, tag or label) 8,000, prose (a description, note, reason or
/// error) 65,536. Longer is refused naming the field, never stored to make every later listing, audit check and
/// report carry it; and an error quotes a client's text as an excerpt, not whole.
/// </summary>
public static class TextLimit
{
    public const int Key = 250;
    public const int Value = 8_000;
    public const int Prose = 65_536;

    /// <summary>Where a quote of a client's text in a message is cut.</summary>
    public const int Quote = 100;

    /// <summary><paramref name="text"/> when it is at most <paramref name="max"/> characters (null passes); else a bad <paramref name="field"/>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Check(string field, string? text, int max = Prose) =>
        text is null || text.Length <= max ? text : throw TendException.BadField(field, $"{field} {TooLong(text, max)}");

    /// <summary>Checks a map's keys against <see cref="Key"/> and its values against <see cref="Value"/>, naming the entry (<c>tags.team</c>).</summary>
    public static IReadOnlyDictionary<string, string>? Check(string field, IReadOnlyDictionary<string, string>? pairs)
    {
        foreach (var (key, value) in pairs ?? new Dictionary<string, string>())
        {
            if (key.Length > Key)
                throw TendException.BadField(field, $"a key of {field} ({Excerpt(key)}) {TooLong(key, Key)}");
            Check($"{field}.{key}", value, Value);
        }
        return pairs;
    }

    /// <summary>Says how much too long: <c>is 1,048,576 characters long; at most 65,536 are kept</c>.</summary>
    public static string TooLong(string text, int max) => $"is {text.Length:N0} characters long; at most {max:N0} are kept";

    /// <summary>The start of a client's text, to quote in a message: <c>xxxx… (1,048,576 characters)</c> when it is longer than <paramref name="max"/>.</summary>
    public static string Excerpt(string text, int max = Quote) => text.Length <= max ? text : $"{text[..max]}… ({text.Length:N0} characters)";
}
