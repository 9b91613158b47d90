namespace Tend.Core.Spec;

/// <summary>One ML problem, as <c>tend.yaml</c> defines it.</summary>
public sealed record ProjectSpec(
    string Name,
    string Description,
    MlTask Task,
    string Label,
    string? PositiveClass,
    SuccessMetric Metric,
    IReadOnlyList<Gate> Gates,
    SplitSpec Split,
    TrainSpec Train,
    MonitorSpec Monitor,
    DataSpec? Data = null,
    PrepareSpec? Prepare = null,
    IReadOnlyList<string>? ProtectedAttributes = null,
    Approval Approval = Approval.None,
    EvaluationSpec? Evaluation = null,
    DeploySpec? Deploy = null,
    PromoteRule Promote = PromoteRule.SignificantlyBetter,
    ServingSpec? Serving = null,
    IReadOnlyList<PipelineSpec>? Pipelines = null,
    ReleaseSpec? Release = null)
{
    public IReadOnlyList<string> ProtectedAttributes { get; init; } = ProtectedAttributes ?? [];

    /// <summary>What the project says it is for: its description, unless that is blank or still the placeholder <c>tend init</c> wrote.</summary>
    public string? StatedPurpose() => string.IsNullOrWhiteSpace(Description) || Description == SpecWriter.DefaultDescription ? null : Description;

    public EvaluationSpec EvaluationOrDefault => Evaluation ?? EvaluationSpec.Default;

    public DataSpec DataOrDefault => Data ?? DataSpec.Default;

    public PrepareSpec PrepareOrDefault => Prepare ?? PrepareSpec.Default;

    public ReleaseSpec ReleaseOrDefault => Release ?? ReleaseSpec.Default;

    /// <summary>The trainer a plain <c>tend train</c> fits: the first of <c>train.trainers</c>.</summary>
    public TrainerSpec Trainer => Train.Trainers[0];

    /// <summary>The success bar first, then any further gates.</summary>
    public IEnumerable<Gate> AllGates => Gates.Prepend(Metric.AsGate());
}

/// <summary>What "good" means: a metric and the bar it must reach.</summary>
public sealed record SuccessMetric(string Name, double Bar)
{
    public Gate AsGate() => Metrics.HigherIsBetter(Name) ? new Gate(Name, Min: Bar) : new Gate(Name, Max: Bar);
}

/// <summary>
/// How the holdout is drawn, by a seeded hash of each row's key (the <see cref="Key"/> column, or the whole row), never by
/// row order: random, stratified on the label for classification, by time (rows whose <see cref="By"/> is at least
/// <see cref="TestFrom"/> are the test set) or by group (every row of a <see cref="Group"/> value on one side).
/// </summary>
public sealed record SplitSpec(
    double TestFraction = SplitSpec.DefaultTestFraction,
    int Seed = SplitSpec.DefaultSeed,
    string? Key = null,
    string? By = null,
    string? TestFrom = null,
    string? Group = null,
    bool Stratify = true)
{
    /// <summary>20 % holdout, as scikit-learn's common <c>test_size=0.2</c>.</summary>
    public const double DefaultTestFraction = 0.2;
    public const int DefaultSeed = 42;
}

/// <summary>A trainer and the hyperparameters set for it, by name.</summary>
public sealed record TrainerSpec(string Name, IReadOnlyDictionary<string, double> Options)
{
    public const string DefaultName = "lightgbm";
}

/// <summary>
/// The <c>train:</c> section: the trainers to consider (the first is the one a plain <c>tend train</c> fits, the search
/// tries them all), the hyperparameters fixed for each, and the search's settings: with a <c>search:</c> section,
/// <c>tend train</c> and the pipeline search by default.
/// </summary>
public sealed record TrainSpec(IReadOnlyList<TrainerSpec> Trainers, SearchSpec? Search = null)
{
    public SearchSpec SearchOrDefault => Search ?? new SearchSpec();

    public static TrainSpec Of(string trainer, IReadOnlyDictionary<string, double>? options = null) =>
        new([new TrainerSpec(trainer, options ?? new Dictionary<string, double>())]);

    public static TrainSpec Default => Of(TrainerSpec.DefaultName);
}

/// <summary>
/// The hyperparameter search: <see cref="Trials"/> random configurations across the
/// trainers, thinned by successive halving (each rung keeps the best 1/<see cref="Eta"/> on <see cref="Eta"/> times the
/// rows), scored by <see cref="Folds"/>-fold cross-validation on the training rows (or, with 1, on a validation share of
/// them), within an optional time budget, <see cref="Parallel"/> trials at a time; with a <see cref="Patience"/>, the
/// first rung stops early once that many trials in a row have not beaten the best so far.
/// </summary>
public sealed record SearchSpec(
    int Trials = SearchSpec.DefaultTrials,
    int Folds = SearchSpec.DefaultFolds,
    double ValidationFraction = SearchSpec.DefaultValidationFraction,
    int Eta = SearchSpec.DefaultEta,
    int MinRows = SearchSpec.DefaultMinRows,
    double? TimeBudgetSeconds = null,
    int Parallel = 0,
    int? Patience = null)
{
    public const int DefaultTrials = 20;
    /// <summary>3-fold cross-validation: three fits a trial, each on two thirds of the rows (scikit-learn's HalvingRandomSearchCV uses 5).</summary>
    public const int DefaultFolds = 3;
    public const double DefaultValidationFraction = 0.2;
    /// <summary>Keep the best third at each rung, as Hyperband's and scikit-learn's halving default (factor 3).</summary>
    public const int DefaultEta = 3;
    /// <summary>The fewest training rows a rung may use; smaller data is searched without halving.</summary>
    public const int DefaultMinRows = 500;
}
