using System.IO.Compression;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Training.Features;

namespace Tend.Training.Models;

/// <summary>
/// How an ONNX graph is fed and read: through one <c>[N, F]</c> tensor named <see cref="Matrix"/>, or (when it is null)
/// one input per feature named as the feature; and which output holds the scores.
/// </summary>
public sealed record OnnxBinding(string? Matrix, string Output);

/// <summary>
/// An imported ONNX model, run with ONNX Runtime. Its features are numbers, read and checked by the same
/// <see cref="InputBuilder"/> as Tend's own models. A missing cell is passed as NaN, since the graph's own handling of
/// missing values is not known. A whole batch goes through one run of the graph, and the session is thread-safe, so
/// there is no pool.
/// </summary>
public sealed class OnnxModel : IPredictor
{
    internal const string ModelEntry = "model.onnx";
    private const string BindingEntry = "onnx.json";

    private readonly InferenceSession _session;
    private readonly OnnxBinding _binding;
    private readonly string[] _outputs;

    internal OnnxModel(byte[] onnx, FeatureLayout layout, OnnxBinding binding)
    {
        _session = new InferenceSession(onnx);
        _binding = binding;
        _outputs = [binding.Output];
        Onnx = onnx;
        Layout = layout;
        Inputs = new InputBuilder(layout);
    }

    public string Format => ModelPackage.Onnx;
    public FeatureLayout Layout { get; }
    public InputBuilder Inputs { get; }

    /// <summary>The graph's bytes, as imported.</summary>
    public byte[] Onnx { get; }

    public Predictions Predict(IReadOnlyList<ModelInput> inputs)
    {
        var features = Layout.Prepared!.Slots.Count;
        var feeds = new Dictionary<string, OrtValue>();
        try
        {
            if (_binding.Matrix is { } matrix)
                feeds[matrix] = Tensor(_session.InputMetadata[matrix], inputs, 0, features, [inputs.Count, features]);
            else
                for (var k = 0; k < features; k++)
                {
                    var name = Layout.Prepared.Slots[k].Column;
                    var metadata = _session.InputMetadata[name];
                    feeds[name] = Tensor(metadata, inputs, k, 1, metadata.Dimensions.Length == 1 ? [inputs.Count] : [inputs.Count, 1]);
                }
            using var options = new RunOptions();
            using var results = _session.Run(options, feeds, _outputs);
            return Read(results[0], inputs.Count);
        }
        finally
        {
            foreach (var value in feeds.Values)
                value.Dispose();
        }
    }

    /// <summary>Columns <paramref name="first"/> … of the rows' numeric slots as a tensor of the input's element type.</summary>
    private static OrtValue Tensor(NodeMetadata input, IReadOnlyList<ModelInput> rows, int first, int width, long[] shape)
    {
        T[] Values<T>(Func<float, T> convert)
        {
            var values = new T[rows.Count * width];
            for (var i = 0; i < rows.Count; i++)
                for (var k = 0; k < width; k++)
                    values[i * width + k] = convert(rows[i].Numeric[first + k]);
            return values;
        }
        return input.ElementDataType switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Values(v => v), shape),
            TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Values(v => (double)v), shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Values(v => (long)v), shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Values(v => (int)v), shape),
            var other => throw new InvalidOperationException($"ONNX input element type {other} passed the import's check"),
        };
    }

    /// <summary>The scores output as the task's predictions: <c>[N, classes]</c> probabilities, or <c>[N]</c> / <c>[N, 1]</c> values (binary: the positive class's probability).</summary>
    private Predictions Read(OrtValue output, int rows)
    {
        var scores = output.GetTensorTypeAndShape().ElementDataType == TensorElementType.Double
            ? output.GetTensorDataAsSpan<double>().ToArray()
            : Array.ConvertAll(output.GetTensorDataAsSpan<float>().ToArray(), v => (double)v);
        var width = scores.Length / Math.Max(rows, 1);
        double[] Column(int k) => Enumerable.Range(0, rows).Select(i => scores[i * width + k]).ToArray();
        switch (Layout.Task)
        {
            case MlTask.Regression:
                return Predictions.OfNumbers(Column(0));
            case MlTask.Binary:
                return Predictions.OfBinary(Column(width == 1 ? 0 : Layout.Classes.ToList().IndexOf(Layout.PositiveClass!)), Layout);
            default:
                var probabilities = Enumerable.Range(0, rows).Select(i => scores.AsSpan(i * width, width).ToArray()).ToList();
                var predicted = probabilities.Select(p => Layout.Classes[Array.IndexOf(p, p.Max())]).ToList();
                return new Predictions(predicted, ClassProbabilities: probabilities);
        }
    }

    /// <summary>The model as a package: the graph, how it is bound, and the signature.</summary>
    public void Dispose() => _session.Dispose();

    public void Save(Stream destination)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        ModelPackage.Write(zip, ModelEntry, Onnx, CompressionLevel.Optimal);
        ModelPackage.Write(zip, BindingEntry, new UTF8Encoding(false).GetBytes(TendJson.Serialize(_binding)), CompressionLevel.Optimal);
        ModelPackage.WriteSignature(zip, Layout);
    }

    internal static OnnxModel Load(ZipArchive package, FeatureLayout layout) =>
        new(ModelPackage.ReadEntry(package, ModelEntry), layout, TendJson.Deserialize<OnnxBinding>(Encoding.UTF8.GetString(ModelPackage.ReadEntry(package, BindingEntry))));
}
