using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Training.Models;

/// <summary>
/// A fitted ML.NET chain with its signature. Saved as one zip (<see cref="ModelPackage"/>): the ML.NET model and
/// <c>signature.json</c>. Rows go through pooled prediction engines: an engine is not thread-safe and costs a schema
/// binding to build, so concurrent callers each borrow one and give it back.
/// </summary>
public sealed class TrainedModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, FeatureLayout layout) : IPredictor
{
    internal const string ModelEntry = "mlnet-model.zip";

    public string Format => ModelPackage.MlNet;

    public MLContext Context { get; } = ml;
    public ITransformer Transformer { get; } = transformer;
    public FeatureLayout Layout { get; } = layout;
    public InputBuilder Inputs { get; } = new(layout);

    /// <summary>The options the trainer was fitted with that tend.yaml did not set: the rounds early stopping chose. Empty for a loaded model.</summary>
    public IReadOnlyDictionary<string, double> Chosen { get; init; } = new Dictionary<string, double>();

    private readonly Lazy<int[]> _classSlots = new(() => SlotsOfClasses(transformer.GetOutputSchema(inputSchema)["Score"], layout.Classes));

    /// <summary>Scores a whole table in one pass of the chain.</summary>
    public Predictions Predict(Table rows)
    {
        var scored = Transformer.Transform(Inputs.ToDataView(Context, rows));
        return ToPredictions(Context.Data.CreateEnumerable<ModelOutput>(scored, reuseRowObject: false, schemaDefinition: ModelOutput.SchemaFor(Layout.Task)).ToList());
    }

    private readonly Lazy<ObjectPool<PredictionEngine<ModelInput, ModelOutput>>> _engines = new(() =>
        // The provider's pool of disposable items disposes them when it is disposed; a DefaultObjectPool would not.
        new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 }.Create(new EnginePolicy(ml, transformer, layout)));

    public Predictions Predict(IReadOnlyList<ModelInput> inputs)
    {
        var engine = _engines.Value.Get();
        try
        {
            var outputs = new ModelOutput[inputs.Count];
            for (var i = 0; i < outputs.Length; i++)
                outputs[i] = engine.Predict(inputs[i]);
            return ToPredictions(outputs);
        }
        finally
        {
            _engines.Value.Return(engine);
        }
    }

    /// <summary>Disposes the pooled engines and the chain, where its transformers hold anything to free.</summary>
    public void Dispose()
    {
        if (_engines.IsValueCreated && _engines.Value is IDisposable engines)
            engines.Dispose();
        (Transformer as IDisposable)?.Dispose();
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer transformer, FeatureLayout layout) : PooledObjectPolicy<PredictionEngine<ModelInput, ModelOutput>>
    {
        public override PredictionEngine<ModelInput, ModelOutput> Create() => CreateEngine(ml, transformer, layout);

        public override bool Return(PredictionEngine<ModelInput, ModelOutput> engine) => true;
    }

    /// <summary>
    /// A prediction engine for one row at a time, the fast path for serving. Not thread-safe: one per thread, or pooled.
    /// </summary>
    public PredictionEngine<ModelInput, ModelOutput> CreateEngine() => CreateEngine(Context, Transformer, Layout);

    private static PredictionEngine<ModelInput, ModelOutput> CreateEngine(MLContext ml, ITransformer transformer, FeatureLayout layout) =>
        ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(transformer, inputSchemaDefinition: new InputBuilder(layout).SchemaDefinition,
            outputSchemaDefinition: ModelOutput.SchemaFor(layout.Task));

    /// <summary>The task's view of raw outputs: predicted values, and probabilities in the order of <see cref="FeatureLayout.Classes"/>.</summary>
    public Predictions ToPredictions(IReadOnlyList<ModelOutput> outputs)
    {
        switch (Layout.Task)
        {
            case MlTask.Binary:
                return Predictions.OfBinary(outputs.Select(o => (double)o.Probability).ToList(), Layout);
            case MlTask.Multiclass:
                var slots = _classSlots.Value;
                return new Predictions(outputs.Select(o => o.PredictedClass).ToList(),
                    ClassProbabilities: outputs.Select(o => slots.Select(k => k < 0 ? 0.0 : o.ClassScores[k]).ToArray()).ToList());
            default:
                return Predictions.OfNumbers(outputs.Select(o => (double)o.Score).ToList());
        }
    }

    /// <summary>For each of <see cref="FeatureLayout.Classes"/>, its slot in the score vector (-1 for a class the training split never saw).</summary>
    private static int[] SlotsOfClasses(DataViewSchema.Column score, IReadOnlyList<string> classes)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        score.GetSlotNames(ref names);
        var slots = names.DenseValues().Select(n => n.ToString()).ToList();
        return classes.Select(c => slots.IndexOf(c)).ToArray();
    }

    /// <summary>
    /// Writes the model zip. Every entry, the ML.NET model's own included, gets one fixed time, so the same model is the
    /// same bytes (and so one content-addressed file) whenever it was trained.
    /// </summary>
    public void Save(Stream destination)
    {
        var model = new MemoryStream();
        Context.Model.Save(Transformer, inputSchema, model);
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        ModelPackage.Write(zip, ModelEntry, WithFixedTimes(model), CompressionLevel.NoCompression);
        ModelPackage.WriteSignature(zip, Layout);
    }

    /// <summary>The same zip rewritten with every entry at the package's one fixed time, in the same order.</summary>
    private static byte[] WithFixedTimes(MemoryStream zipBytes)
    {
        zipBytes.Position = 0;
        using var source = new ZipArchive(zipBytes, ZipArchiveMode.Read);
        var result = new MemoryStream();
        using (var target = new ZipArchive(result, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                using var content = new MemoryStream();
                using (var from = entry.Open())
                    from.CopyTo(content);
                ModelPackage.Write(target, entry.FullName, content.ToArray(), CompressionLevel.Optimal);
            }
        return result.ToArray();
    }

    /// <summary>The ML.NET model of a package whose signature is read already.</summary>
    internal static TrainedModel Load(ZipArchive package, FeatureLayout layout)
    {
        var ml = new MLContext();
        var transformer = ml.Model.Load(new MemoryStream(ModelPackage.ReadEntry(package, ModelEntry)), out var schema);
        return new TrainedModel(ml, transformer, schema, layout);
    }
}
