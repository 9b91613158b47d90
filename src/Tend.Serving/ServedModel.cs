using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Tend.Core.Domain;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving;

/// <summary>
/// A registered version loaded into memory, ready to predict. Rows go through pooled prediction engines: an engine
/// is not thread-safe and costs a schema binding to build, so concurrent requests each borrow one and give it back.
/// </summary>
public sealed class ServedModel
{
    private readonly ObjectPool<PredictionEngine<ModelInput, ModelOutput>> _engines;

    public ServedModel(ModelVersion version, TrainedModel model)
    {
        Version = version;
        Model = model;
        _engines = new DefaultObjectPool<PredictionEngine<ModelInput, ModelOutput>>(new EnginePolicy(model), Environment.ProcessorCount * 2);
        _contributions = new Lazy<FeatureContributions>(() => FeatureContributions.For(model));
    }

    private readonly Lazy<FeatureContributions> _contributions;
    private readonly Lock _explaining = new();

    public ModelVersion Version { get; }
    public TrainedModel Model { get; }

    public Predictions Predict(Table rows) => Predict(Model.Inputs.FromTable(rows).ToList());

    /// <summary>One prediction of a row of missing values (each imputed as in training), so the first request does not pay for the engine's first use.</summary>
    public void WarmUp()
    {
        var features = Model.Layout.Features.ToList();
        Predict(new Table(features, [new string?[features.Count]]));
    }

    public Predictions Predict(IReadOnlyList<ModelInput> inputs)
    {
        var engine = _engines.Get();
        try
        {
            return Model.ToPredictions(inputs.Select(engine.Predict).ToList());
        }
        finally
        {
            _engines.Return(engine);
        }
    }

    /// <summary>Each row's per-column contributions (tree and linear models; a multiclass model is refused with the reason). One request at a time: it is the slow, opt-in path.</summary>
    public IReadOnlyList<RowExplanation> Explain(Table rows)
    {
        lock (_explaining)
            return _contributions.Value.Explain(rows);
    }

    private sealed class EnginePolicy(TrainedModel model) : PooledObjectPolicy<PredictionEngine<ModelInput, ModelOutput>>
    {
        public override PredictionEngine<ModelInput, ModelOutput> Create() => model.CreateEngine();

        public override bool Return(PredictionEngine<ModelInput, ModelOutput> engine) => true;
    }
}
