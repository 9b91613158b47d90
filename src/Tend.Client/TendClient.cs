using System.Net.Http.Json;

namespace Tend.Client;

/// <summary>
/// Logs runs from your own training code to a Tend server (<c>tend serve</c>):
/// <code>
/// using var tend = new TendClient(new Uri("http://127.0.0.1:8080"), Environment.GetEnvironmentVariable("TEND_TOKEN"));
/// await using var run = await tend.StartRunAsync("churn");
/// run.LogParam("learning_rate", 0.1);
/// run.LogMetric("loss", loss, step);
/// await run.LogArtifactAsync("plots");
/// await run.EndAsync();
/// </code>
/// </summary>
public sealed class TendClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Transport _transport;
    private readonly TendClientOptions _options;

    /// <param name="server">The Tend server.</param>
    /// <param name="token">An API token (<c>tend tokens create</c>) of someone who may contribute to the project; sent as <c>Authorization: Bearer</c>.</param>
    public TendClient(Uri server, string? token, TendClientOptions? options = null)
        : this(Authorized(new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(100) }, token), options, ownsHttp: true)
    {
    }

    /// <param name="http">A client whose BaseAddress is the Tend server, and that sends a token (<c>Authorization: Bearer</c>).</param>
    public TendClient(HttpClient http, TendClientOptions? options = null) : this(http, options, ownsHttp: false)
    {
    }

    private static HttpClient Authorized(HttpClient http, string? token)
    {
        if (token is { Length: > 0 })
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private TendClient(HttpClient http, TendClientOptions? options, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options ?? new TendClientOptions();
        _transport = new Transport(http, _options);
    }

    /// <summary>Starts a run of the project, recording this process's environment (OS, CPU, .NET, the git commit of the working folder).</summary>
    /// <param name="parent">A run this one belongs to (a trial of a search you run yourself).</param>
    /// <param name="dataset">The dataset version it trains on (NAME@VERSION).</param>
    public async Task<TendRun> StartRunAsync(string project, string? name = null, IReadOnlyDictionary<string, string>? tags = null,
        string? parent = null, string? dataset = null, IReadOnlyDictionary<string, string>? parameters = null, CancellationToken ct = default)
    {
        var body = new Wire.Start(project, name, parent, dataset, parameters, tags, ClientEnvironment.Capture());
        var run = await _transport.SendAsync<RunInfo>(() => new HttpRequestMessage(HttpMethod.Post, "api/v1/runs") { Content = JsonContent.Create(body, options: Transport.Json) }, ct);
        return new TendRun(run.Id, _transport, _options);
    }

    /// <summary>A run as the server has it now.</summary>
    public Task<RunInfo> GetRunAsync(string id, CancellationToken ct = default) =>
        _transport.SendAsync<RunInfo>(() => new HttpRequestMessage(HttpMethod.Get, $"api/v1/runs/{Uri.EscapeDataString(id)}"), ct);

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    Finished,
    Failed,
    Killed,
}

/// <summary>A run as the server reports it.</summary>
public sealed record RunInfo(string Id, string Project, string Status, string Name, string Parent, string Dataset,
    Dictionary<string, string> Params, Dictionary<string, double> Metrics, Dictionary<string, string> Tags,
    Dictionary<string, string> Artifacts, Dictionary<string, string> Environment, string Note, string? Error);
