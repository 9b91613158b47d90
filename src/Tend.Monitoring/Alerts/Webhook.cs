using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Monitoring.Alerts;

/// <summary>
/// Posts an alert as JSON (the alert's own fields, snake_case) to the configured address, signed: <c>X-Tend-Timestamp</c>
/// (Unix seconds) and <c>X-Tend-Signature: v1=HEX</c>, the HMAC-SHA256 of <c>TIMESTAMP.BODY</c> under the configured
/// key, so a receiver can check who sent it and refuse a replay (docs/monitoring.md). Each attempt gets the configured
/// timeout; a failure (no answer in time, a refused connection, any status outside 2xx) is retried after 0.5 s, 1 s,
/// 2 s, … (on <paramref name="time"/>'s clock) up to the configured number of retries. The result says how it went,
/// naming the address by its reference (never the address, which may hold a token); it never throws.
/// </summary>
public sealed class Webhook(HttpClient http, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public const string Channel = "webhook";
    public const string TimestampHeader = "X-Tend-Timestamp";
    public const string SignatureHeader = "X-Tend-Signature";

    public async Task<AlertDelivery> PostAsync(Alert alert, WebhookSpec spec, CancellationToken ct)
    {
        Uri url;
        byte[] key;
        try
        {
            url = Uri.TryCreate(spec.Url.Resolve(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed
                : throw TendException.InvalidData($"{spec.Url} does not hold an http or https address");
            key = Encoding.UTF8.GetBytes(spec.Secret.Resolve());
        }
        catch (TendException e)
        {
            return new AlertDelivery(Channel, false, 0, e.Message);
        }
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(alert, TendJson.Options);
        string? error = null;
        for (var attempt = 1; attempt <= spec.Retries + 1; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(TimeSpan.FromSeconds(0.5 * (1 << (attempt - 2))), _time, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(spec.TimeoutSeconds)); // the attempt's own limit: real time, as the network's
            try
            {
                using var request = Signed(url, body, key, _time.GetUtcNow());
                using var response = await http.SendAsync(request, timeout.Token);
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
                error = $"{spec.Url}: {(e.InnerException as WebhookTargetException)?.Message ?? Failure(e.HttpRequestError)}";
            }
        }
        return new AlertDelivery(Channel, false, spec.Retries + 1, error);
    }

    /// <summary>What went wrong, without the exception's message (which quotes the address).</summary>
    private static string Failure(HttpRequestError error) => error switch
    {
        HttpRequestError.ConnectionError => "could not connect",
        HttpRequestError.NameResolutionError => "its host name did not resolve",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        _ => $"the request failed ({error})",
    };

    /// <summary>The POST of <paramref name="body"/>, with its timestamp and the signature of <c>TIMESTAMP.BODY</c>.</summary>
    public static HttpRequestMessage Signed(Uri url, byte[] body, byte[] key, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, "v1=" + Signature(key, timestamp, body));
        return request;
    }

    /// <summary>HMAC-SHA256 of <c>TIMESTAMP.BODY</c>, lower-case hex: what a receiver computes to verify.</summary>
    public static string Signature(byte[] key, string timestamp, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, (byte[])[.. Encoding.UTF8.GetBytes(timestamp + "."), .. body]));
}
