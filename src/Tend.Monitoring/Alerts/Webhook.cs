using System.Net.Http.Json;
using Tend.Core.Domain;
using Tend.Core.Spec;

namespace Tend.Monitoring.Alerts;

/// <summary>
/// Posts an alert as JSON (the alert's own fields, snake_case) to the configured address. Each attempt gets the
/// configured timeout; a failure (no answer in time, a refused connection, any status outside 2xx) is retried after
/// 0.5 s, 1 s, 2 s, … (on <paramref name="time"/>'s clock) up to the configured number of retries. The result says how it
/// went; it never throws.
/// </summary>
public sealed class Webhook(HttpClient http, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public const string Channel = "webhook";

    public async Task<AlertDelivery> PostAsync(Alert alert, WebhookSpec spec, CancellationToken ct)
    {
        string? error = null;
        for (var attempt = 1; attempt <= spec.Retries + 1; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(TimeSpan.FromSeconds(0.5 * (1 << (attempt - 2))), _time, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(spec.TimeoutSeconds)); // the attempt's own limit: real time, as the network's
            try
            {
                using var response = await http.PostAsJsonAsync(spec.Url, alert, TendJson.Options, timeout.Token);
                if (response.IsSuccessStatusCode)
                    return new AlertDelivery(Channel, true, attempt);
                error = $"{spec.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"{spec.Url} did not answer within {spec.TimeoutSeconds:0.###} s";
            }
            catch (HttpRequestException e)
            {
                error = $"{spec.Url}: {e.Message}";
            }
        }
        return new AlertDelivery(Channel, false, spec.Retries + 1, error);
    }
}
