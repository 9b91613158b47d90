using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Training.Features;

namespace Tend.Training.Models;

/// <summary>
/// A model as stored: one zip holding the model in its own format (<c>mlnet-model.zip</c>, or <c>model.onnx</c> with
/// <c>onnx.json</c>) and the signature (<c>signature.json</c>). The entry present says which format it is. Every entry
/// gets one fixed time, so the same model is the same bytes, and so one content-addressed file.
/// </summary>
public static class ModelPackage
{
    public const string MlNet = "mlnet";
    public const string Onnx = "onnx";

    private const string SignatureEntry = "signature.json";

    /// <summary>
    /// Loads a registered version from the artifact store (buffered: a remote store's stream need not be seekable),
    /// refusing it when its bytes are not the ones registered (sha256).
    /// </summary>
    public static async Task<IPredictor> LoadAsync(IArtifactStore artifacts, ModelVersion version, CancellationToken ct)
    {
        var bytes = new MemoryStream();
        await using (var stream = await artifacts.GetAsync(version.Artifact, ct))
            await stream.CopyToAsync(bytes, ct);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        if (actual != version.Checksum)
            throw TendException.InvalidData($"model {version.Name}@{version.Version}: its file {version.Artifact} has sha256 {actual}, but {version.Checksum} was registered; the file changed, so it is not loaded");
        bytes.Position = 0;
        return Load(bytes);
    }

    public static IPredictor Load(Stream source)
    {
        using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        FeatureLayout layout;
        using (var reader = new StreamReader(zip.GetEntry(SignatureEntry)!.Open()))
            layout = TendJson.Deserialize<FeatureLayout>(reader.ReadToEnd());
        return zip.GetEntry(OnnxModel.ModelEntry) is not null ? OnnxModel.Load(zip, layout) : TrainedModel.Load(zip, layout);
    }

    /// <summary>The earliest time a zip can hold: a constant, unlike the clock.</summary>
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static void WriteSignature(ZipArchive zip, FeatureLayout layout) =>
        Write(zip, SignatureEntry, new UTF8Encoding(false).GetBytes(TendJson.Serialize(layout)), CompressionLevel.Optimal);

    internal static void Write(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = FixedTime;
        using var stream = entry.Open();
        stream.Write(content);
    }

    internal static byte[] ReadEntry(ZipArchive zip, string name)
    {
        using var entry = zip.GetEntry(name)!.Open();
        var content = new MemoryStream();
        entry.CopyTo(content);
        return content.ToArray();
    }
}
