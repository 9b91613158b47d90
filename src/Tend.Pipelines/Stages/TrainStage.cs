using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Models;
using Tend.Training.Tracking;
using Tend.Training.Trainers;

namespace Tend.Pipelines.Stages;

/// <summary>Trains the spec's first trainer on a dataset version and tracks it as a run: params, holdout metrics, the model artifact, the data version and the environment.</summary>
public static class TrainStage
{
    /// <summary>Fits <paramref name="trainer"/> (default: tend.yaml's first trainer) on the dataset version (default: the newest).</summary>
    public static async Task<Run> RunAsync(Workspace ws, string? datasetReference, CancellationToken ct, TrainerSpec? trainer = null)
    {
        var spec = ws.Spec;
        TrainerCatalog.Check(spec);
        trainer ??= spec.Trainer;
        var dataset = await ws.Datasets.GetAsync(datasetReference ?? spec.Name, ct);
        var run = Run.Start(spec.Name, dataset.Reference, Params(spec, trainer), RunEnvironment.Capture(ws.Root));
        return await TrackAsync(ws, run, async () => await FitAsync(ws, run, await TrainingData.LoadAsync(ws, dataset, ct), trainer, ct),
            r => $"trained {trainer.Name} on {dataset.Reference}: {Summary(spec, r)}", ct);
    }

    /// <summary>The params prefix of an option the trainer chose from the data (early stopping's rounds); not "trainer.": a refit chooses again, on its own data.</summary>
    public const string Chosen = "chosen.";

    /// <summary>The trainer and options a run fitted, as <see cref="Params"/> recorded them.</summary>
    internal static TrainerSpec TrainerOf(Run run) => new(run.Params["trainer"], run.Params
        .Where(p => p.Key.StartsWith("trainer.", StringComparison.Ordinal))
        .ToDictionary(p => p.Key["trainer.".Length..], p => double.Parse(p.Value, CultureInfo.InvariantCulture)));

    /// <summary>Fits the trainer on the holdout's training rows, scores it on its test rows, and stores the model and the profile of its predictions.</summary>
    internal static async Task<Run> FitAsync(Workspace ws, Run run, TrainingData data, TrainerSpec trainer, CancellationToken ct)
    {
        var model = ModelTrainer.Fit(data.Holdout.Train, data.Layout, ws.Spec, trainer, ct);
        var metrics = HoldoutEvaluator.Evaluate(model, data.Holdout.Test);
        var buffer = new MemoryStream();
        model.Save(buffer);
        var artifact = await SaveAsync(ws, "models", ".zip", buffer.ToArray(), ct);
        var predictions = PredictionProfile.Of(model.Predict(data.Table), data.Layout.Task);
        var predictionProfile = await SaveAsync(ws, "profiles", ".json", Encoding.UTF8.GetBytes(TendJson.Serialize(predictions)), ct);
        var parameters = new Dictionary<string, string>(run.Params.Concat(data.Holdout.Record.Params()))
        {
            ["features"] = string.Join(",", data.Layout.Features),
            ["ignored_columns"] = string.Join(",", data.Layout.Ignored),
            ["positive_class"] = data.Layout.PositiveClass ?? "",
        };
        foreach (var (name, value) in model.Chosen)
            parameters[Chosen + name] = value.ToString(CultureInfo.InvariantCulture);
        return run with
        {
            Status = RunStatus.Finished,
            Ended = DateTimeOffset.UtcNow,
            Params = parameters,
            Metrics = metrics,
            Artifacts = new Dictionary<string, string>(run.Artifacts) { ["model"] = artifact, [PredictionProfile.ArtifactKey] = predictionProfile },
        };
    }

    /// <summary>
    /// Saves the run as running, does the work with the run's heartbeat beating, and saves how it ended, audited:
    /// finished (with the summary), failed with the error, or killed when cancelled.
    /// </summary>
    internal static async Task<Run> TrackAsync(Workspace ws, Run run, Func<Task<Run>> work, Func<Run, string> summary, CancellationToken ct)
    {
        Run ended;
        var heartbeat = await RunHeartbeat.StartAsync(ws.Store.Runs, run, ws.Time, ct);
        try
        {
            await using (heartbeat)
                ended = await work();
        }
        catch (OperationCanceledException)
        {
            await ws.Store.Runs.SaveAsync(run.End(RunStatus.Killed, "cancelled"), new AuditEntry(ws.Actor, "run.killed", run.Id, "cancelled"), CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await ws.Store.Runs.SaveAsync(run.End(RunStatus.Failed, e.Message), new AuditEntry(ws.Actor, "run.failed", run.Id, e.Message), CancellationToken.None);
            throw;
        }
        await ws.Store.Runs.SaveAsync(ended, new AuditEntry(ws.Actor, "run.finished", run.Id, summary(ended)), ct);
        return ended;
    }

    /// <summary>Stores content under its sha256, so the same bytes are stored once.</summary>
    internal static async Task<string> SaveAsync(Workspace ws, string folder, string extension, byte[] content, CancellationToken ct)
    {
        var path = $"{folder}/{Convert.ToHexStringLower(SHA256.HashData(content))}{extension}";
        await ws.Artifacts.PutAsync(path, new MemoryStream(content), ct);
        return path;
    }

    internal static Dictionary<string, string> Params(ProjectSpec spec, TrainerSpec trainer)
    {
        var parameters = new Dictionary<string, string>
        {
            ["task"] = spec.Task.ToString().ToLowerInvariant(),
            ["label"] = spec.Label,
            ["trainer"] = trainer.Name,
            ["seed"] = spec.Split.Seed.ToString(CultureInfo.InvariantCulture),
            ["test_fraction"] = spec.Split.TestFraction.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in trainer.Options)
            parameters[$"trainer.{name}"] = value.ToString(CultureInfo.InvariantCulture);
        return parameters;
    }

    internal static string Summary(ProjectSpec spec, Run run) =>
        $"{spec.Metric.Name} {run.Metrics[spec.Metric.Name].ToString("0.####", CultureInfo.InvariantCulture)}";
}

/// <summary>A dataset version loaded for training: the table, its holdout split and the feature layout.</summary>
internal sealed record TrainingData(Table Table, Holdout Holdout, FeatureLayout Layout)
{
    public static async Task<TrainingData> LoadAsync(Workspace ws, DatasetVersion dataset, CancellationToken ct)
    {
        var table = await ws.Datasets.LoadAsync(dataset, ct);
        var layout = FeatureLayout.From(dataset.Schema, ws.Spec, table.Column(table.IndexOf(ws.Spec.Label)));
        return new TrainingData(table, HoldoutSplit.Split(table, ws.Spec), layout);
    }
}
