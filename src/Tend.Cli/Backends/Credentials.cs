using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Cli.Backends;

/// <summary>
/// The servers this user signed in to with <c>tend login</c>, each with its token: one JSON file in the user's
/// configuration folder (<c>$XDG_CONFIG_HOME/tend/credentials.json</c>, else <c>~/.config/tend/…</c>) that only the user
/// may read or write (0600, in a 0700 folder), replaced whole on each change so it is never seen half-written.
/// <c>TEND_TOKEN</c>, when set, is the token for any server (for automation), and the file is not read.
/// </summary>
internal static class Credentials
{
    public const string TokenVariable = "TEND_TOKEN";

    private const UnixFileMode UserOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string FilePath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "tend", "credentials.json");

    /// <summary>What the file holds of one server.</summary>
    public sealed record SignIn(string Token, string Identity, DateTimeOffset Since);

    /// <summary>A server's address as the file keys it: absolute http(s), no credentials, query or fragment, ending in '/'.</summary>
    public static Uri Server(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw TendException.BadField("server", $"'{url}' is not a server's address; expected http(s)://HOST:PORT, e.g. http://127.0.0.1:8080");
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw TendException.BadField("server", $"a server's address has no user, query or fragment; expected {uri.Scheme}://{uri.Authority}{uri.AbsolutePath}");
        return new Uri($"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath.TrimEnd('/')}/");
    }

    /// <summary>The token to send to <paramref name="server"/>: TEND_TOKEN, else the one stored at sign-in.</summary>
    public static string TokenFor(Uri server) =>
        Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } given ? given
        : Read().GetValueOrDefault(server.ToString())?.Token
          ?? throw new TendException(ErrorCode.Unauthenticated, $"not signed in to {server}: run 'tend login {server}' (or set {TokenVariable})");

    public static void Save(Uri server, SignIn signIn) => Write(new Dictionary<string, SignIn>(Read()) { [server.ToString()] = signIn });

    /// <summary>Forgets the server's token; false when none was stored.</summary>
    public static bool Remove(Uri server)
    {
        var servers = new Dictionary<string, SignIn>(Read());
        if (!servers.Remove(server.ToString()))
            return false;
        Write(servers);
        return true;
    }

    private static IReadOnlyDictionary<string, SignIn> Read()
    {
        if (!File.Exists(FilePath))
            return new Dictionary<string, SignIn>();
        try
        {
            return TendJson.Deserialize<Dictionary<string, SignIn>>(File.ReadAllText(FilePath));
        }
        catch (JsonException e)
        {
            throw TendException.InvalidData($"{FilePath} is not a credentials file Tend wrote ({e.Message}); delete it and run 'tend login' again");
        }
    }

    private static void Write(IReadOnlyDictionary<string, SignIn> servers)
    {
        var folder = Path.GetDirectoryName(FilePath)!;
        var temporary = Path.Combine(folder, $".credentials-{Guid.NewGuid():N}.json");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(temporary, TendJson.Serialize(servers));
        }
        else
        {
            Directory.CreateDirectory(folder, UserOnly | UnixFileMode.UserExecute);
            using (var file = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UserOnly }))
                JsonSerializer.Serialize(file, servers, TendJson.Options);
        }
        File.Move(temporary, FilePath, overwrite: true);
    }
}
