using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Training.Features;

namespace Tend.Training.Models;

/// <summary>What the import is told that the graph does not say: the names of a matrix input's columns, the classes in the order of the scores, the output to read.</summary>
public sealed record OnnxImportOptions(IReadOnlyList<string>? Features = null, IReadOnlyList<string>? Classes = null, string? Output = null);

/// <summary>
/// Reads an ONNX graph's signature into Tend's: the features come from its inputs (one per feature, each <c>[N]</c> or
/// <c>[N, 1]</c>) or, for one <c>[N, F]</c> input, from <see cref="OnnxImportOptions.Features"/>; the task and label from
/// tend.yaml; the scores from the first float output of the task's shape. Anything it cannot bind is an error naming
/// the input or output and what was expected.
/// </summary>
public static class OnnxImport
{
    private static readonly TensorElementType[] Numeric = [TensorElementType.Float, TensorElementType.Double, TensorElementType.Int64, TensorElementType.Int32];

    public static OnnxModel Read(byte[] onnx, string file, ProjectSpec spec, OnnxImportOptions options)
    {
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnx);
        }
        catch (OnnxRuntimeException e)
        {
            throw TendException.InvalidData($"{file}: not an ONNX model ONNX Runtime can load: {e.Message}");
        }
        using (session)
        {
            var (features, matrix) = Features(session.InputMetadata, file, options.Features);
            var classes = Classes(spec, file, options.Classes);
            var output = Output(session.OutputMetadata, file, spec.Task, classes.Count, options.Output);
            var layout = new FeatureLayout(spec.Task, spec.Label, spec.Task == MlTask.Binary ? spec.PositiveClass ?? classes[1] : null, classes,
                features, [], [], new Dictionary<string, IReadOnlyList<string>>(), [], [],
                new Preparation(features.Select(f => new NumericSlot(f, SlotSource.Number, Fill: double.NaN)).ToList(), [], 0, []), [],
                new Dictionary<string, IReadOnlyList<string>>());
            if (layout.PositiveClass is { } positive && !classes.Contains(positive))
                throw new TendException(ErrorCode.InvalidData, $"{file}: positive_class '{positive}' (tend.yaml) is not one of the classes {string.Join(",", classes)}") { Field = "classes" };
            return new OnnxModel(onnx, layout, new OnnxBinding(matrix, output));
        }
    }

    private static (IReadOnlyList<string> Features, string? Matrix) Features(IReadOnlyDictionary<string, NodeMetadata> inputs, string file, IReadOnlyList<string>? named)
    {
        foreach (var (name, input) in inputs)
            if (!input.IsTensor || !Numeric.Contains(input.ElementDataType))
                throw TendException.InvalidData($"{file}: input '{name}' is {Describe(input)}; Tend feeds ONNX models numeric tensors only (float, double, int64, int32)");
        if (named is not null)
        {
            var (name, input) = inputs.Count == 1 ? inputs.First() : throw TendException.BadField("features", $"{file}: features name the columns of one [N, F] input, but the model has {inputs.Count} inputs: {string.Join(", ", inputs.Keys)}");
            if (input.Dimensions is not [_, var width] || width != named.Count)
                throw TendException.BadField("features", $"{file}: input '{name}' is {Describe(input)}; the features name {named.Count} columns, so [N, {named.Count}] was expected");
            if (named.Distinct().Count() != named.Count)
                throw TendException.BadField("features", $"the features name a column twice: {string.Join(",", named)}");
            return (named, name);
        }
        foreach (var (name, input) in inputs)
            if (input.Dimensions is not ([_] or [_, 1]))
                throw TendException.BadField("features", $"{file}: input '{name}' is {Describe(input)}; one input per feature ([N] or [N, 1]) was expected, or name a matrix input's columns as the features");
        return (inputs.Keys.ToList(), null);
    }

    private static IReadOnlyList<string> Classes(ProjectSpec spec, string file, IReadOnlyList<string>? classes) => spec.Task switch
    {
        MlTask.Regression when classes is not null => throw TendException.BadField("classes", "classes are for classification; tend.yaml's task is regression"),
        MlTask.Regression => [],
        _ when classes is null => throw TendException.BadField("classes", $"{file}: a {spec.Task.ToString().ToLowerInvariant()} model needs its classes, its label values in the order of its scores (scikit-learn: classes_)"),
        MlTask.Binary when classes.Count != 2 => throw TendException.BadField("classes", $"a binary model has 2 classes; {classes.Count} were named: {string.Join(",", classes)}"),
        _ when classes.Count < 2 || classes.Distinct().Count() != classes.Count => throw TendException.BadField("classes", $"the classes need at least 2 distinct values; got {string.Join(",", classes)}"),
        _ => classes,
    };

    /// <summary>The named output, else the first float tensor of the task's shape: <c>[N, classes]</c>, or <c>[N]</c> / <c>[N, 1]</c> for regression and binary.</summary>
    private static string Output(IReadOnlyDictionary<string, NodeMetadata> outputs, string file, MlTask task, int classes, string? named)
    {
        bool Fits(NodeMetadata o) => o.IsTensor && o.ElementDataType is TensorElementType.Float or TensorElementType.Double && o.Dimensions switch
        {
            [_] or [_, 1] => task != MlTask.Multiclass,
            [_, var width] => width == classes && task != MlTask.Regression,
            _ => false,
        };
        var expected = task == MlTask.Multiclass ? $"a float tensor [N, {classes}]" : task == MlTask.Binary ? "a float tensor [N, 2], [N] or [N, 1]" : "a float tensor [N] or [N, 1]";
        if (named is not null)
            return outputs.TryGetValue(named, out var output)
                ? Fits(output) ? named : throw TendException.BadUsage($"{file}: output '{named}' is {Describe(output)}; {expected} was expected")
                : throw TendException.BadUsage($"{file}: no output '{named}'; outputs: {string.Join(", ", outputs.Select(o => $"{o.Key} ({Describe(o.Value)})"))}");
        return outputs.FirstOrDefault(o => Fits(o.Value)).Key
            ?? throw TendException.InvalidData($"{file}: no output is {expected} for tend.yaml's {task.ToString().ToLowerInvariant()} task; outputs: {string.Join(", ", outputs.Select(o => $"{o.Key} ({Describe(o.Value)})"))}");
    }

    private static string Describe(NodeMetadata node) => node.IsTensor
        ? $"a {node.ElementDataType.ToString().ToLowerInvariant()} tensor [{string.Join(", ", node.Dimensions.Select(d => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]"
        : $"a {node.OnnxValueType.ToString().ToLowerInvariant().Replace("onnx_type_", "")}";
}
