using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Trainers;

namespace Tend.Training.Models;

/// <summary>
/// The whole ML.NET chain: encodings of the prepared inputs (one-hot, hashing, text featurization), the trainer and
/// label mapping, saved together so serving applies exactly what training did.
/// </summary>
public static class ModelPipeline
{
    public const string PredictedClass = "PredictedClass";

    public static IEstimator<ITransformer> Build(MLContext ml, FeatureLayout layout, TrainerSpec trainer, TrainerFit fit)
    {
        var definition = TrainerCatalog.Find(layout.Task, trainer.Name);
        var chain = Featurizer(ml, layout, definition).Append(definition.Create(ml, trainer.Options, fit));
        return layout.Task == MlTask.Multiclass ? chain.Append(ml.Transforms.Conversion.MapKeyToValue(PredictedClass, "PredictedLabel")) : chain;
    }

    /// <summary>The seed, and whether a one-hot column of the training rows has many levels (<see cref="TrainerFit"/>).</summary>
    public static TrainerFit FitOf(Table train, FeatureLayout layout, int seed) =>
        new(seed, layout.Prepared!.Encoded(CategoricalFeature.OneHot).Any(c =>
            (c.Levels?.Count ?? train.Column(train.IndexOf(c.Column)).Where(v => v is not null).Distinct(StringComparer.Ordinal).Count()) > TrainerFit.FewLevels));

    /// <summary>The chain up to the trainer: the features encoded into one vector (scaled for a linear trainer) and the label in the trainer's type.</summary>
    public static IEstimator<ITransformer> Featurizer(MLContext ml, FeatureLayout layout, TrainerDefinition definition)
    {
        var prepared = layout.Prepared!;
        var parts = new List<string>();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        if (prepared.Slots.Count > 0)
            parts.Add(nameof(ModelInput.Numeric)); // clipped, imputed and normalized by the fitted Preparation
        if (prepared.Encoded(CategoricalFeature.OneHot).Any())
        {
            // One indicator per (column, category); a missing, unseen or capped-out category sets none, as scikit-learn's handle_unknown="ignore".
            chain = chain.Append(ml.Transforms.Categorical.OneHotEncoding("CategoricalEncoded", nameof(ModelInput.Categorical)));
            parts.Add("CategoricalEncoded");
        }
        if (prepared.Encoded(CategoricalFeature.Hashing).Any())
        {
            // 2^hash_bits indicators per column, whatever the number of categories.
            chain = chain.Append(ml.Transforms.Categorical.OneHotHashEncoding("HashedEncoded", nameof(ModelInput.Hashed), numberOfBits: prepared.HashBits));
            parts.Add("HashedEncoded");
        }
        if (prepared.Text.Count > 0)
        {
            // Word unigrams and bigrams plus character trigrams, L2-normalized (ML.NET's FeaturizeText defaults).
            chain = chain.Append(ml.Transforms.Text.FeaturizeText("TextFeatures", nameof(ModelInput.Text)));
            parts.Add("TextFeatures");
        }
        chain = chain.Append(ml.Transforms.Concatenate(TrainerCatalog.Features, parts.ToArray()));
        if (definition.Linear) // linear trainers converge only on scaled features
            chain = chain.Append(ml.Transforms.NormalizeMinMax(TrainerCatalog.Features));

        return layout.Task switch
        {
            MlTask.Binary => chain.Append(ml.Transforms.CopyColumns(TrainerCatalog.Label, nameof(ModelInput.LabelBool))),
            MlTask.Multiclass => chain.Append(ml.Transforms.Conversion.MapValueToKey(TrainerCatalog.Label, nameof(ModelInput.LabelText), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)),
            _ => chain.Append(ml.Transforms.CopyColumns(TrainerCatalog.Label, nameof(ModelInput.LabelNumber))),
        };
    }
}
