using System.Text.Json;

namespace Tend.Serving.Protocols;

/// <summary>A request body as JSON; malformed JSON is the client's mistake, naming the line and byte.</summary>
public static class JsonBody
{
    public static JsonElement Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            throw RequestReader.Malformed(e);
        }
    }

    /// <summary>
    /// Parses a body and reads what is needed from it, then gives the parser's pooled buffers back: for a reader that
    /// keeps nothing of the JSON (it copies the values out), as the protocols' readers do.
    /// </summary>
    public static T Read<T>(ReadOnlyMemory<byte> body, Func<JsonElement, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw RequestReader.Malformed(e);
        }
        using (document)
            return read(document.RootElement);
    }
}
