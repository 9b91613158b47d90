using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tend.EndToEnd.Tests.Fuzz;

/// <summary>
/// Generates malformed and adversarial requests for every operation of a server's /openapi/v1.json: each starts from a
/// valid request (a body built from the operation's schema, or a protocol's seed; real names and ids in the path)
/// and breaks one thing: truncated JSON, a value of the wrong type, null, a missing field, huge and non-finite
/// numbers, invalid UTF-8, a lone surrogate, deep nesting, a huge field count, duplicate keys, a wrong root, random
/// bytes, a wrong content type, an oversized body, an overflowing tensor shape, junk in a path or query parameter;
/// uploads get broken CSV, NDJSON and Parquet. Seeded, so a failure can be replayed.
/// </summary>
internal sealed class Fuzzer(JsonElement openApi, IReadOnlyDictionary<string, string> seeds, IReadOnlyDictionary<string, string> known, int seed)
{
    public sealed record Operation(string Method, string Template, IReadOnlyList<(string Name, string In)> Parameters, IReadOnlyList<string> ContentTypes, JsonElement? Schema);

    private const string Placeholder = "\"@@raw@@\"";

    /// <summary>Bigger than any limit the server sets on a body it parses (8 MB for predictions, Kestrel's 30 MB otherwise).</summary>
    private const int OversizedBytes = 41 << 20;

    private static readonly string[] Junk =
    [
        "", "0", "-1", "99999999999999999999", "1e309", "NaN", "null", "true", "spam@", "spam@0", "spam@-1", "spam@99999999999", "spam@x@y",
        "%", "_", "%_%", "..", "../../etc/passwd", "\u202e", "模型", "a b", "'; DROP TABLE runs; --", "<script>alert(1)</script>", "\0",
        new string('a', 5_000), "spam@champion", "@", "{}", "[]",
    ];

    private static readonly string[] RawValues =
    [
        "null", "true", "false", "0", "-1", "12", "0.5", "\"\"", "\"x\"", "[]", "{}", "[null]", "{\"a\":1}", "1e309", "-1e309",
        "123456789012345678901234567890", "1.7976931348623157e308", "-0", "5e-324", "9223372036854775808", "-9223372036854775809",
        "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "1.", ".5", "01", "+1", "0x10",
        "'single'", "undefined", "\"7\"", "7",
    ];

    private static readonly string[] Shapes = ["[5675921253449092805,13]", "[0]", "[-1]", "[2147483648,2]", "[9223372036854775807]", "[3,3,3]", "[]", "[1.5]", "[\"2\"]", "null"];

    private static readonly string?[] WrongContentTypes =
    [
        null, "text/plain", "application/xml", "multipart/form-data; boundary=z", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
        "application/json; charset=bogus", "garbage", "application/octet-stream", "text/csv", "application/vnd.apache.parquet",
    ];

    private static readonly string[] UploadTypes = ["text/csv", "text/tab-separated-values", "application/x-ndjson", "application/vnd.apache.parquet", "application/octet-stream"];

    private readonly Random _random = new(seed);

    /// <summary>Every operation that takes a body (POST, PUT, PATCH) and every GET; DELETE is left out, since a valid one would remove what the rest use.</summary>
    public IReadOnlyList<Operation> Operations { get; } = Parse(openApi);

    private static List<Operation> Parse(JsonElement openApi)
    {
        var operations = new List<Operation>();
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch"))
            {
                var parameters = op.Value.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!)).ToList() : [];
                var types = new List<string>();
                JsonElement? schema = null;
                if (op.Value.TryGetProperty("requestBody", out var body))
                    foreach (var type in body.GetProperty("content").EnumerateObject())
                    {
                        types.Add(type.Name);
                        schema ??= type.Value.GetProperty("schema");
                    }
                operations.Add(new Operation(op.Name.ToUpperInvariant(), path.Name, parameters, types, schema));
            }
        return operations;
    }

    /// <summary>A valid request for <paramref name="op"/>: real values in the path, the seed body as it is.</summary>
    public FuzzRequest Valid(Operation op)
    {
        var path = op.Parameters.Aggregate(op.Template, (p, x) => x.In == "path" && known.TryGetValue(x.Name, out var v) ? p.Replace("{" + x.Name + "}", Uri.EscapeDataString(v), StringComparison.Ordinal) : p);
        return op.Method == "GET" ? new FuzzRequest("GET", path, null, [], "valid")
            : op.ContentTypes.Contains("text/csv") && op.ContentTypes.Contains("application/vnd.apache.parquet") ? new FuzzRequest(op.Method, path, "text/csv", Utf8(seeds[op.Template]), "valid")
            : op.ContentTypes is ["application/octet-stream"] ? new FuzzRequest(op.Method, path, "application/octet-stream", Utf8("an artifact"), "valid")
            : new FuzzRequest(op.Method, path, "application/json", Utf8(Seed(op)), "valid");
    }

    public FuzzRequest Next(Operation op)
    {
        var (path, junkIn) = Path(op);
        if (op.Method == "GET")
            return new FuzzRequest("GET", path, null, [], junkIn ?? "valid");
        if (op.ContentTypes.Contains("text/csv") && op.ContentTypes.Contains("application/vnd.apache.parquet"))
            return Upload(op, path, junkIn);
        if (op.ContentTypes is ["application/octet-stream"])
            return new FuzzRequest(op.Method, path, Pick(WrongContentTypes) ?? "application/octet-stream", Bytes(_random.Next(0, 4096)), junkIn ?? "artifact");
        var json = Seed(op);
        var (kind, body, type) = Mutate(json);
        return new FuzzRequest(op.Method, path, type, body, junkIn is null ? kind : $"{junkIn}, {kind}");
    }

    /// <summary>The path with its parameters filled in, usually with real values; one may be junk (then its name is returned).</summary>
    private (string Path, string? Junk) Path(Operation op)
    {
        var path = op.Template;
        var query = new List<string>();
        string? junk = null;
        foreach (var (name, where) in op.Parameters)
        {
            var bad = _random.NextDouble() < 0.25;
            var value = bad || !known.TryGetValue(name, out var good) ? Pick(Junk) : good;
            if (bad)
                junk = $"junk {name}";
            var escaped = _random.NextDouble() < 0.05 ? "%FF%FE" + Uri.EscapeDataString(value) : Uri.EscapeDataString(value);
            if (where == "path")
                path = path.Replace("{" + name + "}", escaped, StringComparison.Ordinal);
            else if (bad || _random.NextDouble() < 0.5)
                query.Add($"{name}={escaped}");
        }
        return (query.Count == 0 ? path : path + "?" + string.Join('&', query), junk);
    }

    private string Seed(Operation op) =>
        seeds.TryGetValue(op.Template, out var given) ? given : Sample(op.Schema!.Value, null, 0)?.ToJsonString() ?? "{}";

    /// <summary>A valid value of <paramref name="schema"/>, with the real names and ids in <see cref="known"/> for fields of those names.</summary>
    private JsonNode? Sample(JsonElement schema, string? field, int depth)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            schema = openApi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        if (schema.TryGetProperty("oneOf", out var oneOf))
            return Sample(oneOf.EnumerateArray().Last(), field, depth);
        if (schema.TryGetProperty("enum", out var values))
            return JsonValue.Create(values.EnumerateArray().First(v => v.ValueKind == JsonValueKind.String).GetString());
        if (field is not null && known.TryGetValue(field, out var good))
            return int.TryParse(good, out var number) ? JsonValue.Create(number) : JsonValue.Create(good);
        var type = !schema.TryGetProperty("type", out var t) ? "object"
            : t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).First(x => x != "null") : t.GetString();
        switch (type)
        {
            case "object" when depth < 4:
                var obj = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                    foreach (var p in properties.EnumerateObject())
                        obj[p.Name] = Sample(p.Value, p.Name, depth + 1);
                if (schema.TryGetProperty("additionalProperties", out var more) && more.ValueKind == JsonValueKind.Object)
                    obj["k"] = Sample(more, null, depth + 1);
                return obj;
            case "array" when depth < 4:
                return new JsonArray(Sample(schema.GetProperty("items"), null, depth + 1));
            case "integer":
                return JsonValue.Create(1);
            case "number":
                return JsonValue.Create(0.5);
            case "boolean":
                return JsonValue.Create(true);
            case "string":
                return JsonValue.Create("x");
            default:
                return null;
        }
    }

    private (string Kind, byte[] Body, string? ContentType) Mutate(string json)
    {
        const string Json = "application/json";
        return _random.Next(20) switch
        {
            0 => ("seed", Utf8(json), Json),
            1 => ("truncated", Utf8(json[.._random.Next(json.Length)]), Json),
            2 => ("wrong type", Replace(json, Pick(RawValues)), Json),
            3 => ("null", Replace(json, "null"), Json),
            4 => ("missing field", Remove(json), Json),
            5 => ("huge or non-finite number", Replace(json, Pick(["1e309", "-1e309", "123456789012345678901234567890", "NaN", "Infinity", "-Infinity", "1.7976931348623157e308"])), Json),
            6 => ("invalid UTF-8", Splice(Utf8(Placed(json)), Pick<byte[]>([[0x22, 0xFF, 0xFE, 0x22], [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22]])), Json),
            7 => ("lone surrogate", Replace(json, Pick(["\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud800\\ud800\""])), Json),
            8 => ("deep nesting", Replace(json, Nested(_random.Next(2) == 0 ? 65 : 20_000)), Json),
            9 => ("huge field count", Replace(json, "{" + string.Join(',', Enumerable.Range(0, 50_000).Select(i => $"\"f{i}\":{i}")) + "}"), Json),
            10 => ("duplicate keys", Utf8(Duplicate(json)), Json),
            11 => ("wrong root", Utf8(Pick(["[]", "null", "1", "\"x\"", "true", "[{}]", "{}", "[[]]", " ", "\uFEFF{}"])), Json),
            12 => ("random bytes", Bytes(_random.Next(1, 2_000)), Json),
            13 => ("empty", [], Pick<string?>([Json, null])),
            14 => ("wrong content type", Utf8(json), Pick(WrongContentTypes)),
            15 when _random.Next(40) == 0 => ("oversized", Oversized(json), Json),
            16 => ("tensor shape", Shape(json), Json),
            17 => ("long string", Replace(json, JsonSerializer.Serialize(new string('x', 1 << 20))), Json),
            18 => ("control characters", Replace(json, "\"a\u0001\tb\nc\""), Json),
            _ => ("wrong type", Replace(json, Pick(RawValues)), Json),
        };
    }

    /// <summary>A broken upload: bad bytes in a good CSV, a broken format under each content type, or a CSV past the usual shapes.</summary>
    private FuzzRequest Upload(Operation op, string path, string? junkIn)
    {
        var csv = seeds[op.Template];
        var type = Pick(UploadTypes);
        var (kind, body) = _random.Next(14) switch
        {
            0 => ("seed", Utf8(csv)),
            1 => ("truncated", Utf8(csv[.._random.Next(csv.Length)])),
            2 => ("random bytes", Bytes(_random.Next(1, 4_000))),
            3 => ("invalid UTF-8", Insert(Utf8(csv), [0xFF, 0xFE, 0xC3, 0x28])),
            4 => ("NUL bytes", Insert(Utf8(csv), [0, 0, 0])),
            5 => ("ragged row", Utf8(csv + "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62\n")),
            // 2,000 columns: wide, yet not so wide that the versions it stores make every later listing of datasets huge (CsvReaderTests reads 10,000).
            6 => ("wide header", Utf8(string.Join(',', Enumerable.Range(0, 2_000).Select(i => $"c{i}")) + "\n" + string.Join(',', Enumerable.Range(0, 2_000)) + "\n")),
            7 => ("long field", Utf8("a,b\n\"" + new string('x', 1 << 20) + "\",1\n")),
            8 => ("unterminated quote", Utf8(csv.Insert(_random.Next(csv.Length), "\""))),
            9 => ("junk Parquet", [.. "PAR1"u8, .. Bytes(_random.Next(8, 2_000)), .. "PAR1"u8]),
            10 => ("junk NDJSON", Utf8("{\"a\": 1}\n{\"a\": \n[1,2]\n\"\\ud800\"\n{\"a\": 1e309}\n")),
            11 => ("header only", Utf8(csv[..csv.IndexOf('\n')])),
            12 => ("empty", []),
            _ => ("byte order mark only", [0xEF, 0xBB, 0xBF]),
        };
        if (kind == "junk Parquet" && _random.Next(2) == 0)
            type = "application/vnd.apache.parquet";
        return new FuzzRequest(op.Method, path, type, body, junkIn is null ? kind : $"{junkIn}, {kind}");
    }

    /// <summary>The body with one value (anywhere in it, or the whole) replaced by <paramref name="raw"/> JSON text, valid or not.</summary>
    private byte[] Replace(string json, string raw) => Splice(Utf8(Placed(json)), Utf8(raw));

    /// <summary>The body with one value replaced by the placeholder string; the whole body when it does not parse.</summary>
    private string Placed(string json)
    {
        var root = JsonNode.Parse(json);
        var nodes = Nodes(root).ToList();
        var target = nodes[_random.Next(nodes.Count)];
        if (target is null || target.Parent is null)
            return Placeholder;
        switch (target.Parent)
        {
            case JsonObject obj:
                obj[target.GetPropertyName()] = "@@raw@@";
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = "@@raw@@";
                break;
        }
        return root!.ToJsonString();
    }

    private static IEnumerable<JsonNode?> Nodes(JsonNode? node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children.Where(c => c is not null))
            foreach (var n in Nodes(child))
                yield return n;
    }

    private byte[] Remove(string json)
    {
        var root = JsonNode.Parse(json);
        var objects = Nodes(root).OfType<JsonObject>().Where(o => o.Count > 0).ToList();
        if (objects.Count == 0)
            return Utf8(json);
        var obj = objects[_random.Next(objects.Count)];
        obj.Remove(obj.ElementAt(_random.Next(obj.Count)).Key);
        return Utf8(root!.ToJsonString());
    }

    private string Duplicate(string json)
    {
        var root = JsonNode.Parse(json);
        if (root is not JsonObject { Count: > 0 } obj)
            return json;
        var (key, value) = obj.ElementAt(_random.Next(obj.Count));
        return "{" + $"{JsonSerializer.Serialize(key)}:{Pick(RawValues)}," + json[1..];
    }

    /// <summary>Every "shape" in the body set to one that overflows, is empty, negative or not a shape; the body as it is when it has none.</summary>
    private byte[] Shape(string json)
    {
        var root = JsonNode.Parse(json);
        var shapes = Nodes(root).OfType<JsonObject>().Where(o => o.ContainsKey("shape")).ToList();
        if (shapes.Count == 0)
            return Replace(json, Pick(Shapes));
        foreach (var s in shapes)
            s["shape"] = JsonNode.Parse(Pick(Shapes));
        return Utf8(root!.ToJsonString());
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static byte[] Oversized(string json)
    {
        var builder = new StringBuilder(OversizedBytes + json.Length).Append('[');
        while (builder.Length < OversizedBytes)
            builder.Append(json).Append(',');
        builder[^1] = ']';
        return Utf8(builder.ToString());
    }

    private static byte[] Splice(byte[] body, byte[] raw)
    {
        var at = body.AsSpan().IndexOf(Utf8(Placeholder));
        return at < 0 ? body : [.. body[..at], .. raw, .. body[(at + Placeholder.Length)..]];
    }

    private byte[] Insert(byte[] body, byte[] bad)
    {
        var at = _random.Next(body.Length + 1);
        return [.. body[..at], .. bad, .. body[at..]];
    }

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
