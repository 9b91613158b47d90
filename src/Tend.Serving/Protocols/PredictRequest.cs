using System.Text.Json;

namespace Tend.Serving.Protocols;

/// <summary>
/// A predict request as the endpoint read it off the wire, in the protocol it came in. The service routes it, then
/// <see cref="Read"/>s its rows against the signature of the version it routed to (versions may differ in their features),
/// naming the field of any mistake.
/// </summary>
public abstract record PredictRequest(string Model, int? Version, string? RoutingKey)
{
    /// <summary>Whether each row's per-column contributions are wanted too (the native protocol's <c>?explain=true</c>).</summary>
    public bool Explain { get; init; }

    public abstract RequestRows Read(SignatureCheck check);
}

/// <summary>Tend's own protocol: a JSON object of features, or an array of them, read straight from its bytes.</summary>
public sealed record NativeRequest(string Model, ReadOnlyMemory<byte> Body, string? RoutingKey) : PredictRequest(Model, null, RoutingKey)
{
    public override RequestRows Read(SignatureCheck check) => RequestReader.Read(Body, check);
}

/// <summary>Open Inference Protocol v2: tensors by input name. <see cref="Parsed"/> keeps the body once read, for the answer's parameters.</summary>
public sealed record OpenInferenceRequest(string Model, int? Version, ReadOnlyMemory<byte> Body, string? RoutingKey) : PredictRequest(Model, Version, RoutingKey)
{
    public JsonElement Parsed { get; private set; }

    public override RequestRows Read(SignatureCheck check) => RequestRows.Of(OpenInference.Read(Parsed = JsonBody.Parse(Body), check));
}

/// <summary>MLflow's scoring protocol as JSON: dataframe_split, dataframe_records, instances or inputs.</summary>
public sealed record MlflowJsonRequest(string Model, ReadOnlyMemory<byte> Body, string? RoutingKey) : PredictRequest(Model, null, RoutingKey)
{
    public override RequestRows Read(SignatureCheck check) => RequestRows.Of(JsonBody.Read(Body, root => MlflowScoring.ReadJson(root, check)));
}

/// <summary>MLflow's scoring protocol as CSV: a header of feature names, then rows.</summary>
public sealed record MlflowCsvRequest(string Model, string Text, string? RoutingKey) : PredictRequest(Model, null, RoutingKey)
{
    public override RequestRows Read(SignatureCheck check) => RequestRows.Of(MlflowScoring.ReadCsv(Text, check.Layout));
}
