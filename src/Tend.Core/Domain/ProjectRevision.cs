using System.Security.Cryptography;
using System.Text;

namespace Tend.Core.Domain;

/// <summary>
/// One revision of a project's tend.yaml, content-addressed: the same text is the same revision. <see cref="Folder"/> is
/// where a command last read it, the project's local face (the server runs a stored project's pipeline from there).
/// </summary>
public sealed record ProjectRevision(string Project, string Revision, string Text, DateTimeOffset Created, string Actor, string Folder)
{
    /// <summary>The revision of <paramref name="text"/>: its sha256, in hex.</summary>
    public static string RevisionOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The audit subject of a project's changes.</summary>
    public static string Subject(string project) => $"project:{project}";
}
