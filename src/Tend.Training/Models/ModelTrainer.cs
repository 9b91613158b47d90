using Microsoft.ML;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Trainers;

namespace Tend.Training.Models;

/// <summary>Fits the spec's pipeline on a training table; the same data, spec and seed give the same model.</summary>
public static class ModelTrainer
{
    /// <summary>Fits the spec's first trainer.</summary>
    public static TrainedModel Fit(Table train, FeatureLayout layout, ProjectSpec spec, CancellationToken ct) =>
        Fit(train, layout, spec, spec.Trainer, ct);

    public static TrainedModel Fit(Table train, FeatureLayout layout, ProjectSpec spec, TrainerSpec trainer, CancellationToken ct)
    {
        var ml = new MLContext(seed: spec.Split.Seed);
        ct.ThrowIfCancellationRequested();
        CheckLabels(train, layout, trainer.Name);
        var fitted = EarlyStopping.Resolve(ml, train, layout, spec, trainer);
        layout = layout with { Prepared = Preparation.Fit(train, layout, spec.PrepareOrDefault) };
        var data = new InputBuilder(layout).ToDataView(ml, train);
        var transformer = ModelPipeline.Build(ml, layout, fitted, ModelPipeline.FitOf(train, layout, spec.Split.Seed)).Fit(data);
        ct.ThrowIfCancellationRequested();
        return new TrainedModel(ml, transformer, data.Schema, layout)
        {
            Chosen = fitted.Options.Where(o => !trainer.Options.ContainsKey(o.Key)).ToDictionary(),
        };
    }

    private static void CheckLabels(Table train, FeatureLayout layout, string trainer)
    {
        if (!TrainerCatalog.Find(layout.Task, trainer).NonNegativeLabels)
            return;
        var label = train.IndexOf(layout.Label);
        var negative = train.Rows.Select(r => Cells.TryNumber(r[label], out var v) ? v : 0).Where(v => v < 0).ToList();
        if (negative.Count > 0)
            throw TendException.InvalidData($"trainer '{trainer}' models counts: its labels must not be negative; '{layout.Label}' has {negative.Count} negative values (the smallest {Cells.Format(negative.Min())})");
    }
}
