namespace Tend.Core.Errors;

/// <summary>Reads a named value of an enum as a user writes it (any case); a number or an unknown name is an error listing the choices.</summary>
public static class Choice
{
    public static T Parse<T>(string field, string text) where T : struct, Enum
    {
        if (!int.TryParse(text, out _) && Enum.TryParse<T>(text, ignoreCase: true, out var value))
            return value;
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToList();
        throw TendException.BadField(field, $"{field} '{text}' is not one of: {string.Join(", ", names)}", names);
    }
}
