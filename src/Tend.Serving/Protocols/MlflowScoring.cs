using System.Runtime.InteropServices;
using System.Text.Json;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Serving.Protocols;

/// <summary>
/// MLflow's scoring protocol (<c>POST /invocations</c>, as <c>mlflow models serve</c> takes it): a JSON body with one of
/// <c>dataframe_split</c> ({columns, data}), <c>dataframe_records</c> (a list of objects), <c>instances</c> or
/// <c>inputs</c> (a list of objects, or an object of columns), or a <c>text/csv</c> body with a header. The answer is
/// <c>{"predictions": [...]}</c>, one record a row with the columns <c>tend predict</c> adds: prediction, and
/// probability (binary) or probability_CLASS (multiclass); a regression model answers plain numbers, as MLflow's do.
/// </summary>
public static class MlflowScoring
{
    private static readonly string[] Formats = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    public static Table ReadJson(JsonElement body, FeatureLayout layout) => ReadJson(body, new SignatureCheck(layout));

    public static Table ReadJson(JsonElement body, SignatureCheck check)
    {
        var layout = check.Layout;
        var given = body.ValueKind == JsonValueKind.Object ? Formats.Where(f => body.TryGetProperty(f, out _)).ToList() : [];
        if (given.Count != 1)
            throw TendException.BadUsage($"expected a JSON object with exactly one of: {string.Join(", ", Formats)}{(given.Count > 1 ? $"; got {string.Join(", ", given)}" : "")}");
        var value = body.GetProperty(given[0]);
        return given[0] switch
        {
            "dataframe_split" => Split(value, check),
            "dataframe_records" => Records(value, check, given[0]),
            _ => value.ValueKind == JsonValueKind.Object ? Columnar(value, check, given[0]) : Records(value, check, given[0]),
        };
    }

    /// <summary>A CSV body with a header row, checked cell by cell against the model's columns.</summary>
    public static Table ReadCsv(string body, FeatureLayout layout)
    {
        var table = CsvReader.Read(new StringReader(body), "request body");
        var inputs = new InputBuilder(layout);
        var at = inputs.PositionsIn(table.Columns);
        for (var r = 0; r < table.Rows.Count; r++)
            if (inputs.TryRead(table.Rows[r], at, out var failed) is null)
                throw TendException.BadUsage($"CSV row {r + 1}: {inputs.Problem(table.Rows[r], at, failed)}");
        return table.Rows.Count > 0 ? table : throw TendException.BadUsage("the CSV body has a header but no rows");
    }

    private static Table Records(JsonElement records, SignatureCheck check, string format) =>
        records.ValueKind == JsonValueKind.Array && records.EnumerateArray().All(r => r.ValueKind == JsonValueKind.Object)
            ? RequestReader.Read(JsonMarshal.GetRawUtf8Value(records).ToArray(), check).ToTable()
            : throw TendException.BadUsage($"'{format}' must be a list of objects of features (column names are needed; a bare tensor is not enough)");

    private static Table Split(JsonElement split, SignatureCheck check)
    {
        var layout = check.Layout;
        if (split.ValueKind != JsonValueKind.Object || !split.TryGetProperty("columns", out var columnsJson) || columnsJson.ValueKind != JsonValueKind.Array
            || !split.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw TendException.BadUsage("'dataframe_split' must be {\"columns\": [...], \"data\": [[...], ...]}");
        var columns = columnsJson.EnumerateArray().Select(c => c.GetString() ?? "").ToList();
        var features = layout.Features.ToList();
        foreach (var column in columns.Where(c => !features.Contains(c)))
            check.Unknown(column, "dataframe_split: ");
        var missing = features.Where(f => !columns.Contains(f)).ToList();
        if (missing.Count > 0)
            throw TendException.BadUsage($"dataframe_split: column {string.Join(", ", missing.Select(m => $"'{m}'"))} is missing; the model needs: {string.Join(", ", features)}");
        var rows = data.EnumerateArray().Select((row, r) =>
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != columns.Count)
                throw TendException.BadUsage($"dataframe_split: data row {r} must be an array of {columns.Count} values, one per column");
            var cells = row.EnumerateArray().ToList();
            return features.Select(f => RequestReader.Value(cells[columns.IndexOf(f)], f, check, $"data row {r}: ")).ToArray();
        }).ToList();
        return rows.Count > 0 ? new Table(features, rows) : throw TendException.BadUsage("dataframe_split: 'data' holds no rows");
    }

    private static Table Columnar(JsonElement columns, SignatureCheck check, string format)
    {
        var layout = check.Layout;
        var features = layout.Features.ToList();
        foreach (var column in columns.EnumerateObject().Where(c => !features.Contains(c.Name)))
            check.Unknown(column.Name, $"{format}: ");
        var lists = features.Select(f => columns.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList()
            : throw TendException.BadUsage($"{format}: column '{f}' is missing or not a list; the model needs: {string.Join(", ", features)}")).ToList();
        var n = lists[0].Count;
        if (lists.Any(l => l.Count != n))
            throw TendException.BadUsage($"{format}: the columns have different lengths: {string.Join(", ", features.Select((f, i) => $"{f} {lists[i].Count}"))}");
        return new Table(features, Enumerable.Range(0, n).Select(r => features.Select((f, c) => RequestReader.Value(lists[c][r], f, check, $"{format} row {r}: ")).ToArray()).ToList());
    }

    /// <summary>The answer's <c>predictions</c>: per row, the columns batch scoring adds (a bare number for regression).</summary>
    public static object Predictions(PredictionResponse answer, FeatureLayout layout)
    {
        if (layout.Task == MlTask.Regression)
            return new { predictions = answer.Predictions.Select(p => p.Score).ToList() };
        var columns = OutputColumns.Of(layout);
        var probabilities = layout.Task == MlTask.Binary ? [layout.PositiveClass!] : layout.Classes;
        return new
        {
            predictions = answer.Predictions.Select(p => columns.Zip([p.Prediction, .. probabilities.Select(c => (object)p.Probabilities![c])])
                .ToDictionary(x => x.First, x => x.Second)).ToList(),
        };
    }
}
