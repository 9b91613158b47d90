using System.Net;

namespace Tend.Client;

/// <summary>The server refused a request (its status and problem detail), or it could not be reached for <see cref="TendClientOptions.RetryFor"/>.</summary>
public sealed class TendClientException(string message, HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}
