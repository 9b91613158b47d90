// The Tend side of bench/quality.sh (issue 20, item 7): fits Tend's default trainer, exactly as `tend train` fits it,
// on the same 5 folds as quality_sklearn.py and prints one JSON line per dataset with the five test scores of the
// task's default metric. Usage: QualityBench WORK [NAME ...] [OPTION=VALUE ...]
// (an OPTION=VALUE sets an option of the default trainer, as tend.yaml train.params would, to compare a setting)   (WORK holds manifest.json, NAME.csv and NAME.folds)
using System.Text.Json;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Models;

var work = args[0];
var options = args.Where(a => a.Contains('=')).Select(a => a.Split('=')).ToDictionary(a => a[0], a => double.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture));
var only = args.Skip(1).Where(a => !a.Contains('=')).ToHashSet();
foreach (var dataset in JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "manifest.json"))).RootElement.EnumerateArray())
{
    var name = dataset.GetProperty("name").GetString()!;
    if (only.Count > 0 && !only.Contains(name))
        continue;
    var task = Enum.Parse<MlTask>(dataset.GetProperty("task").GetString()!, ignoreCase: true);
    var metric = Metrics.DefaultFor(task);
    var spec = new ProjectSpec(name, "", task, dataset.GetProperty("label").GetString()!, dataset.GetProperty("positive").GetString(),
        new SuccessMetric(metric, 0), [], new SplitSpec(), options.Count == 0 ? TrainSpec.Default : TrainSpec.Of(TrainerSpec.DefaultName, options), new MonitorSpec());
    var table = CsvReader.ReadFile(Path.Combine(work, name + ".csv"));
    var folds = File.ReadAllLines(Path.Combine(work, name + ".folds")).Select(int.Parse).ToArray();
    var scores = new List<double>();
    for (var k = 0; k < 5; k++)
    {
        var train = table.Select(Enumerable.Range(0, folds.Length).Where(i => folds[i] != k));
        var test = table.Select(Enumerable.Range(0, folds.Length).Where(i => folds[i] == k));
        var layout = FeatureLayout.From(SchemaInference.Infer(train), spec, train.Column(train.IndexOf(spec.Label)));
        var model = ModelTrainer.Fit(train, layout, spec, CancellationToken.None);
        scores.Add(HoldoutEvaluator.Evaluate(model, test)[metric]);
    }
    Console.WriteLine(JsonSerializer.Serialize(new { side = "tend", name, metric, scores }));
}
