using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Trainers;

namespace Tend.Training.Models;

/// <summary>One raw column's share of one prediction, in the units of the model's raw score.</summary>
public sealed record ColumnContribution(string Column, string? Value, double Contribution);

/// <summary>Why one row got its prediction: the raw score and each input column's contribution to it, largest first.</summary>
public sealed record RowExplanation(string Prediction, double Score, IReadOnlyList<ColumnContribution> Contributions);

/// <summary>
/// Per-prediction feature contributions from ML.NET's feature contribution calculator, summed from the model's feature
/// slots back to the raw columns they came from (a one-hot column's indicators, a date's parts, a numeric slot).
/// For trees, a feature's contribution is the change in score had each split on it gone the other way; for linear
/// models it is weight × value. Both are in raw-score units (log-odds-like margin for binary, the label's units for
/// regression), before calibration. ML.NET has no calculator for multiclass models, so those are refused.
/// </summary>
public sealed class FeatureContributions
{
    private const string Column = "FeatureContributions";

    private readonly TrainedModel _model;
    private readonly ITransformer[] _featurize;
    private readonly ITransformer _contribute;
    private readonly ITransformer[] _score;
    private readonly string[] _slotColumns;

    private FeatureContributions(TrainedModel model, ITransformer[] featurize, ITransformer contribute, ITransformer[] score, string[] slotColumns)
    {
        _model = model;
        _featurize = featurize;
        _contribute = contribute;
        _score = score;
        _slotColumns = slotColumns;
    }

    /// <summary>The calculator for a model, or a clear refusal when its trainer has none.</summary>
    public static FeatureContributions For(TrainedModel model)
    {
        if (model.Layout.Task == MlTask.Multiclass)
            throw TendException.BadUsage("per-prediction contributions exist for binary and regression models; ML.NET has no contribution calculator for multiclass models");
        var chain = Flatten(model.Transformer).ToArray();
        var at = Array.FindIndex(chain, t => t is ISingleFeaturePredictionTransformer<object>);
        if (at < 0 || ((ISingleFeaturePredictionTransformer<object>)chain[at]).Model is not ICalculateFeatureContribution)
            throw TendException.BadUsage("this model's trainer has no per-prediction contribution calculator");
        var featurize = chain[..at];
        var inputs = model.Inputs.ToDataView(model.Context, new Table(model.Layout.Features.ToList(), []));
        var features = Apply(featurize, inputs);
        var size = Size(features.Schema, TrainerCatalog.Features);
        // The static overloads take the calibrated and the plain predictor alike; the runtime types pick the right one.
        IEstimator<ITransformer> estimator = ExplainabilityCatalog.CalculateFeatureContribution(model.Context.Transforms, (dynamic)chain[at],
            numberOfPositiveContributions: size, numberOfNegativeContributions: size, normalize: false);
        return new FeatureContributions(model, featurize, estimator.Fit(features), chain[at..], SlotColumns(model.Layout, features.Schema));
    }

    /// <summary>Each row's prediction, raw score and contributions per raw column, largest magnitude first; columns that took no part are left out.</summary>
    public IReadOnlyList<RowExplanation> Explain(Table rows)
    {
        var features = Apply(_featurize, _model.Inputs.ToDataView(_model.Context, rows));
        var scored = Apply(_score, _contribute.Transform(features));
        var predictions = _model.Predict(rows);
        var contributions = scored.GetColumn<float[]>(Column).ToList(); // an array a row: a VBuffer's storage is reused by the cursor
        var scores = scored.GetColumn<float>("Score").ToList();
        var layout = _model.Layout;
        return rows.Rows.Select((row, i) =>
        {
            var byColumn = new Dictionary<string, double>();
            for (var slot = 0; slot < contributions[i].Length; slot++)
                if (contributions[i][slot] != 0)
                    byColumn[_slotColumns[slot]] = byColumn.GetValueOrDefault(_slotColumns[slot]) + contributions[i][slot];
            var explained = byColumn.Where(c => c.Value != 0).OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new ColumnContribution(c.Key, rows.IndexOf(c.Key) is var k and >= 0 ? row[k] : null, c.Value)).ToList();
            return new RowExplanation(predictions.Values[i], scores[i], explained);
        }).ToList();
    }

    /// <summary>
    /// For each slot of the feature vector, the raw column it came from, in the order <see cref="ModelPipeline"/> concatenates
    /// them: numeric slots, then one-hot and hashed indicators (one block of the same size per column), then text.
    /// </summary>
    private static string[] SlotColumns(FeatureLayout layout, DataViewSchema schema)
    {
        var prepared = layout.Prepared!;
        var slots = prepared.Slots.Select(s => s.Column).ToList();
        slots.AddRange(Blocks(schema, "CategoricalEncoded", prepared.Encoded(CategoricalFeature.OneHot).Select(c => c.Column).ToList()));
        slots.AddRange(Blocks(schema, "HashedEncoded", prepared.Encoded(CategoricalFeature.Hashing).Select(c => c.Column).ToList()));
        if (prepared.Text.Count > 0) // the text columns are featurized together, so their slots are shared
            slots.AddRange(Enumerable.Repeat(string.Join("+", prepared.Text), Size(schema, "TextFeatures")));
        return [.. slots];
    }

    private static IEnumerable<string> Blocks(DataViewSchema schema, string column, IReadOnlyList<string> sources)
    {
        if (sources.Count == 0)
            return [];
        var block = Size(schema, column) / sources.Count;
        return sources.SelectMany(s => Enumerable.Repeat(s, block));
    }

    private static int Size(DataViewSchema schema, string column) => ((VectorDataViewType)schema[column].Type).Size;

    private static IDataView Apply(IEnumerable<ITransformer> transformers, IDataView data) =>
        transformers.Aggregate(data, (view, t) => t.Transform(view));

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];
}
