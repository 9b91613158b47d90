using System.Text.RegularExpressions;
using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Core.Spec;

/// <summary>What a project, dataset or model may be called: it appears in references (<c>NAME@VERSION</c>), URLs and file names.</summary>
public static partial class Names
{
    public const int MaxLength = 100;
    public const string Rule = "up to 100 letters, digits, '.', '_' and '-', starting with a letter or digit";

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    public static string Check(string name, string what) =>
        IsValid(name) ? name : throw TendException.BadUsage($"{what} '{TextLimit.Excerpt(name)}' is not a valid name; use {Rule}");

    /// <summary>A valid name made from any text (a folder's name, say): invalid characters become '-'.</summary>
    public static string From(string text)
    {
        var name = Invalid().Replace(text.ToLowerInvariant(), "-").Trim('-', '.', '_');
        name = name[..Math.Min(name.Length, MaxLength)].TrimEnd('-', '.', '_');
        return name.Length > 0 ? name : "project";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex Pattern();

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex Invalid();
}
