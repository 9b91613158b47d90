namespace Tend.Execution.Quartz;

/// <summary>
/// How a process takes part in running jobs. <paramref name="PostgresConnection"/>: the cluster's scheduler keeps its
/// jobs and triggers in that database (clustered, recovering a dead node's jobs); null: one in-process scheduler with an
/// in-memory store (the embedded default, whose jobs live only as long as the process). <paramref name="Slots"/>: how many
/// jobs this process runs at once; 0: it only hands jobs to the others.
/// </summary>
public sealed record ExecutionOptions(string? PostgresConnection, int Slots)
{
    /// <summary>
    /// How many jobs of a kind may run at once across the whole cluster (counted by the store from the jobs in flight, so a
    /// dead node's count ends with it). Each node enforces the limits it is given: give every node the same.
    /// </summary>
    public IReadOnlyDictionary<string, int> ClusterLimits { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Whether the jobs running when the process stops are cancelled (a server, whose stop is short), and on PostgreSQL
    /// handed back for another node to run again; otherwise the process lets them finish first (a worker).
    /// </summary>
    public bool CancelOnStop { get; init; }

    /// <summary>How long an idle node waits before it looks for new jobs again: Quartz's least, as jobs handed out by another process are not signalled to it.</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    /// <summary>How often a node records that it lives. Quartz's default is 7.5 s; a dead worker's job moves sooner at 5 s.</summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long past a missed check-in the others wait before taking the node for dead and recovering its jobs (Quartz's default).</summary>
    public TimeSpan CheckinMisfireThreshold { get; init; } = TimeSpan.FromSeconds(7.5);

    /// <summary>The slots of a worker by default: one job at a time, as training uses every core it is given.</summary>
    public const int DefaultSlots = 1;
}
