using System.Globalization;
using System.Text.Json;

namespace Tend.Core.Spec;

/// <summary>
/// When an alert fires: a value of the monitor report, alone (true when it is true) or compared with a number or a
/// boolean. The value is named by its path in the report's JSON: <c>dataset_drift</c>, <c>drift_share</c>,
/// <c>prediction_drift.value</c>, <c>performance.value</c>, <c>performance.concept_drift</c>, <c>quality.rejected_share</c>
/// (the error rate), <c>quality.latency_p99_ms</c>, <c>fairness.Marital.demographic_parity_difference</c> (an attribute
/// by its name), <c>features.Age.drifted</c>, <c>features.Age.details.missing_share</c> (a feature by its name, which
/// may hold dots: the longest name that matches). Examples: <c>dataset_drift</c>, <c>performance.value &lt; 0.9</c>,
/// <c>features.Income.value &gt;= 0.2</c>.
/// </summary>
public sealed record AlertCondition(IReadOnlyList<string> Path, string? Operator, JsonElement? Operand)
{
    /// <summary>The report's fields a condition may start from.</summary>
    public static readonly string[] Roots = ["dataset_drift", "drift_share", "current_rows", "reference_rows", "prediction_drift", "label_drift", "performance", "estimated", "quality", "fairness", "features"];
    private static readonly string[] Operators = ["<=", ">=", "==", "!=", "<", ">"];

    public static AlertCondition Parse(string text)
    {
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length is not (1 or 3))
            throw new FormatException($"expected PATH or PATH OPERATOR VALUE (e.g. \"performance.value < 0.9\"), got \"{text}\"");
        var segments = tokens[0].Split('.');
        if (!Roots.Contains(segments[0]))
            throw new FormatException($"'{segments[0]}' is not a value of the monitor report; start from one of: {string.Join(", ", Roots)}");
        if (segments[0] is "features" or "fairness" && segments.Length < 3)
            throw new FormatException($"a {segments[0]} value is {segments[0]}.NAME.FIELD, e.g. features.Age.drifted or fairness.Marital.demographic_parity_difference");
        if (tokens.Length == 1)
            return new AlertCondition(segments, null, null);
        if (!Operators.Contains(tokens[1]))
            throw new FormatException($"'{tokens[1]}' is not a comparison; use one of: {string.Join(" ", Operators)}");
        JsonElement operand;
        try
        {
            operand = JsonDocument.Parse(tokens[2]).RootElement;
        }
        catch (JsonException)
        {
            throw new FormatException($"'{tokens[2]}' is not a number, true or false");
        }
        if (operand.ValueKind is not (JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
            throw new FormatException($"'{tokens[2]}' is not a number, true or false");
        if (operand.ValueKind != JsonValueKind.Number && tokens[1] is not ("==" or "!="))
            throw new FormatException($"true and false compare with == or != only, not {tokens[1]}");
        return new AlertCondition(segments, tokens[1], operand);
    }

    /// <summary>Whether the condition holds on a report (as JSON), and the value it read (null when the report has none there).</summary>
    public (bool Holds, JsonElement? Value) Evaluate(JsonElement report)
    {
        var value = Find(report);
        if (value is not { } v)
            return (false, null);
        if (Operator is null)
            return (v.ValueKind == JsonValueKind.True, v);
        var operand = Operand!.Value;
        if (operand.ValueKind != JsonValueKind.Number)
            return (v.ValueKind is JsonValueKind.True or JsonValueKind.False && (v.ValueKind == operand.ValueKind) == (Operator == "=="), v);
        if (!TryNumber(v, out var x))
            return (false, v);
        var y = operand.GetDouble();
        return (Operator switch { "<" => x < y, "<=" => x <= y, ">" => x > y, ">=" => x >= y, "==" => x == y, _ => x != y }, v);
    }

    /// <summary>
    /// The value at the path. In an array (the features) the next segments name an element by its <c>name</c>; the
    /// longest run of segments that names one wins, so a feature's name may hold dots.
    /// </summary>
    private JsonElement? Find(JsonElement report)
    {
        var at = report;
        for (var i = 0; i < Path.Count; i++)
        {
            if (at.ValueKind == JsonValueKind.Array)
            {
                var (element, used) = Named(at, i);
                if (element is not { } found)
                    return null;
                (at, i) = (found, i + used - 1);
                continue;
            }
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(Path[i], out at))
                return null;
        }
        return at.ValueKind == JsonValueKind.Null ? null : at;
    }

    private (JsonElement? Element, int Used) Named(JsonElement array, int from)
    {
        for (var used = Path.Count - from - 1; used >= 1; used--)
        {
            var name = string.Join('.', Path.Skip(from).Take(used));
            foreach (var element in array.EnumerateArray())
                if (element.ValueKind == JsonValueKind.Object && (element.TryGetProperty("name", out var n) || element.TryGetProperty("attribute", out n)) && n.GetString() == name)
                    return (element, used);
        }
        return (null, 0);
    }

    /// <summary>A number, or NaN and the infinities as the report writes them (named literals).</summary>
    private static bool TryNumber(JsonElement value, out double number)
    {
        number = double.NaN;
        return value.ValueKind == JsonValueKind.Number ? value.TryGetDouble(out number)
            : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public override string ToString() => string.Join('.', Path) + (Operator is null ? "" : $" {Operator} {Operand!.Value.GetRawText()}");
}
