using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tend.Core.Domain;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Models;
using Tend.Training.Tracking;
using Tend.Training.Trainers;

namespace Tend.Pipelines.Stages;

/// <summary>Trains the spec's model on a dataset version and tracks it as a run: params, holdout metrics, the model artifact, the data version and the environment.</summary>
public static class TrainStage
{
    public static async Task<Run> RunAsync(Workspace ws, string? datasetReference, CancellationToken ct)
    {
        var spec = ws.Spec;
        TrainerCatalog.Check(spec);
        var dataset = await ws.Datasets.GetAsync(datasetReference ?? spec.Name, ct);
        var run = new Run(Guid.NewGuid().ToString("N"), spec.Name, RunStatus.Running, DateTimeOffset.UtcNow, null, dataset.Reference,
            Params(ws), new Dictionary<string, double>(), new Dictionary<string, string>(), RunEnvironment.Capture(ws.Root));
        await ws.Store.Runs.SaveAsync(run, null, ct);
        try
        {
            var table = await ws.Datasets.LoadAsync(dataset, ct);
            var (train, test, split) = HoldoutSplit.Split(table, spec);
            var layout = FeatureLayout.From(dataset.Schema, spec, table.Column(table.IndexOf(spec.Label)));
            var model = ModelTrainer.Fit(train, layout, spec, ct);
            var metrics = HoldoutEvaluator.Evaluate(model, test);
            var buffer = new MemoryStream();
            model.Save(buffer);
            var artifact = await SaveAsync(ws, "models", ".zip", buffer.ToArray(), ct);
            var predictions = PredictionProfile.Of(model.Predict(table), layout.Task);
            var predictionProfile = await SaveAsync(ws, "profiles", ".json", Encoding.UTF8.GetBytes(TendJson.Serialize(predictions)), ct);
            var parameters = new Dictionary<string, string>(run.Params.Concat(split.Params()))
            {
                ["features"] = string.Join(",", layout.Features),
                ["ignored_columns"] = string.Join(",", layout.Ignored),
                ["positive_class"] = layout.PositiveClass ?? "",
            };
            run = run with
            {
                Status = RunStatus.Finished, Ended = DateTimeOffset.UtcNow, Params = parameters, Metrics = metrics,
                Artifacts = new Dictionary<string, string> { ["model"] = artifact, [PredictionProfile.ArtifactKey] = predictionProfile },
            };
        }
        catch (Exception e)
        {
            await ws.Store.Runs.SaveAsync(run with { Status = RunStatus.Failed, Ended = DateTimeOffset.UtcNow, Error = e.Message },
                new AuditEntry(Workspace.Actor, "run.failed", run.Id, e.Message), CancellationToken.None);
            throw;
        }
        var primary = spec.Metric.Name;
        await ws.Store.Runs.SaveAsync(run, new AuditEntry(Workspace.Actor, "run.finished", run.Id,
            $"trained {spec.Trainer.Name} on {dataset.Reference}: {primary} {run.Metrics[primary].ToString("0.####", CultureInfo.InvariantCulture)}"), ct);
        return run;
    }

    /// <summary>Stores content under its sha256, so the same bytes are stored once.</summary>
    private static async Task<string> SaveAsync(Workspace ws, string folder, string extension, byte[] content, CancellationToken ct)
    {
        var path = $"{folder}/{Convert.ToHexStringLower(SHA256.HashData(content))}{extension}";
        await ws.Artifacts.PutAsync(path, new MemoryStream(content), ct);
        return path;
    }

    private static Dictionary<string, string> Params(Workspace ws)
    {
        var spec = ws.Spec;
        var parameters = new Dictionary<string, string>
        {
            ["task"] = spec.Task.ToString().ToLowerInvariant(),
            ["label"] = spec.Label,
            ["trainer"] = spec.Trainer.Name,
            ["seed"] = spec.Split.Seed.ToString(CultureInfo.InvariantCulture),
            ["test_fraction"] = spec.Split.TestFraction.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in spec.Trainer.Options)
            parameters[$"trainer.{name}"] = value.ToString(CultureInfo.InvariantCulture);
        return parameters;
    }
}
