using System.Text.Json;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving.Protocols;

/// <summary>A tensor of the Open Inference Protocol (v2): name, datatype, shape, and its values flattened row-major.</summary>
public sealed record Tensor(string Name, string Datatype, IReadOnlyList<long> Shape, IReadOnlyList<object?> Data);

/// <summary>A tensor's description in model metadata.</summary>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);

public sealed record ModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs,
    IReadOnlyDictionary<string, object> Parameters);

public sealed record InferenceResponse(string ModelName, string ModelVersion, string? Id, IReadOnlyDictionary<string, object> Parameters, IReadOnlyList<Tensor> Outputs);

/// <summary>
/// The Open Inference Protocol v2 (KServe, Triton, Seldon MLServer) over a Tend model. Inputs are either one tensor per
/// feature column, shape [N] or [N, 1] (numbers as FP32/FP64/INT*, booleans as BOOL, categories, text and dates as
/// BYTES), or one tensor of shape [N, F] holding every feature in the metadata's order (FP32/FP64 when all are
/// numeric, else BYTES with each value as text). Outputs are <c>prediction</c>, and <c>probability</c> [N] (binary:
/// the positive class's) or <c>probabilities</c> [N, K] in the order of the metadata's <c>classes</c>.
/// </summary>
public static class OpenInference
{
    private static readonly HashSet<string> Numbers = ["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"];

    public static ModelMetadata Metadata(ServedModel model, IEnumerable<int> versions)
    {
        var layout = model.Model.Layout;
        var parameters = new Dictionary<string, object> { ["task"] = layout.Task.ToString().ToLowerInvariant(), ["version"] = model.Version.Version };
        if (layout.Task != MlTask.Regression)
            parameters["classes"] = layout.Classes;
        return new ModelMetadata(model.Version.Name, versions.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), model.Model.Format == ModelPackage.Onnx ? "onnxruntime" : "mlnet",
            layout.Features.Select(f => new TensorMetadata(f, Datatype(layout, f), [-1])).ToList(), Outputs(layout), parameters);
    }

    private static IReadOnlyList<TensorMetadata> Outputs(FeatureLayout layout) => layout.Task switch
    {
        MlTask.Binary => [new("prediction", "BYTES", [-1]), new("probability", "FP64", [-1])],
        MlTask.Multiclass => [new("prediction", "BYTES", [-1]), new("probabilities", "FP64", [-1, layout.Classes.Count])],
        _ => [new("prediction", "FP64", [-1])],
    };

    private static string Datatype(FeatureLayout layout, string feature) =>
        layout.Numeric.Contains(feature) ? "FP64" : layout.Boolean.Contains(feature) ? "BOOL" : "BYTES";

    /// <summary>The request's rows, checked against the model's signature; each mistake names the input and what was expected.</summary>
    public static Table Read(JsonElement body, FeatureLayout layout) => Read(body, new SignatureCheck(layout));

    public static Table Read(JsonElement body, SignatureCheck check)
    {
        var layout = check.Layout;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
            throw TendException.BadUsage("expected {\"inputs\": [{\"name\", \"datatype\", \"shape\", \"data\"}, …]}");
        var tensors = inputs.EnumerateArray().Select(ReadTensor).ToList();
        var outputs = Outputs(layout).Select(o => o.Name).ToList();
        foreach (var name in OutputsWanted(body) ?? [])
            if (!outputs.Contains(name!))
                throw TendException.BadUsage($"output '{name}' is not one of: {string.Join(", ", outputs)}");
        var features = layout.Features.ToList();
        if (tensors.Count == 1 && tensors[0].Shape is [var n, var f] && f == features.Count && f > 1)
            return Batch(tensors[0], (int)n, features, check);
        var byName = new Dictionary<string, (string Datatype, long Rows, List<JsonElement> Values)>();
        foreach (var (name, datatype, shape, values) in tensors)
        {
            if (!features.Contains(name))
                throw TendException.BadUsage($"input '{name}' is not a feature of the model; it takes: {string.Join(", ", features)} (GET the model's metadata)");
            if (shape is not ([_] or [_, 1]))
                throw TendException.BadUsage($"input '{name}': shape [{string.Join(", ", shape)}] must be [N] or [N, 1], one value a row");
            var expected = Datatype(layout, name);
            if (expected == "FP64" ? !Numbers.Contains(datatype) : datatype != expected)
                throw TendException.BadUsage($"input '{name}': datatype {datatype}, but the model takes {(expected == "FP64" ? "a number (FP32, FP64 or INT*)" : expected)}");
            byName[name] = (datatype, shape[0], values);
        }
        var missing = features.Where(f => !byName.ContainsKey(f)).ToList();
        if (missing.Count > 0)
            throw TendException.BadUsage($"input {string.Join(", ", missing.Select(m => $"'{m}'"))} is missing; the model needs: {string.Join(", ", features)}");
        var rows = byName.Values.Select(v => v.Rows).Distinct().ToList();
        if (rows.Count > 1)
            throw TendException.BadUsage($"inputs have different row counts: {string.Join(", ", byName.Select(b => $"{b.Key} {b.Value.Rows}"))}");
        return new Table(features, Enumerable.Range(0, (int)rows[0]).Select(r =>
            features.Select(f => RequestReader.Value(byName[f].Values[r], f, check, $"input '{f}', row {r}: ")).ToArray()).ToList());
    }

    /// <summary>One [N, F] tensor of every feature in metadata order: numbers for an all-numeric model, else text cells.</summary>
    private static Table Batch((string Name, string Datatype, long[] Shape, List<JsonElement> Values) tensor, int n, List<string> features, SignatureCheck signature)
    {
        var layout = signature.Layout;
        var numeric = tensor.Datatype != "BYTES";
        if (numeric && (!Numbers.Contains(tensor.Datatype) || features.Any(f => !layout.Numeric.Contains(f))))
            throw TendException.BadUsage($"input '{tensor.Name}': a [N, F] {tensor.Datatype} tensor needs every feature numeric; this model has non-numeric ones, so send BYTES or one input per feature");
        var check = new InputBuilder(layout);
        var at = check.PositionsIn(features);
        var rows = new List<string?[]>(n);
        for (var r = 0; r < n; r++)
        {
            var row = new string?[features.Count];
            for (var c = 0; c < features.Count; c++)
            {
                var value = tensor.Values[r * features.Count + c];
                row[c] = numeric ? RequestReader.Value(value, features[c], signature, $"input '{tensor.Name}', row {r}: ") : BytesCell(value, tensor.Name, r, features[c], signature);
            }
            if (check.TryRead(row, at, out var failed) is null)
                throw TendException.BadUsage($"input '{tensor.Name}', row {r}: {check.Problem(row, at, failed)}");
            rows.Add(row);
        }
        return new Table(features, rows);
    }

    /// <summary>A BYTES tensor's value as a cell: text or null, checked as <see cref="RequestReader.Value"/> checks a JSON field.</summary>
    private static string? BytesCell(JsonElement value, string tensor, int row, string column, SignatureCheck signature)
    {
        var where = $"input '{tensor}', row {row}: ";
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => throw TendException.BadUsage($"input '{tensor}', row {row}, column '{column}': a BYTES tensor holds text, got {RequestReader.Kind(value)}"),
        };
        if (text is null)
            signature.Missing(column, where);
        else if (signature.Signature.KindOf(column) == FieldKind.Category)
            signature.Category(column, text);
        return text;
    }

    private static (string Name, string Datatype, long[] Shape, List<JsonElement> Values) ReadTensor(JsonElement input, int index)
    {
        string Text(string field) => input.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : throw TendException.BadUsage($"inputs[{index}]: field '{field}' must be a string");
        if (input.ValueKind != JsonValueKind.Object)
            throw TendException.BadUsage($"inputs[{index}]: expected an object with name, datatype, shape and data");
        var name = Text("name");
        var datatype = Text("datatype").ToUpperInvariant();
        if (!input.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array
            || shapeJson.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var x) || x < 0))
            throw TendException.BadUsage($"input '{name}': field 'shape' must be an array of non-negative integers");
        var shape = shapeJson.EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (!input.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw TendException.BadUsage($"input '{name}': field 'data' must be an array");
        var values = new List<JsonElement>();
        Flatten(data, values);
        var size = shape.Aggregate(1L, (a, b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b); // saturates: a product past long overflows to anything
        if (size == 0)
            throw TendException.BadUsage($"input '{name}': shape [{string.Join(", ", shape)}] holds no values; every dimension must be at least 1");
        if (values.Count != size)
            throw TendException.BadUsage($"input '{name}': shape [{string.Join(", ", shape)}] holds {(size == long.MaxValue ? "more values than a request can carry" : $"{size} values")}, but data has {values.Count}");
        return (name, datatype, shape, values);
    }

    /// <summary>The names in the request's <c>outputs</c>, or null when it asks for all.</summary>
    private static List<string?>? OutputsWanted(JsonElement body) =>
        body.TryGetProperty("outputs", out var wanted) && wanted.ValueKind == JsonValueKind.Array
            ? wanted.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("name", out var name) ? name.GetString() : null).ToList()
            : null;

    /// <summary>Data may be flat or nested row-major; both read the same.</summary>
    private static void Flatten(JsonElement data, List<JsonElement> into)
    {
        foreach (var item in data.EnumerateArray())
            if (item.ValueKind == JsonValueKind.Array) Flatten(item, into);
            else into.Add(item);
    }

    /// <summary>The answer as output tensors (all of them, or those the request's <c>outputs</c> names), with each row's request id.</summary>
    public static InferenceResponse Response(PredictionResponse answer, FeatureLayout layout, JsonElement body)
    {
        var rows = answer.Predictions;
        var n = rows.Count;
        var outputs = new List<Tensor>
        {
            layout.Task == MlTask.Regression
                ? new Tensor("prediction", "FP64", [n], rows.Select(r => (object?)r.Score).ToList())
                : new Tensor("prediction", "BYTES", [n], rows.Select(r => (object?)r.Prediction).ToList()),
        };
        if (layout.Task == MlTask.Binary)
            outputs.Add(new Tensor("probability", "FP64", [n], rows.Select(r => (object?)r.Probabilities![layout.PositiveClass!]).ToList()));
        if (layout.Task == MlTask.Multiclass)
            outputs.Add(new Tensor("probabilities", "FP64", [n, layout.Classes.Count], rows.SelectMany(r => layout.Classes.Select(c => (object?)r.Probabilities![c])).ToList()));
        if (OutputsWanted(body) is { } names) // checked by Read
            outputs = outputs.Where(o => names.Contains(o.Name)).ToList();
        var id = body.TryGetProperty("id", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString() : null;
        return new InferenceResponse(answer.Model, answer.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), id,
            new Dictionary<string, object> { ["request_ids"] = rows.Select(r => r.RequestId).ToList() }, outputs);
    }
}
