// Trains Tend's default trainer on a given train.csv and scores test.csv (the same rows scikit-learn used), timing the fit.
// Usage: TrainBench TRAIN.csv TEST.csv LABEL POSITIVE [TRAINER]   Prints one JSON line.
using System.Diagnostics;
using System.Text.Json;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Models;

var (train, test) = (CsvReader.ReadFile(args[0]), CsvReader.ReadFile(args[1]));
var trainer = args.Length > 4 ? args[4] : TrainerSpec.DefaultName;
var spec = new ProjectSpec("bench", "", MlTask.Binary, args[2], args[3], new SuccessMetric("auc", 0), [], new SplitSpec(),
    TrainSpec.Of(trainer), new MonitorSpec());
var layout = FeatureLayout.From(SchemaInference.Infer(train), spec, train.Column(train.IndexOf(spec.Label)));
var seconds = new List<double>();
IReadOnlyDictionary<string, double> metrics = null!;
for (var i = 0; i < 3; i++)
{
    var clock = Stopwatch.StartNew();
    var model = ModelTrainer.Fit(train, layout, spec, CancellationToken.None);
    seconds.Add(clock.Elapsed.TotalSeconds);
    metrics = HoldoutEvaluator.Evaluate(model, test);
}
Console.WriteLine(JsonSerializer.Serialize(new { trainer, train_rows = train.Rows.Count, test_rows = test.Rows.Count, fit_seconds = seconds, auc = metrics["auc"], f1 = metrics["f1"], log_loss = metrics["log_loss"] }));
