using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Server;
using Tend.Serving;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>The real server on 127.0.0.1 over a workspace with a champion, driven over HTTP.</summary>
public sealed class ServingTests : IAsyncLifetime
{
    private readonly TestWorkspace _ws = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private Workspace _workspace = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await _ws.WithChampionAsync();
        _workspace = await Workspace.OpenAsync(_ws.Dir, CancellationToken.None, time: _time);
        (_app, var url) = await TendServer.StartAsync(_workspace, "127.0.0.1", 0, CancellationToken.None);
        _http = await _app.AdminAsync(url);
    }

    /// <summary>The stored prediction log, once every queued record is written.</summary>
    private async Task<IReadOnlyList<Core.Domain.PredictionRecord>> LoggedAsync()
    {
        await _app.Services.GetRequiredService<PredictionLog>().FlushAsync(CancellationToken.None);
        return await _app.Services.GetRequiredService<MonitoringService>().PredictionsAsync("spam", null, null, CancellationToken.None);
    }

    private string Row(int i, params string[] without) => FeatureJson.Of(_ws.Rest, i, [.. without, "type"]);

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Predict_OneRow_AnswersWithVersionProbabilitiesAndRequestId_AndLogsIt()
    {
        var response = await PostAsync("/v1/models/spam/predict", Row(0));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        var prediction = body.GetProperty("predictions")[0];
        Assert.Contains(prediction.GetProperty("prediction").GetString(), new[] { "spam", "nonspam" });
        var probabilities = prediction.GetProperty("probabilities");
        Assert.Equal(1.0, probabilities.GetProperty("spam").GetDouble() + probabilities.GetProperty("nonspam").GetDouble(), 6);
        Assert.Equal(probabilities.GetProperty("spam").GetDouble(), prediction.GetProperty("score").GetDouble(), 12);

        var logged = await LoggedAsync();
        Assert.Contains(logged, p => p.RequestId == prediction.GetProperty("request_id").GetString() && p.Version == 1);
    }

    [Fact]
    public async Task Predict_LogsEachFeatureAsTheClientWroteIt_InTheModelsOrder_WithoutUnknownFields()
    {
        var features = (await _app.Services.GetRequiredService<ModelHost>().GetAsync("spam", CancellationToken.None)).Model.Layout.Features.ToList();
        var sent = System.Text.Json.Nodes.JsonNode.Parse(Row(0))!.AsObject();
        var written = features.ToDictionary(f => f, f => f == features[0] ? "2.50e1" : sent[f]!.ToJsonString());
        var body = "{\"customer_id\": {\"tier\": [1]}, " + string.Join(", ", Enumerable.Reverse(features).Select(f => $"\"{f}\": {written[f]}")) + "}";

        var response = await PostAsync("/v1/models/spam/predict", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("request_id").GetString();
        var record = (await LoggedAsync()).Single(p => p.RequestId == id);
        Assert.Equal(features, record.Features.Keys);
        Assert.Equal(written, record.Features.ToDictionary(f => f.Key, f => f.Value!));
    }

    [Fact]
    public async Task Predict_Array_AnswersEveryRow()
    {
        var response = await PostAsync("/v1/models/spam/predict", $"[{Row(1)}, {Row(2)}, {Row(3)}]");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, body.GetProperty("predictions").GetArrayLength());
    }

    [Theory]
    [InlineData("missing", "field 'george' is missing")]
    [InlineData("wrong type", "field 'george' must be a number or null, got the text \"lots\"")]
    [InlineData("malformed", "malformed JSON")]
    [InlineData("not an object", "expected a JSON object of features or an array of them, got the number 42")]
    [InlineData("bad row in array", "row 1: field 'george' is missing")]
    [InlineData("null where training had none", "field 'george' is null, but the training data never left it missing")]
    public async Task Predict_ClientMistake_Is400NamingTheField_AndIsLoggedAsRejected(string mistake, string expected)
    {
        var body = mistake switch
        {
            "missing" => Row(0, "george"),
            "wrong type" => Row(0, "george").TrimEnd('}') + ", \"george\": \"lots\"}",
            "malformed" => Row(0)[..40],
            "not an object" => "42",
            "null where training had none" => Row(0, "george").TrimEnd('}') + ", \"george\": null}",
            _ => $"[{Row(0)}, {Row(1, "george")}]",
        };
        var response = await PostAsync("/v1/models/spam/predict", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        var rejected = Assert.Single(await LoggedAsync());
        Assert.Equal((1, "primary", ""), (rejected.Version, rejected.Route, rejected.Prediction));
        Assert.Contains(expected, rejected.Error);
        var metrics = await _http.GetStringAsync("/metrics");
        Assert.Contains("tend_request_errors_total{endpoint=\"/v1/models/{name}/predict\",kind=\"BadUsage\",status=\"400\"}", metrics);
    }

    /// <summary>A failure that is not one of Tend's own (the JSON reader's, on a lone surrogate) is logged too, on every protocol (issue 21: it was answered and not logged).</summary>
    [Theory]
    [InlineData("/v1/models/spam/predict", "{\"george\": \"\\ud800\"}")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"\\ud800\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}")]
    [InlineData("/invocations", "{\"dataframe_split\": {\"columns\": [\"\\ud800\"], \"data\": [[1]]}}")]
    public async Task Predict_AnyFailureAfterReachingTheModel_IsLoggedWithWhy(string path, string body)
    {
        var response = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var failed = Assert.Single(await LoggedAsync());
        Assert.Equal((1, ""), (failed.Version, failed.Prediction));
        Assert.Contains("UTF-16", failed.Error);
    }

    /// <summary>The exposition passes Prometheus's own linter (promtool from Debian's prometheus package, which the test command installs).</summary>
    [Fact]
    public async Task Metrics_PassPromtool()
    {
        await PostAsync("/v1/models/spam/predict", Row(0));
        await PostAsync("/v1/models/spam/predict", "{}");
        var metrics = await _http.GetStringAsync("/metrics");
        Assert.Contains("tend_request_errors_total{", metrics);
        Assert.Contains("tend_model_load_seconds{", metrics);
        Assert.Contains("tend_shadow_queue_depth", metrics);
        var start = new System.Diagnostics.ProcessStartInfo("promtool", ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = System.Diagnostics.Process.Start(start)!;
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        var problems = await promtool.StandardError.ReadToEndAsync() + await promtool.StandardOutput.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        Assert.True(promtool.ExitCode == 0, problems);
    }

    [Fact]
    public async Task UnknownFields_AreIgnoredAndCounted_OrRefusedWhenTheServerIsStrict()
    {
        var withId = Row(0).TrimEnd('}') + ", \"customer_id\": \"c-17\"}";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v1/models/spam/predict", withId)).StatusCode);
        var line = (await _http.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("tend_unknown_fields_total{model=\"spam\"}", StringComparison.Ordinal));
        Assert.True(double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 1, line);

        var (strict, url) = await TendServer.StartAsync(_workspace, "127.0.0.1", 0, CancellationToken.None, rejectUnknownFields: true);
        await using (strict)
        {
            using var http = await strict.AdminAsync(url);
            var refused = await http.PostAsync("/v1/models/spam/predict", new StringContent(withId, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("field 'customer_id' is not a feature of the model", await refused.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The contract of <c>tend predict</c>: the input columns plus prediction and probability, the same output the server gives.</summary>
    [Fact]
    public async Task BatchPredict_WritesTheInputPlusWhatTheServerAnswers()
    {
        var input = _ws.Write("rest.csv", _ws.Rest);
        var output = Path.Combine(_ws.Dir, "scored.csv");
        var result = await Cli.JsonAsync(_ws.Dir, "predict", input, "-o", output, "--model", "spam@champion");
        Assert.Equal(_ws.Rest.Rows.Count, result.GetProperty("scored").GetInt32());
        Assert.Equal("spam@1", result.GetProperty("model").GetString());
        var scored = Data.Tabular.CsvReader.ReadFile(output);
        Assert.Equal([.. _ws.Rest.Columns, "prediction", "probability"], scored.Columns);

        var rows = Enumerable.Range(0, 50).ToList();
        var served = JsonDocument.Parse(await (await PostAsync("/v1/models/spam/predict", $"[{string.Join(",", rows.Select(i => Row(i)))}]")).Content.ReadAsStringAsync())
            .RootElement.GetProperty("predictions");
        foreach (var i in rows)
        {
            Assert.Equal(_ws.Rest.Rows[i], scored.Rows[i][.._ws.Rest.Columns.Count]);
            Assert.Equal(served[i].GetProperty("prediction").GetString(), scored.Rows[i][^2]);
            Assert.Equal(served[i].GetProperty("probabilities").GetProperty("spam").GetDouble(), double.Parse(scored.Rows[i][^1]!, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Predict_WithExplain_AddsEachColumnsContribution_AsTendExplainDoes()
    {
        var plain = JsonDocument.Parse(await (await PostAsync("/v1/models/spam/predict", Row(0))).Content.ReadAsStringAsync()).RootElement;
        Assert.False(plain.GetProperty("predictions")[0].TryGetProperty("contributions", out _));

        var response = await PostAsync("/v1/models/spam/predict?explain=true", $"[{Row(0)}, {Row(1)}]");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions");
        var file = Path.Combine(_ws.Dir, "row.json");
        await File.WriteAllTextAsync(file, Row(1));
        var cli = (await Cli.JsonAsync(_ws.Dir, "explain", "spam@1", file)).GetProperty("rows")[0].GetProperty("contributions");
        var contributions = served[1].GetProperty("contributions");
        Assert.True(contributions.GetArrayLength() > 5);
        Assert.Equal(cli.GetArrayLength(), contributions.GetArrayLength());
        for (var i = 0; i < cli.GetArrayLength(); i++)
        {
            Assert.Equal(cli[i].GetProperty("column").GetString(), contributions[i].GetProperty("column").GetString());
            Assert.Equal(cli[i].GetProperty("contribution").GetDouble(), contributions[i].GetProperty("contribution").GetDouble());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/v1/models/spam/predict?explain=maybe", Row(0))).StatusCode);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The same rows through the native protocol, Open Inference v2 (per-feature tensors and one [N, F] tensor) and MLflow (every body format): the same predictions.</summary>
    [Fact]
    public async Task Protocols_TheSameRows_GetTheSamePredictionsEverywhere()
    {
        var rows = Enumerable.Range(0, 8).ToList();
        var features = _ws.Rest.Columns.Where(c => c != "type").ToList();
        double Cell(int row, string column) => double.Parse(_ws.Rest.Rows[row][_ws.Rest.IndexOf(column)]!, System.Globalization.CultureInfo.InvariantCulture);
        var native = (await JsonOf(await PostAsync("/v1/models/spam/predict", $"[{string.Join(",", rows.Select(i => Row(i)))}]"))).GetProperty("predictions")
            .EnumerateArray().Select(p => (p.GetProperty("prediction").GetString(), p.GetProperty("probabilities").GetProperty("spam").GetDouble())).ToList();

        var metadata = await JsonOf(await _http.GetAsync("/v2/models/spam"));
        Assert.Equal(features, metadata.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.All(metadata.GetProperty("inputs").EnumerateArray(), i => Assert.Equal("FP64", i.GetProperty("datatype").GetString()));
        Assert.Equal(["prediction", "probability"], metadata.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.True((await JsonOf(await _http.GetAsync("/v2/models/spam/versions/1/ready"))).GetProperty("ready").GetBoolean());
        Assert.True((await JsonOf(await _http.GetAsync("/v2/health/ready"))).GetProperty("ready").GetBoolean());

        var perFeature = JsonSerializer.Serialize(new { id = "r-1", inputs = features.Select(f => new { name = f, datatype = "FP32", shape = new[] { rows.Count }, data = rows.Select(r => Cell(r, f)) }) });
        var batch = JsonSerializer.Serialize(new { inputs = new[] { new { name = "rows", datatype = "FP64", shape = new[] { rows.Count, features.Count }, data = rows.Select(r => features.Select(f => Cell(r, f))) } } });
        foreach (var (path, body) in new[] { ("/v2/models/spam/infer", perFeature), ("/v2/models/spam/versions/1/infer", batch) })
        {
            var v2 = await JsonOf(await PostAsync(path, body));
            Assert.Equal("1", v2.GetProperty("model_version").GetString());
            var outputs = v2.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
            Assert.Equal(native.Select(n => n.Item1), outputs["prediction"].GetProperty("data").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal(native.Select(n => n.Item2), outputs["probability"].GetProperty("data").EnumerateArray().Select(d => d.GetDouble()));
            Assert.Equal(rows.Count, v2.GetProperty("parameters").GetProperty("request_ids").GetArrayLength());
        }
        Assert.Equal("r-1", (await JsonOf(await PostAsync("/v2/models/spam/infer", perFeature))).GetProperty("id").GetString());

        var records = $"[{string.Join(",", rows.Select(i => Row(i)))}]";
        var columnar = JsonSerializer.Serialize(features.ToDictionary(f => f, f => rows.Select(r => Cell(r, f))));
        var split = JsonSerializer.Serialize(new { columns = features, data = rows.Select(r => features.Select(f => Cell(r, f))) });
        var csv = string.Join(",", features) + "\n" + string.Join("\n", rows.Select(r => string.Join(",", features.Select(f => _ws.Rest.Rows[r][_ws.Rest.IndexOf(f)]))));
        var bodies = new List<HttpContent>
        {
            Json($"{{\"dataframe_split\": {split}}}"), Json($"{{\"dataframe_records\": {records}}}"),
            Json($"{{\"instances\": {records}}}"), Json($"{{\"inputs\": {columnar}}}"), new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        foreach (var body in bodies)
        {
            var mlflow = (await JsonOf(await _http.PostAsync("/invocations", body))).GetProperty("predictions").EnumerateArray().ToList();
            Assert.Equal(native, mlflow.Select(p => (p.GetProperty("prediction").GetString(), p.GetProperty("probability").GetDouble())));
        }
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/ping")).StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"make\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"x\"]}]}", "input 'make': datatype BYTES, but the model takes a number")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"make\", \"datatype\": \"FP32\", \"shape\": [2], \"data\": [1]}]}", "input 'make': shape [2] holds 2 values, but data has 1")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"make\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}", "is missing; the model needs")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"colour\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"red\"]}]}", "input 'colour' is not a feature of the model")]
    [InlineData("/v2/models/spam/versions/x/infer", "{}", "version 'x' is not a version number")]
    [InlineData("/invocations", "{\"instances\": [1, 2]}", "'instances' must be a list of objects of features")]
    [InlineData("/invocations", "{\"inputs\": [], \"instances\": []}", "exactly one of")]
    [InlineData("/invocations", "{\"dataframe_split\": {\"columns\": [\"make\"], \"data\": [[0]]}}", "dataframe_split: column")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"make\", \"datatype\": \"FP32\", \"shape\": [5675921253449092805, 13], \"data\": [1]}]}", "holds more values than a request can carry")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"make\", \"datatype\": \"FP32\", \"shape\": [0, 57], \"data\": []}]}", "holds no values")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"\\ud800\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}", "cannot be read")]
    [InlineData("/v1/models/spam/predict", "{\"make\": \"\\ud800\"}", "cannot be read")]
    [InlineData("/v1/feedback", "{\"request_id\": \"\\udfff\", \"label\": \"spam\"}", "cannot be read")]
    [InlineData("/invocations", "{\"dataframe_split\": {\"columns\": [1], \"data\": [[0]]}}", "cannot be read")]
    [InlineData("/api/v1/models", "{\"run_id\": null}", "field 'run_id' may not be null")]
    [InlineData("/api/v1/models", "{}", "required field missing: 'run_id'")]
    [InlineData("/api/v1/models/spam/promote", "{\"version\": 1, \"alias\": null, \"reason\": \"x\"}", "field 'alias' may not be null")]
    [InlineData("/api/v1/evaluations", "{\"target\": null}", "field 'target' may not be null")]
    public async Task Protocols_ClientMistakes_Are400NamingWhatIsWrong(string path, string body, string expected)
    {
        var response = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Bytes that are not UTF-8 inside a JSON string (a well-formed document otherwise) are the client's mistake.</summary>
    [Theory]
    [InlineData("/v1/models/spam/predict", "{\"make\": \"#\"}")]
    [InlineData("/v1/feedback", "{\"request_id\": \"#\", \"label\": \"spam\"}")]
    [InlineData("/v2/models/spam/infer", "{\"inputs\": [{\"name\": \"#\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}")]
    [InlineData("/invocations", "{\"dataframe_split\": {\"columns\": [\"#\"], \"data\": [[0]]}}")]
    public async Task InvalidUtf8InAString_Is400(string path, string template)
    {
        var text = Encoding.UTF8.GetBytes(template);
        var at = Array.IndexOf(text, (byte)'#');
        byte[] body = [.. text[..at], 0xFF, 0xFE, .. text[(at + 1)..]];
        var response = await _http.PostAsync(path, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cannot be read", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/v1/models/spam/predict")]
    [InlineData("/v1/feedback")]
    [InlineData("/v2/models/spam/infer")]
    [InlineData("/invocations")]
    public async Task ABodyOverTheLimit_Is413(string path)
    {
        var row = Row(0);
        var body = "[" + string.Join(",", Enumerable.Repeat(row, (int)(PredictApiLimit / row.Length) + 10)) + "]";
        // The server refuses on the declared length and closes; asking to continue first lets the client read the answer.
        // The client waits for it (by default it sends the body after a second, which a busy machine can take).
        using var patient = TendProcess.Client(_http.BaseAddress!.ToString(), handler: new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) });
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        var response = await patient.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v1/models/spam/predict", Row(0))).StatusCode);
    }

    private const long PredictApiLimit = Server.Apis.PredictApi.MaxBodyBytes;

    [Fact]
    public async Task Mlflow_CsvWithABadCell_Is400NamingRowAndColumn()
    {
        var features = _ws.Rest.Columns.Where(c => c != "type").ToList();
        var csv = string.Join(",", features) + "\n" + string.Join(",", features.Select(f => f == "free" ? "lots" : "0"));
        var response = await _http.PostAsync("/invocations", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("CSV row 1: column 'free': expected a number, found 'lots'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Predict_UnknownModel_Is404()
    {
        var response = await PostAsync("/v1/models/nope/predict", Row(0));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Feedback_KnownRequest_IsRecorded_UnknownIs404_MissingFieldIs400()
    {
        var answer = JsonDocument.Parse(await (await PostAsync("/v1/models/spam/predict", Row(4))).Content.ReadAsStringAsync()).RootElement;
        var id = answer.GetProperty("predictions")[0].GetProperty("request_id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsJsonAsync("/v1/feedback", new { request_id = id, label = "spam" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.PostAsJsonAsync("/v1/feedback", new { request_id = "nope", label = "spam" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsJsonAsync("/v1/feedback", new { label = "spam" })).StatusCode);
        var logged = await LoggedAsync();
        Assert.Equal("spam", logged.Single(p => p.RequestId == id).Feedback);
    }

    [Fact]
    public async Task Feedback_Many_OverHttpAndFromAFile_ReportsUnknownIds_AndRepeatsAreHarmless()
    {
        var answer = await JsonOf(await PostAsync("/v1/models/spam/predict", $"[{Row(5)}, {Row(6)}, {Row(7)}]"));
        var ids = answer.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("request_id").GetString()!).ToList();
        var batch = await JsonOf(await _http.PostAsJsonAsync("/v1/feedback", new[]
        {
            new { request_id = ids[0], label = "spam" }, new { request_id = "nope", label = "spam" }, new { request_id = ids[0], label = "spam" },
        }));
        Assert.Equal(2, batch.GetProperty("accepted").GetInt32());
        Assert.Equal(["nope"], batch.GetProperty("unknown").EnumerateArray().Select(u => u.GetString()));
        var bad = await _http.PostAsJsonAsync("/v1/feedback", new object[] { new { request_id = ids[1], label = "spam" }, new { request_id = ids[2] } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("item 1: field 'label' is missing", await bad.Content.ReadAsStringAsync());

        var file = Path.Combine(_ws.Dir, "labels.csv");
        await File.WriteAllTextAsync(file, $"id,truth\n{ids[1]},nonspam\n{ids[2]},spam\n{ids[2]},spam\nghost,spam\n,spam\n");
        var cli = await Cli.JsonAsync(_ws.Dir, "feedback", file, "--request-id", "id", "--label", "truth");
        Assert.Equal(3, cli.GetProperty("accepted").GetInt32());
        Assert.Equal(1, cli.GetProperty("unknown").GetInt32());
        Assert.Equal("ghost", cli.GetProperty("unknown_ids")[0].GetString());
        Assert.Equal(1, cli.GetProperty("skipped_without_id_or_label").GetInt32());
        var wrong = await Cli.RunAsync("feedback", file, "--workspace", _ws.Dir);
        Assert.True(wrong.Exit == 3, wrong.ToString());
        Assert.Contains("no column 'request_id'; its columns are: id, truth", wrong.Stderr);

        var logged = (await _app.Services.GetRequiredService<MonitoringService>().PredictionsAsync("spam", null, null, CancellationToken.None)).ToDictionary(p => p.RequestId);
        Assert.Equal(["spam", "nonspam", "spam"], ids.Select(i => logged[i].Feedback));
    }

    [Fact]
    public async Task Health_LiveAndReady()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/healthz")).StatusCode);
        var ready = await _http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("spam@1", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesThePredictEndpoint()
    {
        var document = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json")).RootElement;
        var predict = document.GetProperty("paths").GetProperty("/v1/models/{name}/predict").GetProperty("post");
        Assert.Equal("Predict", predict.GetProperty("operationId").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/runs", out _));
    }

    [Fact]
    public async Task Metrics_CountPredictionsAndTimeRequests_ByModelVersionAndRoute_OfEveryProtocol()
    {
        async Task<(double Rows, double Requests)> Counted(string route)
        {
            var lines = (await _http.GetStringAsync("/metrics")).Split('\n');
            double Value(string series) => lines.Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
            var labels = $"{{model=\"spam\",version=\"1\",route=\"{route}\"}}";
            return (Value("tend_predictions_total" + labels), Value("tend_prediction_seconds_count" + labels));
        }
        Assert.Equal((0, 0), await Counted("primary")); // the series are this server's alone
        await PostAsync("/v1/models/spam/predict", $"[{Row(6)}, {Row(7)}]");
        await PostAsync("/invocations", $"{{\"dataframe_records\": [{Row(8)}]}}");
        Assert.Equal((3, 2), await Counted("primary"));
        var perFeature = System.Text.Json.JsonSerializer.Serialize(new
        {
            inputs = _ws.Rest.Columns.Where(c => c != "type").Select(f => new { name = f, datatype = "FP64", shape = new[] { 1 }, data = new[] { double.Parse(_ws.Rest.Rows[0][_ws.Rest.IndexOf(f)]!, System.Globalization.CultureInfo.InvariantCulture) } }),
        });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/v2/models/spam/versions/1/infer", perFeature)).StatusCode);
        Assert.Equal((1, 1), await Counted("pinned"));
    }

    [Fact]
    public async Task Promote_SwapsTheServedVersion_WithoutRestart()
    {
        var run = (await Cli.JsonAsync(_ws.Dir, "train")).GetProperty("run_id").GetString()!;
        await Cli.JsonAsync(_ws.Dir, "models", "register", run);
        await Cli.JsonAsync(_ws.Dir, "evaluate", "spam@2");
        await Cli.JsonAsync(_ws.Dir, "models", "promote", "spam", "2", "--reason", "swap test");
        _time.Advance(Tend.Serving.ModelHost.AliasRefresh + TimeSpan.FromMilliseconds(1)); // the host looks the alias up again
        var body = JsonDocument.Parse(await (await PostAsync("/v1/models/spam/predict", Row(5))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, body.GetProperty("version").GetInt32());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _workspace.DisposeAsync();
        _ws.Dispose();
    }
}
