using Tend.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Spec;

/// <summary>Reads and validates <c>tend.yaml</c>: an unknown key, a wrong type or a missing required key is an error naming the key and its line.</summary>
public static class SpecLoader
{
    public const string FileName = "tend.yaml";

    private static readonly string[] TopKeys = ["name", "description", "task", "label", "positive_class", "metric", "gates", "split", "train", "monitor", "data", "prepare", "protected_attributes", "approval", "promote", "evaluation", "deploy", "serving", "pipelines", "release"];

    public static ProjectSpec LoadFile(string path) => Parse(ReadFile(path), path);

    /// <summary>The text of the tend.yaml at <paramref name="path"/>.</summary>
    public static string ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw TendException.NotFound($"{path}: no such file; run 'tend init' to create one");

    /// <summary>The number of the first line whose indentation holds a tab, if any.</summary>
    private static int? TabIndented(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].TrimStart(' ').StartsWith('\t'))
                return i + 1;
        return null;
    }

    public static ProjectSpec Parse(string yaml, string file = FileName)
    {
        if (TabIndented(yaml) is { } tab) // the YAML parser reports these lines before, even at line 1
            throw TendException.BadUsage($"{file}:{tab}:1: a tab in the indentation; YAML indents with spaces only");
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var leftOpen = e.Start is { Line: > 1, Column: 1 } ? $" Found where line {e.Start.Line} starts: something on an earlier line is left open (a bracket or a quote)." : "";
            throw TendException.BadUsage($"{file}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.InnerException?.Message ?? e.Message}{leftOpen}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode rootNode)
            throw TendException.BadUsage($"{file}:1: expected a mapping with keys {string.Join(", ", TopKeys)}");

        var root = new YamlMap(file, "", rootNode, TopKeys);
        var task = ParseTask(root);
        var metricName = Metrics.DefaultFor(task);
        double bar = 0;
        if (root.Map("metric", ["name", "bar"]) is { } metric)
        {
            metricName = metric.String("name", required: true)!;
            EvaluationLoader.CheckMetric(metric, "name", metricName, task);
            bar = metric.Number("bar") ?? throw metric.Error("bar", "missing required key 'metric.bar'");
        }
        else
            throw root.Error("metric", "missing required key 'metric' (with 'name' and 'bar')");

        var protectedAttributes = EvaluationLoader.ProtectedAttributes(root);
        var gates = EvaluationLoader.Gates(root, task, protectedAttributes);

        var monitor = MonitorSpec.Load(root);
        var data = SectionLoader.Data(root);
        var train = SectionLoader.Train(root);

        var name = root.String("name", required: true)!;
        if (!Names.IsValid(name))
            throw root.Error("name", $"'name' {name} is not a valid name; use {Names.Rule}");

        return new ProjectSpec(
            Name: name,
            Description: root.String("description") ?? "",
            Task: task,
            Label: root.String("label", required: true)!,
            PositiveClass: root.String("positive_class"),
            Metric: new SuccessMetric(metricName, bar),
            Gates: gates,
            Split: SectionLoader.Split(root),
            Train: train,
            Monitor: monitor,
            Data: data,
            Prepare: SectionLoader.Prepare(root),
            ProtectedAttributes: protectedAttributes,
            Approval: EvaluationLoader.Approval(root),
            Evaluation: EvaluationLoader.Evaluation(root),
            Deploy: DeploySpec.Load(root),
            Serving: ServingSpec.Load(root),
            Promote: EvaluationLoader.Promote(root),
            Pipelines: PipelineLoader.Load(root, data, monitor, train),
            Release: ReleaseSpec.Load(root));
    }

    private static MlTask ParseTask(YamlMap root)
    {
        var text = root.String("task", required: true)!;
        return text switch
        {
            "binary" => MlTask.Binary,
            "multiclass" => MlTask.Multiclass,
            "regression" => MlTask.Regression,
            _ => throw root.Error("task", $"'task' must be one of: binary, multiclass, regression; got '{text}'"),
        };
    }
}
