using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tend.Client;

/// <summary>Sends requests to the server, retrying transient failures with exponential backoff and jitter.</summary>
internal sealed class Transport(HttpClient http, TendClientOptions options)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public async Task<T> SendAsync<T>(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        using var response = await SendAsync(request, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    /// <summary>The response of the first attempt that is not a transient failure; a refusal (4xx) is thrown at once.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var delay = options.RetryDelay;
        while (true)
        {
            Exception failure;
            try
            {
                using var message = request(); // disposing it closes its content (an uploaded file) on every attempt
                var response = await http.SendAsync(message, ct);
                if (response.IsSuccessStatusCode)
                    return response;
                var detail = await response.Content.ReadAsStringAsync(ct);
                var error = new TendClientException($"{(int)response.StatusCode} {response.ReasonPhrase}: {Detail(detail)}", response.StatusCode);
                response.Dispose();
                if (!Transient(response.StatusCode))
                    throw error;
                failure = error;
            }
            catch (HttpRequestException e)
            {
                failure = e;
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = e; // the HttpClient's timeout
            }
            if (clock.Elapsed + delay > options.RetryFor)
                throw new TendClientException($"the Tend server did not answer successfully for {clock.Elapsed.TotalSeconds:0} s: {failure.Message}", null, failure);
            await Task.Delay(delay * (0.5 + Random.Shared.NextDouble() / 2), ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
        }
    }

    private static bool Transient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string Detail(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
