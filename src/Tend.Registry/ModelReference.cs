using Tend.Core.Errors;

namespace Tend.Registry;

/// <summary><c>NAME</c> (the champion, else the newest), <c>NAME@3</c> (a version) or <c>NAME@champion</c> (an alias).</summary>
public sealed record ModelReference(string Name, int? Version, string? Alias)
{
    public static ModelReference Parse(string text)
    {
        var at = text.IndexOf('@');
        if (at < 0)
            return new ModelReference(text, null, null);
        var (name, tail) = (text[..at], text[(at + 1)..]);
        if (name.Length == 0 || tail.Length == 0)
            throw TendException.BadUsage($"model reference '{text}' is malformed; expected NAME, NAME@VERSION or NAME@ALIAS");
        return int.TryParse(tail, out var version) ? new ModelReference(name, version, null) : new ModelReference(name, null, tail);
    }

    /// <summary>The model a reference names, before (and whether or not) it is well formed or resolves.</summary>
    public static string NameOf(string text) => text.IndexOf('@') is var at and >= 0 ? text[..at] : text;

    public override string ToString() => Version is { } v ? $"{Name}@{v}" : Alias is { } a ? $"{Name}@{a}" : Name;
}
