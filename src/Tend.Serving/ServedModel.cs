using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving;

/// <summary>
/// A registered version loaded into memory, ready to predict from many threads at once. It is leased: its owner holds
/// one lease from the start, each scoring request takes one (<see cref="ModelHost.LeaseAsync"/>), and the model is
/// disposed when the last is given back, so a version the host lets go is freed once the requests using it finish.
/// </summary>
public sealed class ServedModel : IDisposable
{
    public ServedModel(ModelVersion version, IPredictor model)
    {
        Version = version;
        Model = model;
        _contributions = new Lazy<FeatureContributions>(() => FeatureContributions.For(model as TrainedModel
            ?? throw TendException.BadUsage($"{version.Name}@{version.Version} is an imported {model.Format} model; per-feature contributions need a model Tend trained")));
    }

    private readonly Lazy<FeatureContributions> _contributions;
    private readonly Lock _explaining = new();
    private int _leases = 1;

    public ModelVersion Version { get; }
    public IPredictor Model { get; }

    /// <summary>Whether the model is disposed: every lease, the owner's included, has been given back.</summary>
    public bool Disposed => Volatile.Read(ref _leases) == 0;

    public Predictions Predict(Table rows) => Predict(Model.Inputs.FromTable(rows).ToList());

    public Predictions Predict(IReadOnlyList<ModelInput> inputs) => Model.Predict(inputs);

    /// <summary>One prediction of a row of missing values (each imputed as in training), so the first request does not pay for the engine's first use.</summary>
    public void WarmUp()
    {
        var features = Model.Layout.Features.ToList();
        Predict(new Table(features, [new string?[features.Count]]));
    }

    /// <summary>Each row's per-column contributions (tree and linear models Tend trained; a multiclass model is refused with the reason). One request at a time: it is the slow, opt-in path.</summary>
    public IReadOnlyList<RowExplanation> Explain(Table rows)
    {
        lock (_explaining)
            return _contributions.Value.Explain(rows);
    }

    /// <summary>Takes a lease, unless the model is already disposed.</summary>
    internal bool TryLease()
    {
        for (var leases = Volatile.Read(ref _leases); leases > 0; leases = Volatile.Read(ref _leases))
            if (Interlocked.CompareExchange(ref _leases, leases + 1, leases) == leases)
                return true;
        return false;
    }

    /// <summary>Gives a lease back; the last one disposes the model.</summary>
    public void Dispose()
    {
        if (Interlocked.Decrement(ref _leases) == 0)
            Model.Dispose();
    }
}
