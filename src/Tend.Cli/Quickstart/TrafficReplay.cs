using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Data.Tabular;

namespace Tend.Cli.Quickstart;

/// <summary>Sends rows to a running server one request each, as a client would, and remembers each answer's request id with the row's true label.</summary>
internal sealed class TrafficReplay(HttpClient http, string model, DataSchema schema)
{
    /// <summary>A few clients at once, as a small service sees them.</summary>
    public const int Concurrency = 4;

    public sealed record Sent(string RequestId, string TrueLabel, string Prediction);

    public async Task<IReadOnlyList<Sent>> SendAsync(Table rows, string label, IProgress<double> progress, CancellationToken ct)
    {
        var labelIndex = rows.IndexOf(label);
        var sent = new Sent[rows.Rows.Count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, rows.Rows.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (i, token) =>
        {
            using var content = new StringContent(Body(rows.Columns, rows.Rows[i], label), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"/v1/models/{model}/predict", content, token);
            if (!response.IsSuccessStatusCode)
                throw new TendException(ErrorCode.Unexpected, $"the server answered {(int)response.StatusCode} to row {i}: {await response.Content.ReadAsStringAsync(token)}");
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
            var prediction = answer.RootElement.GetProperty("predictions")[0];
            sent[i] = new Sent(prediction.GetProperty("request_id").GetString()!, rows.Rows[i][labelIndex]!, prediction.GetProperty("prediction").GetString()!);
            progress.Report(Interlocked.Increment(ref done) / (double)sent.Length);
        });
        return sent;
    }

    public async Task SendFeedbackAsync(IEnumerable<Sent> rows, CancellationToken ct)
    {
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (row, token) =>
        {
            using var response = await http.PostAsJsonAsync("/v1/feedback", new Dictionary<string, string> { ["request_id"] = row.RequestId, ["label"] = row.TrueLabel }, token);
            response.EnsureSuccessStatusCode();
        });
    }

    /// <summary>One row as a JSON object of features, typed by the schema: numbers as numbers, missing as null.</summary>
    private string Body(IReadOnlyList<string> columns, string?[] row, string label)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i] == label)
                    continue;
                var cell = row[i];
                if (cell is null)
                    json.WriteNull(columns[i]);
                else if (schema.Find(columns[i])?.Type.IsNumber() == true && Cells.TryNumber(cell, out var number))
                    json.WriteNumber(columns[i], number);
                else if (schema.Find(columns[i])?.Type == ColumnType.Boolean && Cells.TryBoolean(cell, out var flag))
                    json.WriteBoolean(columns[i], flag);
                else
                    json.WriteString(columns[i], cell);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
