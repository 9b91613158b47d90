using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Training.Models;

/// <summary>A fitted ML.NET chain with its signature. Saved as one zip: the ML.NET model and <c>signature.json</c>.</summary>
public sealed class TrainedModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, FeatureLayout layout)
{
    private const string ModelEntry = "mlnet-model.zip";
    private const string SignatureEntry = "signature.json";

    public MLContext Context { get; } = ml;
    public ITransformer Transformer { get; } = transformer;
    public FeatureLayout Layout { get; } = layout;
    public InputBuilder Inputs { get; } = new(layout);

    private readonly Lazy<int[]> _classSlots = new(() => SlotsOfClasses(transformer.GetOutputSchema(inputSchema)["Score"], layout.Classes));

    /// <summary>Scores a whole table in one pass of the chain.</summary>
    public Predictions Predict(Table table)
    {
        var scored = Transformer.Transform(Inputs.ToDataView(Context, table));
        return ToPredictions(Context.Data.CreateEnumerable<ModelOutput>(scored, reuseRowObject: false, schemaDefinition: ModelOutput.SchemaFor(Layout.Task)).ToList());
    }

    /// <summary>
    /// A prediction engine for one row at a time, the fast path for serving. Not thread-safe: one per thread, or pooled.
    /// </summary>
    public PredictionEngine<ModelInput, ModelOutput> CreateEngine() =>
        Context.Model.CreatePredictionEngine<ModelInput, ModelOutput>(Transformer, inputSchemaDefinition: Inputs.SchemaDefinition,
            outputSchemaDefinition: ModelOutput.SchemaFor(Layout.Task));

    /// <summary>The task's view of raw outputs: predicted values, and probabilities in the order of <see cref="FeatureLayout.Classes"/>.</summary>
    public Predictions ToPredictions(IReadOnlyList<ModelOutput> outputs)
    {
        switch (Layout.Task)
        {
            case MlTask.Binary:
                var probability = outputs.Select(o => (double)o.Probability).ToList();
                var negative = Layout.Classes.First(c => c != Layout.PositiveClass);
                return new Predictions(probability.Select(p => p >= 0.5 ? Layout.PositiveClass! : negative).ToList(), Probability: probability);
            case MlTask.Multiclass:
                var slots = _classSlots.Value;
                return new Predictions(outputs.Select(o => o.PredictedClass).ToList(),
                    ClassProbabilities: outputs.Select(o => slots.Select(k => k < 0 ? 0.0 : o.ClassScores[k]).ToArray()).ToList());
            default:
                var values = outputs.Select(o => (double)o.Score).ToList();
                return new Predictions(values.Select(v => Cells.Format(v)).ToList(), Numbers: values);
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
        Write(zip, ModelEntry, WithFixedTimes(model), CompressionLevel.NoCompression);
        Write(zip, SignatureEntry, new UTF8Encoding(false).GetBytes(TendJson.Serialize(Layout)), CompressionLevel.Optimal);
    }

    /// <summary>The earliest time a zip can hold: a constant, unlike the clock.</summary>
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void Write(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = FixedTime;
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>The same zip rewritten with every entry at <see cref="FixedTime"/>, in the same order.</summary>
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
                Write(target, entry.FullName, content.ToArray(), CompressionLevel.Optimal);
            }
        return result.ToArray();
    }

    /// <summary>
    /// Loads a registered version from the artifact store (buffered: a remote store's stream need not be seekable),
    /// refusing it when its bytes are not the ones registered (sha256).
    /// </summary>
    public static async Task<TrainedModel> LoadAsync(IArtifactStore artifacts, ModelVersion version, CancellationToken ct)
    {
        var bytes = await ReadAsync(artifacts, version.Artifact, ct);
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        if (actual != version.Checksum)
            throw TendException.InvalidData($"model {version.Name}@{version.Version}: its file {version.Artifact} has sha256 {actual}, but {version.Checksum} was registered; the file changed, so it is not loaded");
        return Load(bytes);
    }

    private static async Task<MemoryStream> ReadAsync(IArtifactStore artifacts, string path, CancellationToken ct)
    {
        await using var stream = await artifacts.GetAsync(path, ct);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        return buffer;
    }

    public static TrainedModel Load(Stream source)
    {
        using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        var ml = new MLContext();
        var model = new MemoryStream();
        using (var entry = zip.GetEntry(ModelEntry)!.Open())
            entry.CopyTo(model);
        model.Position = 0;
        var transformer = ml.Model.Load(model, out var schema);
        using var reader = new StreamReader(zip.GetEntry(SignatureEntry)!.Open());
        return new TrainedModel(ml, transformer, schema, TendJson.Deserialize<FeatureLayout>(reader.ReadToEnd()));
    }
}
