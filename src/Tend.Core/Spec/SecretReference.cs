using System.Text.RegularExpressions;
using Tend.Core.Errors;

namespace Tend.Core.Spec;

/// <summary>
/// Where a secret is kept, never the secret: <c>env:NAME</c> (an environment variable of the process that uses it) or
/// <c>file:PATH</c> (a secrets file, as Docker and Kubernetes mount them). tend.yaml is stored, versioned and shown by
/// the API, so it names secrets this way; they are read only when used.
/// </summary>
public sealed partial record SecretReference(string Kind, string Name)
{
    public const string Forms = "env:VARIABLE or file:/path/to/secret";

    public override string ToString() => $"{Kind}:{Name}";

    internal static SecretReference Load(YamlMap map, string key, string qualified)
    {
        var text = map.String(key, required: true)!;
        return Pattern().Match(text) is { Success: true } m ? new SecretReference(m.Groups[1].Value, m.Groups[2].Value)
            : throw map.Error(key, $"'{qualified}' must name where the value is kept, {Forms}, not the value itself: tend.yaml is stored and shown");
    }

    /// <summary>The secret, read now; a variable that is not set, or a file that cannot be read, is named (never the value).</summary>
    public string Resolve() => Kind == "env"
        ? Environment.GetEnvironmentVariable(Name) is { Length: > 0 } value ? value
            : throw TendException.InvalidData($"environment variable {Name} is not set")
        : ReadFile();

    private string ReadFile()
    {
        try
        {
            return File.ReadAllText(Name).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TendException.InvalidData($"secrets file {Name} cannot be read: {e.GetType().Name}");
        }
    }

    [GeneratedRegex("^(env|file):((?<=env:)[A-Za-z_][A-Za-z0-9_]*|(?<=file:)/.+)$")]
    private static partial Regex Pattern();
}
