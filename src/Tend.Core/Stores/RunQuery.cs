using System.Globalization;
using Tend.Core.Errors;

namespace Tend.Core.Stores;

public enum FieldKind
{
    Metric,
    Param,
    Tag,
    Attribute,
}

/// <summary>What a run is filtered or ordered by: <c>metrics.auc</c>, <c>params.trainer</c>, <c>tags.team</c>, or an attribute (<see cref="RunQuery.Attributes"/>).</summary>
public sealed record RunField(FieldKind Kind, string Name)
{
    public override string ToString() => Kind switch
    {
        FieldKind.Metric => $"metrics.{Name}",
        FieldKind.Param => $"params.{Name}",
        FieldKind.Tag => $"tags.{Name}",
        _ => Name,
    };
}

/// <summary>One comparison: metrics against a number, everything else against text (times as ISO-8601 text).</summary>
public sealed record RunCondition(RunField Field, string Operator, string? Text, double? Number);

public sealed record RunOrder(RunField Field, bool Descending);

/// <summary>
/// A page of runs: those of <see cref="Project"/> (all projects when null) meeting every condition, in the given order
/// (newest first when none), <see cref="Limit"/> from <see cref="Offset"/>. <see cref="Parse"/> reads the text the CLI,
/// REST and web UI take: <c>metrics.auc &gt; 0.9 and params.trainer = 'lightgbm'</c>, ordered by <c>metrics.auc desc, started</c>.
/// </summary>
public sealed record RunQuery(string? Project, IReadOnlyList<RunCondition> Where, IReadOnlyList<RunOrder> OrderBy, int Offset = 0, int Limit = RunQuery.DefaultLimit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 10_000;

    /// <summary>Only runs of these projects (those the caller may read), besides <see cref="Project"/>; every project's when null.</summary>
    public IReadOnlySet<string>? Readable { get; init; }

    public static readonly IReadOnlyList<string> Attributes = ["id", "name", "status", "project", "dataset", "parent", "started", "ended"];
    private static readonly string[] Operators = ["=", "!=", "<", "<=", ">", ">=", "like"];

    public static RunQuery Parse(string? project, string? where, string? orderBy, int offset = 0, int limit = DefaultLimit)
    {
        if (offset < 0 || limit is < 1 or > MaxLimit)
            throw TendException.BadUsage($"offset must be ≥ 0 and limit between 1 and {MaxLimit}, got offset {offset} and limit {limit}");
        return new RunQuery(project, ParseWhere(where ?? ""), ParseOrder(orderBy ?? ""), offset, limit);
    }

    private static List<RunCondition> ParseWhere(string text)
    {
        var tokens = new Tokens(text, "where", "the filter");
        var conditions = new List<RunCondition>();
        while (!tokens.AtEnd)
        {
            if (conditions.Count > 0)
                tokens.Expect("and");
            var at = tokens.Position;
            var field = tokens.Field();
            var op = tokens.Next("an operator (" + string.Join(" ", Operators) + ")").ToLowerInvariant();
            if (!Operators.Contains(op))
                throw tokens.Error(at, $"expected an operator ({string.Join(" ", Operators)}) after {field}, got '{op}'");
            var (literal, quoted) = tokens.Literal();
            conditions.Add(Condition(tokens, at, field, op, literal, quoted));
        }
        return conditions;
    }

    private static RunCondition Condition(Tokens tokens, int at, RunField field, string op, string literal, bool quoted)
    {
        if (field.Kind == FieldKind.Metric)
        {
            if (quoted || op == "like" || !double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                throw tokens.Error(at, $"{field} is a number: compare it with = != < <= > >= and a finite number, got {op} {literal}");
            return new RunCondition(field, op, null, number);
        }
        var ordered = field is { Kind: FieldKind.Attribute, Name: "started" or "ended" };
        if (op is not ("=" or "!=" or "like") && !ordered)
            throw tokens.Error(at, $"{field} is text: compare it with = != or like (only metrics, started and ended are ordered), got {op}");
        if (field is { Kind: FieldKind.Attribute, Name: "status" } && op != "like" && !Enum.TryParse<Domain.RunStatus>(literal, ignoreCase: true, out _))
            throw tokens.Error(at, $"status is one of: {string.Join(", ", Enum.GetNames<Domain.RunStatus>().Select(n => n.ToLowerInvariant()))}; got '{literal}'");
        return new RunCondition(field, op, literal, null);
    }

    private static List<RunOrder> ParseOrder(string text)
    {
        var tokens = new Tokens(text, "order_by", "the ordering");
        var order = new List<RunOrder>();
        while (!tokens.AtEnd)
        {
            if (order.Count > 0)
                tokens.Expect(",");
            var field = tokens.Field();
            var descending = false;
            if (tokens.Peek() is { } direction && (direction.Equals("desc", StringComparison.OrdinalIgnoreCase) || direction.Equals("asc", StringComparison.OrdinalIgnoreCase)))
            {
                tokens.Next("asc or desc");
                descending = direction.Equals("desc", StringComparison.OrdinalIgnoreCase);
            }
            order.Add(new RunOrder(field, descending));
        }
        return order;
    }

    /// <summary>Words, quoted text, operators and commas, each with where it starts, for errors that point at it.</summary>
    private sealed class Tokens
    {
        private readonly string _text;
        private readonly string _field;
        private readonly string _what;
        private int _index;

        /// <summary>The tokens of <paramref name="text"/>, the value of <paramref name="field"/>, called <paramref name="what"/> in errors.</summary>
        public Tokens(string text, string field, string what)
        {
            _text = text;
            _field = field;
            _what = what;
            SkipSpace();
        }

        public bool AtEnd => _index >= _text.Length;
        public int Position => _index;

        public TendException Error(int at, string message) =>
            TendException.BadField(_field, $"{_what} at character {at + 1}: {message}");

        public string? Peek()
        {
            var save = _index;
            var token = AtEnd ? null : Read(out _);
            _index = save;
            return token;
        }

        public string Next(string expected)
        {
            if (AtEnd)
                throw Error(_index, $"expected {expected}, got the end");
            var token = Read(out _);
            SkipSpace();
            return token;
        }

        public void Expect(string word)
        {
            var at = _index;
            var token = Next($"'{word}'");
            if (!token.Equals(word, StringComparison.OrdinalIgnoreCase))
                throw Error(at, $"expected '{word}', got '{token}'");
        }

        public (string Text, bool Quoted) Literal()
        {
            if (AtEnd)
                throw Error(_index, "expected a value, got the end");
            var token = Read(out var quoted);
            SkipSpace();
            return (token, quoted);
        }

        public RunField Field()
        {
            var at = _index;
            var word = Next("a field (metrics.NAME, params.NAME, tags.NAME or " + string.Join(", ", Attributes) + ")");
            var dot = word.IndexOf('.');
            var (prefix, name) = dot < 0 ? (word, "") : (word[..dot], word[(dot + 1)..]);
            return prefix.ToLowerInvariant() switch
            {
                "metrics" or "metric" when name.Length > 0 => new RunField(FieldKind.Metric, name),
                "params" or "param" when name.Length > 0 => new RunField(FieldKind.Param, name),
                "tags" or "tag" when name.Length > 0 => new RunField(FieldKind.Tag, name),
                _ when dot < 0 && Attributes.Contains(word.ToLowerInvariant()) => new RunField(FieldKind.Attribute, word.ToLowerInvariant()),
                _ => throw Error(at, $"unknown field '{word}'; expected metrics.NAME, params.NAME, tags.NAME or one of: {string.Join(", ", Attributes)}"),
            };
        }

        private string Read(out bool quoted)
        {
            quoted = false;
            var c = _text[_index];
            if (c is '\'' or '"' or '`')
            {
                var end = _text.IndexOf(c, _index + 1);
                if (end < 0)
                    throw Error(_index, $"the text starting here has no closing {c}");
                var inner = _text[(_index + 1)..end];
                _index = end + 1;
                quoted = true;
                return inner;
            }
            var start = _index;
            if (c == ',')
            {
                _index++;
                return ",";
            }
            if (c is '=' or '<' or '>' or '!')
            {
                _index++;
                if (_index < _text.Length && _text[_index] == '=')
                    _index++;
                return _text[start.._index];
            }
            while (_index < _text.Length && !char.IsWhiteSpace(_text[_index]) && _text[_index] is not (',' or '=' or '<' or '>' or '!' or '\'' or '"'))
            {
                if (_text[_index] == '`')
                {
                    var end = _text.IndexOf('`', _index + 1);
                    if (end < 0)
                        throw Error(_index, "the name starting here has no closing `");
                    _index = end + 1;
                    continue;
                }
                _index++;
            }
            return _text[start.._index].Replace("`", "");
        }

        private void SkipSpace()
        {
            while (_index < _text.Length && char.IsWhiteSpace(_text[_index]))
                _index++;
        }
    }
}
