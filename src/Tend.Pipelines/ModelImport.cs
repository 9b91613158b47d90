using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Pipelines.Stages;
using Tend.Training.Models;
using Tend.Training.Tracking;

namespace Tend.Pipelines;

/// <summary>
/// Registers a model trained elsewhere (ONNX) as the next version of the project's model. The import is a tracked run
/// of its own: the source file and its sha256, the binding, and the model package as its artifact. It has no metrics:
/// <c>tend evaluate</c> measures it as it does any version, and the gates decide whether it may become champion.
/// </summary>
public static class ModelImport
{
    public static async Task<ModelVersion> ImportAsync(Workspace ws, string path, OnnxImportOptions options, string? trainedOn, string description, CancellationToken ct)
    {
        if (!File.Exists(path))
            throw TendException.NotFound($"{path}: no such file");
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var model = OnnxImport.Read(bytes, path, ws.Spec, options);
        // The data it is monitored against: the version it trained on, else the project's newest (none while there is no data).
        var reference = trainedOn is not null ? await ws.Datasets.GetAsync(trainedOn, ct) : await ws.Store.Datasets.GetAsync(ws.Spec.Name, null, ct);
        var parameters = new Dictionary<string, string>
        {
            ["format"] = ModelPackage.Onnx, ["source"] = Path.GetFileName(path), ["source_sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ["task"] = ws.Spec.Task.ToString().ToLowerInvariant(), ["label"] = ws.Spec.Label,
            ["features"] = string.Join(",", model.Layout.Features), ["classes"] = string.Join(",", model.Layout.Classes),
            ["positive_class"] = model.Layout.PositiveClass ?? "",
        };
        var run = Run.Start(ws.Spec.Name, trainedOn is null ? "" : reference!.Reference, parameters, RunEnvironment.Capture(ws.Root), name: $"import {Path.GetFileName(path)}");
        var imported = await TrainStage.TrackAsync(ws, run, async () =>
        {
            var artifacts = new Dictionary<string, string>();
            var package = new MemoryStream();
            model.Save(package);
            artifacts["model"] = await TrainStage.SaveAsync(ws, "models", ".zip", package.ToArray(), ct);
            if (reference is not null)
                artifacts[PredictionProfile.ArtifactKey] = await TrainStage.SaveAsync(ws, "profiles", ".json",
                    Encoding.UTF8.GetBytes(TendJson.Serialize(await PredictionsAsync(ws, model, reference, path, ct))), ct);
            return run with { Status = RunStatus.Finished, Ended = DateTimeOffset.UtcNow, Artifacts = artifacts };
        }, _ => $"imported {path} ({ModelPackage.Onnx})", ct);
        return await ws.Registry.RegisterAsync(imported, ws.Actor, ct, description);
    }

    /// <summary>The data a version trained on, or for a model trained elsewhere on data Tend does not hold, the project's newest data version.</summary>
    public static string DataOf(string trainedOn, Workspace ws) => trainedOn.Length > 0 ? trainedOn : ws.Spec.Name;

    /// <summary>
    /// The profile of the model's predictions on the data it is monitored against, the reference of prediction drift.
    /// A graph that fails on the rows is refused here, not when first served.
    /// </summary>
    private static async Task<DataProfile> PredictionsAsync(Workspace ws, OnnxModel model, DatasetVersion reference, string path, CancellationToken ct)
    {
        var table = await ws.Datasets.LoadAsync(reference, ct);
        try
        {
            return PredictionProfile.Of(((IPredictor)model).Predict(table), ws.Spec.Task);
        }
        catch (OnnxRuntimeException e)
        {
            throw TendException.InvalidData($"{path}: the graph fails on the project's data: {e.Message}");
        }
    }
}
