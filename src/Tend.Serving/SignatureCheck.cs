using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>How a request field is read: as a number, a boolean, a date, a category or text.</summary>
public enum FieldKind { Number, Boolean, Date, Category, Text }

/// <summary>
/// A request checked against the model's signature beyond type and presence: a null where the training data had
/// none is refused; a category the data never held is allowed and counted; a field that is not a feature is
/// ignored and counted, or refused when <paramref name="rejectUnknownFields"/>. One per request; what it looks up is
/// built once per model (<see cref="Fields"/>).
/// </summary>
public sealed class SignatureCheck(FeatureLayout layout, bool rejectUnknownFields = false)
{
    private static readonly ConditionalWeakTable<FeatureLayout, Fields> ByLayout = new();

    /// <summary>The features in order, each one's position and kind, and what the data held: the lookups of every request, made once per model.</summary>
    public Fields Signature { get; } = ByLayout.GetValue(layout, l => new Fields(l));

    public FeatureLayout Layout => layout;

    private static readonly IReadOnlyDictionary<string, int> None = new Dictionary<string, int>();
    private Dictionary<string, int>? _unknown, _unseen;

    /// <summary>Fields sent that are not features, with how many rows had each.</summary>
    public IReadOnlyDictionary<string, int> UnknownFields => _unknown ?? None;

    /// <summary>Per categorical feature, how many rows held a category the training data never did.</summary>
    public IReadOnlyDictionary<string, int> UnseenCategories => _unseen ?? None;

    public void Missing(string column, string where)
    {
        if (Signature.NeverMissing.Contains(column))
            throw TendException.BadUsage($"{where}field '{column}' is null, but the training data never left it missing; send a value");
    }

    public void Category(string column, string value)
    {
        if (Signature.Categories.TryGetValue(column, out var known) && !known.Contains(value))
            Count(_unseen ??= [], column);
    }

    public void Unknown(string field, string where)
    {
        if (rejectUnknownFields)
            throw TendException.BadUsage($"{where}field '{field}' is not a feature of the model; it takes: {string.Join(", ", layout.Features)} (the server refuses unknown fields)");
        Count(_unknown ??= [], field);
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    public sealed class Fields
    {
        public Fields(FeatureLayout layout)
        {
            Names = layout.Features.ToArray();
            Index = Names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
            Kinds = Names.Select(name =>
                layout.Numeric.Contains(name) ? FieldKind.Number
                : layout.Boolean.Contains(name) ? FieldKind.Boolean
                : layout.Dates.ContainsKey(name) ? FieldKind.Date
                : layout.Categorical.Contains(name) ? FieldKind.Category
                : FieldKind.Text).ToArray();
            NumbersOnly = Kinds.All(k => k is FieldKind.Number or FieldKind.Boolean);
            NeverMissing = (layout.NeverMissing ?? []).ToHashSet(StringComparer.Ordinal);
            Categories = (layout.KnownCategories ?? new Dictionary<string, IReadOnlyList<string>>()).ToDictionary(c => c.Key, c => c.Value.ToHashSet(StringComparer.Ordinal));
        }

        public string[] Names { get; }
        public Dictionary<string, int> Index { get; }
        public FieldKind[] Kinds { get; }
        public HashSet<string> NeverMissing { get; }
        public Dictionary<string, HashSet<string>> Categories { get; }

        public FieldKind KindOf(string column) => Kinds[Index[column]];

        /// <summary>The names as the log stores them, once for every record that has them.</summary>
        public FeatureSet Logged => field ??= new FeatureSet(Names);

        /// <summary>The names as UTF-8, to be compared with a request's field names where they lie.</summary>
        private byte[][] Utf8Names => field ??= Names.Select(Encoding.UTF8.GetBytes).ToArray();

        /// <summary>Whether every feature is a number or a boolean: a request's row then needs no text cells.</summary>
        public bool NumbersOnly { get; }

        /// <summary>
        /// The position of the feature whose name <paramref name="reader"/> is on, else -1. Clients mostly send the
        /// features in the model's order, so the one at <paramref name="expected"/> is compared first, in place; any
        /// other name is looked up.
        /// </summary>
        public int Find(ref Utf8JsonReader reader, int expected) =>
            expected < Names.Length && reader.ValueTextEquals(Utf8Names[expected]) ? expected
            : Index.TryGetValue(reader.GetString()!, out var k) ? k : -1;
    }
}
