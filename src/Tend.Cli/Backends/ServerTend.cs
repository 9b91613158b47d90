using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Sources;
using Tend.Data.Versions;
using Tend.Pipelines;
using Tend.Pipelines.Releases;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;
using Tend.Registry;
using Tend.Server.Apis;

namespace Tend.Cli.Backends;

/// <summary>
/// The team commands on a Tend server: each call is one request of its REST API (docs/security.md lists who may make
/// it), sent with the signed-in token; the server's refusal comes back as the same error, and exit code, as locally.
/// </summary>
internal sealed class ServerTend(HttpClient http) : ITend
{
    public Uri Server => http.BaseAddress!;

    /// <summary>A client of <paramref name="server"/> that sends <paramref name="token"/> as <c>Authorization: Bearer</c>.</summary>
    public static ServerTend Connect(Uri server, string token)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(30) }; // an upload or a monitor run may take long
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("tend-cli", typeof(ServerTend).Assembly.GetName().Version?.ToString(3)));
        return new ServerTend(http);
    }

    public Task<ProjectSpec> ProjectAsync(CancellationToken ct) => GetAsync<ProjectSpec>("api/v1/project", ct);

    public Task<RunPage> RunsAsync(string? where, string? orderBy, int offset, int limit, CancellationToken ct) =>
        GetAsync<RunPage>("api/v1/runs" + Query(("where", where), ("order_by", orderBy), ("offset", offset.ToString()), ("limit", limit.ToString())), ct);

    public Task<Run> RunAsync(string id, CancellationToken ct) => GetAsync<Run>($"api/v1/runs/{Segment(id)}", ct);

    public Task<MetricHistory> MetricAsync(string id, string key, int maxPoints, CancellationToken ct) =>
        GetAsync<MetricHistory>($"api/v1/runs/{Segment(id)}/metrics/{Segment(key)}" + Query(("max_points", maxPoints.ToString())), ct);

    public Task<RunComparison> CompareAsync(IReadOnlyList<string> ids, bool diffOnly, CancellationToken ct) =>
        GetAsync<RunComparison>("api/v1/runs/compare" + Query(("ids", string.Join(',', ids)), ("diff_only", diffOnly ? "true" : null)), ct);

    public async Task<Run> AnnotateAsync(string id, RunLog annotation, CancellationToken ct)
    {
        var run = await RunAsync(id, ct); // the full id: a prefix names the run to read, not the one to write
        await SendAsync<JsonElement?>(HttpMethod.Post, $"api/v1/runs/{Segment(run.Id)}/log", annotation, ct);
        return await RunAsync(run.Id, ct);
    }

    public Task<Run> EndRunAsync(string id, RunStatus status, string? reason, CancellationToken ct) =>
        SendAsync<Run>(HttpMethod.Post, $"api/v1/runs/{Segment(id)}/end", new { status, error = reason }, ct);

    public Task<DeletedRun> DeleteRunAsync(string id, CancellationToken ct) => SendAsync<DeletedRun>(HttpMethod.Delete, $"api/v1/runs/{Segment(id)}", null, ct);

    public Task<IReadOnlyList<ModelVersion>> ModelsAsync(CancellationToken ct) => GetAsync<IReadOnlyList<ModelVersion>>("api/v1/models", ct);

    public Task<ModelVersion> ModelAsync(string reference, CancellationToken ct) => GetAsync<ModelVersion>($"api/v1/models/{Segment(reference)}", ct);

    public Task<ModelVersion> RegisterAsync(string runId, string description, CancellationToken ct) =>
        SendAsync<ModelVersion>(HttpMethod.Post, "api/v1/models", new { run_id = runId, description }, ct);

    public Task<ModelVersion> UpdateModelAsync(string reference, string? description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        SendAsync<ModelVersion>(HttpMethod.Patch, $"api/v1/models/{Segment(reference)}", new { description, tags }, ct);

    public Task<Promotion> PromoteAsync(string name, int version, string alias, string reason, bool force, CancellationToken ct) =>
        SendAsync<Promotion>(HttpMethod.Post, $"api/v1/models/{Segment(name)}/promote", new { version, alias, reason, force }, ct);

    public Task<Promotion> DecideAsync(string requestId, bool approve, string reason, CancellationToken ct) =>
        SendAsync<Promotion>(HttpMethod.Post, $"api/v1/approvals/{Segment(requestId)}/{(approve ? "approve" : "reject")}", new { reason }, ct);

    public Task<IReadOnlyList<ApprovalRequest>> ApprovalsAsync(ApprovalStatus status, CancellationToken ct) =>
        GetAsync<IReadOnlyList<ApprovalRequest>>("api/v1/approvals" + Query(("status", status.ToString().ToLowerInvariant())), ct);

    public Task<Promotion> RollbackAsync(string name, string reason, CancellationToken ct) =>
        SendAsync<Promotion>(HttpMethod.Post, $"api/v1/models/{Segment(name)}/rollback", new { reason }, ct);

    public Task<IReadOnlyList<AliasMove>> AliasMovesAsync(string name, string? alias, CancellationToken ct) =>
        GetAsync<IReadOnlyList<AliasMove>>($"api/v1/models/{Segment(name)}/history" + Query(("alias", alias)), ct);

    public Task<Lineage> LineageAsync(string reference, CancellationToken ct) => GetAsync<Lineage>($"api/v1/models/{Segment(reference)}/lineage", ct);

    public Task<DeploymentStatus> DeploymentAsync(string model, TimeSpan window, CancellationToken ct) =>
        GetAsync<DeploymentStatus>($"api/v1/deployments/{Segment(model)}" + Query(("window", window.ToString("c"))), ct);

    public Task<Deployment> DeployAsync(string model, int? canary, double? percent, int? shadow, string reason, CancellationToken ct) =>
        SendAsync<Deployment>(HttpMethod.Put, $"api/v1/deployments/{Segment(model)}", new { canary, percent, shadow, reason }, ct);

    public Task<Promotion> PromoteCanaryAsync(string model, string reason, bool force, CancellationToken ct) =>
        SendAsync<Promotion>(HttpMethod.Post, $"api/v1/deployments/{Segment(model)}/promote-canary", new { reason, force }, ct);

    public Task<Deployment> RollbackDeploymentAsync(string model, string reason, CancellationToken ct) =>
        SendAsync<Deployment>(HttpMethod.Post, $"api/v1/deployments/{Segment(model)}/rollback", new { reason }, ct);

    public Task<Release> ReleaseAsync(string model, CancellationToken ct) => GetAsync<Release>($"api/v1/releases/{Segment(model)}", ct);

    public Task<Release> StartReleaseAsync(string model, int version, string reason, CancellationToken ct) =>
        SendAsync<Release>(HttpMethod.Post, $"api/v1/releases/{Segment(model)}", new { version, reason }, ct);

    public Task<Release> ActOnReleaseAsync(string model, ReleaseAction action, string reason, CancellationToken ct) =>
        SendAsync<Release>(HttpMethod.Post, $"api/v1/releases/{Segment(model)}/{TendJson.Name(action)}", new { reason }, ct);

    public Task<IReadOnlyList<DatasetVersion>> DatasetsAsync(CancellationToken ct) => GetAsync<IReadOnlyList<DatasetVersion>>("api/v1/datasets", ct);

    public Task<DatasetVersion> DatasetAsync(string reference, CancellationToken ct) => GetAsync<DatasetVersion>($"api/v1/datasets/{Segment(reference)}", ct);

    public Task<DatasetDiff> DiffAsync(string reference, string other, CancellationToken ct) => GetAsync<DatasetDiff>($"api/v1/datasets/{Segment(reference)}/diff/{Segment(other)}", ct);

    /// <summary>Sends the file as the request's body; a query or a source of tend.yaml is read where it is named, so on the server's machine, not over HTTP.</summary>
    public async Task<Ingest> AddDataAsync(DataAddition addition, CancellationToken ct)
    {
        if (addition.Sql is not null || addition.Source is not null)
            throw TendException.BadUsage("against a server, 'tend data add' sends a file; --sql and --source are read where the command runs: run it on the server's machine, or save the rows to a file first");
        var path = addition.Path ?? throw TendException.BadUsage("give the file to send");
        if (!File.Exists(path))
            throw Directory.Exists(path) ? TendException.BadUsage($"'{path}' is a folder; against a server, 'tend data add' sends one file") : TendException.NotFound($"{path}: no such file");
        var read = addition.Read;
        var name = addition.Name ?? (await ProjectAsync(ct)).Name;
        var query = Query(("format", DataSources.FormatOf(path, read)), ("delimiter", read.Delimiter), ("header", read.Header?.ToString().ToLowerInvariant()),
            ("encoding", read.Encoding), ("on_bad_lines", read.BadLines.ToString().ToLowerInvariant()), ("append", addition.Append ? "true" : null), ("filename", Path.GetFileName(path)));
        await using var file = File.OpenRead(path);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/datasets/{Segment(name)}" + query) { Content = new StreamContent(file) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(request, ct, HttpStatusCode.UnprocessableEntity); // 422 holds the rejected version's report
        var ingested = await ReadAsync<DatasetsApi.Ingested>(response, ct);
        return new Ingest(ingested.Version, ingested.Created, ingested.Rejected, ingested.Restored);
    }

    public Task<MonitorRun> MonitorAsync(MonitorRequest request, CancellationToken ct) => SendAsync<MonitorRun>(HttpMethod.Post, "api/v1/monitor/reports", request, ct);

    public Task<IReadOnlyList<MonitorReport>> ReportsAsync(CancellationToken ct) => GetAsync<IReadOnlyList<MonitorReport>>("api/v1/monitor/reports", ct);

    public Task<MonitorReport> ReportAsync(string? id, CancellationToken ct) => GetAsync<MonitorReport>($"api/v1/monitor/reports/{Segment(id ?? "latest")}", ct);

    public Task<IReadOnlyList<Alert>> AlertsAsync(bool all, CancellationToken ct) => GetAsync<IReadOnlyList<Alert>>("api/v1/alerts" + Query(("all", all ? "true" : null)), ct);

    public Task<Alert> AcknowledgeAsync(string id, string reason, CancellationToken ct) => SendAsync<Alert>(HttpMethod.Post, $"api/v1/alerts/{Segment(id)}/ack", new { reason }, ct);

    public Task<MadeToken> CreateTokenAsync(string name, string? subject, TokenKind kind, IReadOnlyList<Permission> scopes, int days, CancellationToken ct) =>
        SendAsync<MadeToken>(HttpMethod.Post, "api/v1/tokens", new { name, subject, kind, scopes, days }, ct);

    public Task<IReadOnlyList<ApiToken>> TokensAsync(CancellationToken ct) => GetAsync<IReadOnlyList<ApiToken>>("api/v1/tokens", ct);

    public Task<ApiToken> RevokeTokenAsync(string id, CancellationToken ct) => SendAsync<ApiToken>(HttpMethod.Delete, $"api/v1/tokens/{Segment(id)}", null, ct);

    public Task<IReadOnlyList<Grant>> GrantsAsync(string? subject, CancellationToken ct) => GetAsync<IReadOnlyList<Grant>>("api/v1/access" + Query(("subject", subject)), ct);

    public Task<GrantChange> SetGrantAsync(string subject, string project, Role role, bool granted, CancellationToken ct) => granted
        ? SendAsync<GrantChange>(HttpMethod.Post, "api/v1/access", new { subject, project, role }, ct)
        : SendAsync<GrantChange>(HttpMethod.Delete, $"api/v1/access/{Segment(project)}/{Segment(subject)}/{Segment(role.ToString().ToLowerInvariant())}", null, ct);

    public Task<IReadOnlyList<AuditEvent>> AuditAsync(string? subject, DateTimeOffset? since, CancellationToken ct) =>
        GetAsync<IReadOnlyList<AuditEvent>>("api/v1/audit" + Query(("subject", subject), ("since", since?.ToString("O"))), ct);

    /// <summary>Who the token proves: the server's answer to <c>GET /api/v1/whoami</c>.</summary>
    public Task<AccessApi.Identity> WhoAmIAsync(CancellationToken ct) => GetAsync<AccessApi.Identity>("api/v1/whoami", ct);

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: TendJson.Options) };
        using var response = await SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct) =>
        response.StatusCode == HttpStatusCode.NoContent ? default! : (await response.Content.ReadFromJsonAsync<T>(TendJson.Options, ct))!;

    /// <summary>The response when it succeeded (or has one of the <paramref name="answers"/>); else the server's problem as the error it is.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct, params HttpStatusCode[] answers)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new TendException(ErrorCode.Unexpected, $"the Tend server at {Server} did not answer: {e.Message}");
        }
        if (response.IsSuccessStatusCode || answers.Contains(response.StatusCode))
            return response;
        using (response)
            throw await ProblemAsync(response, ct);
    }

    /// <summary>The server's ProblemDetails as the TendException it was there: its code (the problem's title), message and field.</summary>
    private async Task<TendException> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        Problem? problem = null;
        try
        {
            problem = JsonSerializer.Deserialize<Problem>(text, TendJson.Options);
        }
        catch (JsonException)
        {
        }
        var code = Enum.TryParse<ErrorCode>(problem?.Title, out var named) ? named : response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => ErrorCode.Unauthenticated,
            HttpStatusCode.Forbidden => ErrorCode.NotAllowed,
            HttpStatusCode.NotFound => ErrorCode.NotFound,
            HttpStatusCode.Conflict => ErrorCode.Conflict,
            HttpStatusCode.UnprocessableEntity => ErrorCode.InvalidData,
            >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => ErrorCode.BadUsage,
            _ => ErrorCode.Unexpected,
        };
        var message = (problem?.Field is null ? null : problem.Message) ?? problem?.Detail ?? $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if (code == ErrorCode.Unauthenticated)
            message += $" (sign in again: 'tend login {Server}')";
        return new TendException(code, message) { Field = problem?.Field, Choices = problem?.Choices ?? [] };
    }

    private sealed record Problem(string? Title, string? Detail, string? Field, IReadOnlyList<string>? Choices, string? Message);

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var given = pairs.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
