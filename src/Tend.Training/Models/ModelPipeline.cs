using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Tend.Core.Spec;
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

    public static IEstimator<ITransformer> Build(MLContext ml, FeatureLayout layout, TrainerSpec trainer, int seed)
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
        var definition = TrainerCatalog.Find(layout.Task, trainer.Name);
        if (definition.Linear) // linear trainers converge only on scaled features
            chain = chain.Append(ml.Transforms.NormalizeMinMax(TrainerCatalog.Features));

        chain = layout.Task switch
        {
            MlTask.Binary => chain.Append(ml.Transforms.CopyColumns(TrainerCatalog.Label, nameof(ModelInput.LabelBool))),
            MlTask.Multiclass => chain.Append(ml.Transforms.Conversion.MapValueToKey(TrainerCatalog.Label, nameof(ModelInput.LabelText), keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)),
            _ => chain.Append(ml.Transforms.CopyColumns(TrainerCatalog.Label, nameof(ModelInput.LabelNumber))),
        };
        chain = chain.Append(definition.Create(ml, trainer.Options, seed));
        if (layout.Task == MlTask.Multiclass)
            chain = chain.Append(ml.Transforms.Conversion.MapKeyToValue(PredictedClass, "PredictedLabel"));
        return chain;
    }
}
