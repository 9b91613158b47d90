using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Server;

/// <summary>Turns a <see cref="TendException"/> into ProblemDetails with the status its code maps to; malformed or unreadable JSON is a 400. Nothing a client sends yields a 500.</summary>
internal sealed partial class ErrorMiddleware(RequestDelegate next, ServingMetrics metrics, ILogger<ErrorMiddleware> logger)
{
    private const int MaxDetail = 2_000;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (TendException e)
        {
            await WriteAsync(context, e.Code.HttpStatus(), e.Code.ToString(), Phrase(e), e.Field is null ? null : new Dictionary<string, object?>
            {
                ["field"] = e.Field,
                ["choices"] = e.Choices,
                ["message"] = TextLimit.Excerpt(e.Message, MaxDetail), // the detail without the parameter's phrase, for a client that names the field its own way (the CLI's --option)
            });
        }
        catch (JsonException e)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "BadUsage", Malformed(e), FieldOf(e));
        }
        catch (BadHttpRequestException e) when (e.InnerException is JsonException json)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "BadUsage", Malformed(json), FieldOf(json));
        }
        catch (Exception e) when (Unreadable(e) is { } read)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "BadUsage", $"the JSON body holds a value that cannot be read: {read.Message}");
        }
        catch (InvalidOperationException e) when (e.TargetSite?.DeclaringType?.Name == "HttpRequestJsonExtensions" && e.InnerException is ArgumentException)
        {
            await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "BadUsage", e.Message); // a charset no encoding is known by
        }
        catch (AntiforgeryValidationException)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, "BadUsage", "the form's antiforgery token is missing or does not match this session: reload the page and send it again");
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(context, e.StatusCode, "BadUsage", e.Message.Contains("no body was provided", StringComparison.Ordinal) ? "the request needs a JSON body" : e.Message);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "unexpected failure serving {Path}", context.Request.Path);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "Unexpected", "unexpected server error; see the server log");
        }
    }

    /// <summary>
    /// What System.Text.Json throws as InvalidOperationException when a client's JSON is well formed but its value is
    /// not what was read from it: a string with invalid UTF-8 or a lone surrogate (<c>"\ud800"</c>), a number where a
    /// string is read, or the reverse. Only when thrown by the JSON reader or a parsed element, which hold client text.
    /// </summary>
    private static InvalidOperationException? Unreadable(Exception e) =>
        (e as InvalidOperationException ?? e.InnerException as InvalidOperationException) is { } read
        && read.TargetSite?.DeclaringType?.Namespace == "System.Text.Json"
        && read.StackTrace is { } trace && (trace.Contains("Utf8JsonReader", StringComparison.Ordinal) || trace.Contains("JsonElement", StringComparison.Ordinal))
            ? read : null;

    /// <summary>A body that did not read: where in it, and what was expected there (a bad enum lists its names; a null or missing field is named as the client spells it).</summary>
    private static string Malformed(JsonException e) =>
        NullField().Match(e.Message) is { Success: true } isNull ? $"field '{JsonNamingPolicy.SnakeCaseLower.ConvertName(isNull.Groups[1].Value)}' may not be null"
        : MissingFields().Match(e.Message) is { Success: true } missing ? $"required field missing: {missing.Groups[1].Value}"
        : e.Path is { Length: > 1 } path && !e.Message.Contains("Path:", StringComparison.Ordinal) ? $"malformed JSON at {path}: {e.Message}" : $"malformed JSON: {e.Message}";

    [GeneratedRegex("^The (?:constructor parameter|property or field) '([^']+)' on type '[^']+' doesn't allow (?:setting )?null values")]
    private static partial Regex NullField();

    [GeneratedRegex("was missing required properties including: (.+?)\\.?$")]
    private static partial Regex MissingFields();

    private static Dictionary<string, object?>? FieldOf(JsonException e) => e.Path is { Length: > 2 } path ? new() { ["field"] = path[2..] } : null;

    /// <summary>An error as an HTTP client reads it: the input it concerns named as the request's parameter or field.</summary>
    internal static string Phrase(TendException e) => e.Field is not { } field ? e.Message
        : $"{e.Message} (parameter '{field}'{(e.Choices.Count > 0 ? $": {string.Join(" | ", e.Choices)}" : "")})";

    /// <summary>Writes the problem; a detail that quotes a client's text whole (a 1 MB id, say) is cut to its start.</summary>
    private Task WriteAsync(HttpContext context, int status, string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        detail = TextLimit.Excerpt(detail, MaxDetail);
        var endpoint = (context.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? "(none)";
        metrics.Failed(endpoint, code, status);
        if (context.Response.HasStarted)
            return Task.CompletedTask;
        context.Response.Clear();
        context.Response.StatusCode = status;
        return Results.Problem(detail: detail, statusCode: status, title: code, extensions: extensions).ExecuteAsync(context);
    }
}
