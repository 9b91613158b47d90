using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>The data commands over HTTP on 127.0.0.1: ingest and validate a body, list, show, schema, profile, diff; client mistakes are 4xx.</summary>
public sealed class DatasetsApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-datasets-api-").FullName;

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Datasets_OverHttp_IngestValidateAndInspect()
    {
        var init = await Cli.RunAsync("init", _dir, "--task", "multiclass", "--label", "species", "--data", PenguinProject.Csv, "--name", "penguins");
        Assert.True(init.Exit == 0, init.ToString());
        var lines = File.ReadAllLines(PenguinProject.Csv);
        var first = string.Join('\n', lines[..300]);
        var rest = string.Join('\n', lines[300..].Prepend(lines[0]));

        await using var ws = await Workspace.OpenAsync(_dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(ws, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            var created = await http.PostAsync("/api/v1/datasets/penguins?filename=first.csv", Csv(first));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var v1 = (await JsonOf(created)).GetProperty("version");
            Assert.Equal(299, v1.GetProperty("rows").GetInt32());
            Assert.Equal("upload:first.csv", v1.GetProperty("source").GetString());
            var again = await http.PostAsync("/api/v1/datasets/penguins", Csv(first));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);

            var appended = await http.PostAsync("/api/v1/datasets/penguins?append=true&filename=rest.csv", Csv(rest));
            Assert.Equal(HttpStatusCode.Created, appended.StatusCode);
            var v2 = (await JsonOf(appended)).GetProperty("version");
            Assert.Equal(lines.Length - 1, v2.GetProperty("rows").GetInt32());
            Assert.Equal(v1.GetProperty("version").GetString(), v2.GetProperty("parent").GetString());

            var list = await JsonOf(await http.GetAsync("/api/v1/datasets"));
            Assert.Equal(2, list.GetArrayLength());
            var reference = $"penguins@{v1.GetProperty("version").GetString()![..12]}";
            var show = await JsonOf(await http.GetAsync($"/api/v1/datasets/{reference}"));
            Assert.Equal(299, show.GetProperty("rows").GetInt32());
            var schema = await JsonOf(await http.GetAsync("/api/v1/datasets/penguins/schema"));
            Assert.Equal("categorical", schema.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "island").GetProperty("type").GetString());
            var profile = await JsonOf(await http.GetAsync("/api/v1/datasets/penguins/profile"));
            var bill = profile.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "bill_length_mm");
            Assert.Equal(2, bill.GetProperty("missing").GetInt32());
            var diff = await JsonOf(await http.GetAsync($"/api/v1/datasets/{reference}/diff/penguins"));
            Assert.Equal((299, lines.Length - 1), (diff.GetProperty("rows_from").GetInt32(), diff.GetProperty("rows_to").GetInt32()));
            // The first 300 lines hold no Chinstrap; the appended rows are mostly Chinstrap: the label and island shift.
            Assert.Contains(diff.GetProperty("columns").EnumerateArray(), c => c.GetProperty("drifted").GetBoolean());

            // Validate: a batch whose body mass is text in one row fails with the line named, and nothing is stored.
            var bad = lines[..20].ToArray();
            bad[7] = bad[7].Replace(",3625,", ",heavy,");
            var validate = await JsonOf(await http.PostAsync("/api/v1/datasets/penguins/validate?filename=batch.csv", Csv(string.Join('\n', bad))));
            Assert.False(validate.GetProperty("passed").GetBoolean(), validate.ToString());
            var mismatch = validate.GetProperty("anomalies").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == "type_mismatch");
            Assert.Equal("body_mass_g", mismatch.GetProperty("column").GetString());
            Assert.Contains("heavy", mismatch.GetProperty("examples").ToString());
            var rejected = await http.PostAsync("/api/v1/datasets/penguins?append=true", Csv(string.Join('\n', bad)));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
            Assert.True((await JsonOf(rejected)).GetProperty("rejected").GetBoolean());
            Assert.Equal(2, (await JsonOf(await http.GetAsync("/api/v1/datasets"))).GetArrayLength());

            // Client mistakes: 4xx naming what was wrong, never 500.
            var ragged = await http.PostAsync("/api/v1/datasets/penguins?filename=ragged.csv", Csv(lines[0] + "\n" + lines[1] + "\nAdelie,Biscoe\n"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, ragged.StatusCode);
            var problem = await JsonOf(ragged);
            // The error names the parameter that would skip such lines, as the server's clients set it (the CLI says --on-bad-lines).
            Assert.Equal("upload:ragged.csv:3: expected 8 fields as in the header, found 2; fix the line, or skip such lines (parameter 'on_bad_lines': skip)",
                problem.GetProperty("detail").GetString());
            Assert.Equal(("on_bad_lines", "skip"), (problem.GetProperty("field").GetString(), problem.GetProperty("choices")[0].GetString()));
            var noFormat = await http.PostAsync("/api/v1/datasets/penguins", new ByteArrayContent(Encoding.UTF8.GetBytes(first)));
            Assert.Equal(HttpStatusCode.BadRequest, noFormat.StatusCode);
            Assert.Contains("?format=", (await JsonOf(noFormat)).GetProperty("detail").GetString());
            var empty = await http.PostAsync("/api/v1/datasets/penguins", Csv(""));
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/datasets/penguins@ffffffff")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/api/v1/datasets/penguins?append=maybe", Csv(first))).StatusCode);
            var notUtf8 = new ByteArrayContent([.. Encoding.UTF8.GetBytes(lines[0] + "\n"), 0xFF, 0xFE, (byte)'\n']) { Headers = { ContentType = new("text/csv") } };
            var undecodable = await http.PostAsync("/api/v1/datasets/penguins?filename=latin.csv", notUtf8); // was a 500
            Assert.Equal(HttpStatusCode.UnprocessableEntity, undecodable.StatusCode);
            Assert.Contains("latin.csv: in its first 64 KiB: bytes that are not valid in the file's encoding", (await JsonOf(undecodable)).GetProperty("detail").GetString());
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
