using System.Security.Cryptography;
using System.Text;

namespace Tend.Core.Domain;

/// <summary>
/// The hash that chains audit events: sha256 over the previous hash and this event's fields, joined by the unit
/// separator. Before and after join only when present, so events written before they existed keep their hashes.
/// </summary>
public static class AuditHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(AuditEvent e) =>
        Compute(e.PreviousHash, e.Sequence, e.Time, new AuditEntry(e.Actor, e.Action, e.Subject, e.Reason, e.Before, e.After));

    /// <summary>The first event whose hash does not follow from the one before it (edited, removed or reordered), or null when the chain holds.</summary>
    public static AuditEvent? FirstBroken(IEnumerable<AuditEvent> events)
    {
        var previous = Genesis;
        foreach (var e in events)
        {
            if (e.PreviousHash != previous || Compute(e) != e.Hash)
                return e;
            previous = e.Hash;
        }
        return null;
    }

    public static string Compute(string previousHash, long sequence, DateTimeOffset time, AuditEntry entry)
    {
        var text = string.Join('\u001f', previousHash, sequence, time.UtcDateTime.ToString("O"), entry.Actor, entry.Action, entry.Subject, entry.Reason);
        if (entry.Before is not null || entry.After is not null)
            text = string.Join('\u001f', text, entry.Before ?? "", entry.After ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
