using System.Data.Common;

namespace Tend.Core.Stores;

/// <summary>Turns <c>postgres://user:password@host:port/database?search_path=schema</c> into an Npgsql connection string.</summary>
public static class PostgresUri
{
    public static string ToConnectionString(Uri uri)
    {
        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new DbConnectionStringBuilder
        {
            ["Host"] = uri.Host,
            ["Port"] = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            ["Database"] = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            ["Username"] = Uri.UnescapeDataString(userInfo[0]),
        };
        if (userInfo.Length > 1)
            builder["Password"] = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts[0] == "search_path")
                builder["Search Path"] = Uri.UnescapeDataString(parts[1]);
        }
        return builder.ConnectionString;
    }
}
