namespace Tend.Core.Domain;

/// <summary>Running until it ends: finished, failed with an error, or killed (cancelled, or its process ended without saying how it went).</summary>
public enum RunStatus
{
    Running,
    Finished,
    Failed,
    Killed,
}

/// <summary>
/// One training attempt with everything needed to reproduce and judge it. <see cref="Metrics"/> holds each metric's
/// latest value (its whole history is in the store); <see cref="Parent"/> is the search a trial belongs to, "" for none.
/// </summary>
public sealed record Run(
    string Id,
    string Project,
    RunStatus Status,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    string Dataset,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Artifacts,
    IReadOnlyDictionary<string, string> Environment,
    string? Error = null,
    string Parent = "",
    string Name = "",
    IReadOnlyDictionary<string, string>? Tags = null,
    string Note = "")
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = Tags ?? new Dictionary<string, string>();

    public static Run Start(string project, string dataset, IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string> environment, string parent = "", string name = "") =>
        new(Guid.NewGuid().ToString("N"), project, RunStatus.Running, DateTimeOffset.UtcNow, null, dataset, parameters,
            new Dictionary<string, double>(), new Dictionary<string, string>(), environment, Parent: parent, Name: name);

    public Run End(RunStatus status, string? error = null) => this with { Status = status, Ended = DateTimeOffset.UtcNow, Error = error };
}
