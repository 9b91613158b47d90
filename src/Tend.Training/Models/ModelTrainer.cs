using Microsoft.ML;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Training.Models;

/// <summary>Fits the spec's pipeline on a training table; the same data, spec and seed give the same model.</summary>
public static class ModelTrainer
{
    public static TrainedModel Fit(Table train, FeatureLayout layout, ProjectSpec spec, CancellationToken ct)
    {
        var ml = new MLContext(seed: spec.Split.Seed);
        ct.ThrowIfCancellationRequested();
        layout = layout with { Prepared = Preparation.Fit(train, layout, spec.PrepareOrDefault) };
        var data = new InputBuilder(layout).ToDataView(ml, train);
        var transformer = ModelPipeline.Build(ml, layout, spec.Trainer, spec.Split.Seed).Fit(data);
        ct.ThrowIfCancellationRequested();
        return new TrainedModel(ml, transformer, data.Schema, layout);
    }
}
