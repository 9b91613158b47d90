using Tend.Core.Domain;
using Tend.Core.Spec;

namespace Tend.Data.Schema;

/// <summary>How each of the <see cref="AnomalyKinds"/> is judged here: its default, or what <c>data.validation</c> in tend.yaml sets.</summary>
public sealed class ValidationRules(IReadOnlyDictionary<string, ValidationRule>? configured = null)
{
    /// <summary>The severity of a kind (null: off) and its bar.</summary>
    public (Severity? Severity, double Bar) For(string kind)
    {
        var (severity, bar, _) = AnomalyKinds.Defaults[kind];
        var rule = configured?.GetValueOrDefault(kind);
        Severity? chosen = rule?.Severity switch
        {
            "off" => null,
            "error" => Severity.Error,
            "warning" => Severity.Warning,
            _ => severity,
        };
        return (chosen, rule?.Bar ?? bar);
    }
}
