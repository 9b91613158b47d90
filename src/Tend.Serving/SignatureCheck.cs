using System.Runtime.CompilerServices;
using Tend.Core.Errors;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>
/// A request checked against the model's signature beyond type and presence: a null where the training data had
/// none is refused; a category the data never held is allowed and counted; a field that is not a feature is
/// ignored and counted, or refused when <paramref name="rejectUnknownFields"/>. One per request.
/// </summary>
public sealed class SignatureCheck(FeatureLayout layout, bool rejectUnknownFields = false)
{
    private static readonly ConditionalWeakTable<FeatureLayout, Dictionary<string, HashSet<string>>> Known = new();

    private Dictionary<string, HashSet<string>> KnownCategories =>
        Known.GetValue(layout, l => (l.KnownCategories ?? new Dictionary<string, IReadOnlyList<string>>()).ToDictionary(c => c.Key, c => c.Value.ToHashSet(StringComparer.Ordinal)));

    public FeatureLayout Layout => layout;

    /// <summary>Fields sent that are not features, with how many rows had each.</summary>
    public Dictionary<string, int> UnknownFields { get; } = [];

    /// <summary>Per categorical feature, how many rows held a category the training data never did.</summary>
    public Dictionary<string, int> UnseenCategories { get; } = [];

    public void Missing(string column, string where)
    {
        if (layout.NeverMissing?.Contains(column) == true)
            throw TendException.BadUsage($"{where}field '{column}' is null, but the training data never left it missing; send a value");
    }

    public void Category(string column, string value)
    {
        if (KnownCategories.TryGetValue(column, out var known) && !known.Contains(value))
            UnseenCategories[column] = UnseenCategories.GetValueOrDefault(column) + 1;
    }

    public void Unknown(string field, string where)
    {
        if (rejectUnknownFields)
            throw TendException.BadUsage($"{where}field '{field}' is not a feature of the model; it takes: {string.Join(", ", layout.Features)} (the server refuses unknown fields)");
        UnknownFields[field] = UnknownFields.GetValueOrDefault(field) + 1;
    }
}
