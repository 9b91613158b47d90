using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving;

/// <summary>A registered version loaded into memory, ready to predict from many threads at once.</summary>
public sealed class ServedModel
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

    public ModelVersion Version { get; }
    public IPredictor Model { get; }

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
}
