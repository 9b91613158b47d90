namespace Tend.Serving;

/// <summary>A served model held for one request: it is not disposed before the lease is, even if the host lets it go meanwhile.</summary>
public readonly struct ModelLease(ServedModel model) : IDisposable
{
    public ServedModel Model => model;

    public void Dispose() => model.Dispose();
}
