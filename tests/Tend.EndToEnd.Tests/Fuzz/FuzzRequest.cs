using System.Text;

namespace Tend.EndToEnd.Tests.Fuzz;

/// <summary>One generated request: what it is sent as, and which mutation made it (for the failure message).</summary>
internal sealed record FuzzRequest(string Method, string Path, string? ContentType, byte[] Body, string Kind)
{
    public HttpRequestMessage Message()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Method != "GET")
        {
            message.Content = new ByteArrayContent(Body);
            // As curl does for a big body: the server may refuse it (413) before it is sent, rather than close the connection under it.
            message.Headers.ExpectContinue = Body.Length > 1 << 20;
            if (ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    /// <summary>The request in a line: method, path (cut), mutation, content type, and the start of the body.</summary>
    public override string ToString()
    {
        var path = Path.Length > 200 ? Path[..200] + "…" : Path;
        var body = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300)).ReplaceLineEndings("⏎");
        return $"{Method} {path} [{Kind}] {ContentType ?? "(no content type)"} {Body.Length} bytes: {body}";
    }
}
