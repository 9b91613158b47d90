using System.Runtime.CompilerServices;
using Tend.Core.Domain;
using Tend.Data.Tabular;

namespace Tend.Data.Schema;

/// <summary>
/// Infers one column's type while the rows stream past, in constant memory. The rules (docs/data.md):
/// <list type="number">
/// <item>all present values true/false (any case) → boolean;</item>
/// <item>all whole numbers → integer, unless one is written with a leading zero ("007", a code) → categorical or text;</item>
/// <item>all numbers → numeric;</item>
/// <item>all ISO 8601 dates or date-times → datetime;</item>
/// <item>otherwise text values: categorical when at most <see cref="MaxCategories"/> distinct values, each seen twice on
/// average (distinct ≤ half the present values); text beyond.</item>
/// </list>
/// A column with no value at all is text. Nullable when any value is missing.
/// </summary>
public sealed class ColumnInference(string name)
{
    /// <summary>The most levels a column can have and still be categorical (one-hot encodable).</summary>
    public const int MaxCategories = 100;

    private bool _boolean = true, _integer = true, _number = true, _date = true, _leadingZero;
    /// <summary>The distinct values seen, looked up by span so a repeated value costs no string.</summary>
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _distinct = new HashSet<string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    private bool _manyDistinct;
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;

    public string Name => name;
    public long Present { get; private set; }
    public long Missing { get; private set; }

    public void Add(string? cell) => Add(cell, cell is null);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<char> cell, bool missing)
    {
        if (missing)
        {
            Missing++;
            return;
        }
        Present++;
        if (!_manyDistinct && _distinct.Add(cell) && _distinct.Set.Count > MaxCategories)
        {
            _manyDistinct = true;
            _distinct.Set.Clear();
        }
        if (_number)
        {
            if (Cells.TryNumber(cell, out var number))
            {
                if (number < _min) _min = number;
                if (number > _max) _max = number;
                if (_integer && Cells.TryInteger(cell, out _))
                {
                    if (HasLeadingZero(cell))
                        _leadingZero = true;
                }
                else
                    _integer = false;
            }
            else
                _number = _integer = false;
        }
        if (_boolean && !Cells.TryBoolean(cell, out _))
            _boolean = false;
        if (_date && !Cells.TryDateTime(cell, out _))
            _date = false;
    }

    public ColumnSchema Result()
    {
        var nullable = Missing > 0;
        if (Present == 0)
            return new ColumnSchema(name, ColumnType.Text, true);
        if (_boolean)
            return new ColumnSchema(name, ColumnType.Boolean, nullable);
        if (_integer && !_leadingZero)
            return new ColumnSchema(name, ColumnType.Integer, nullable, Min: _min, Max: _max);
        if (_number && !_leadingZero)
            return new ColumnSchema(name, ColumnType.Numeric, nullable, Min: _min, Max: _max);
        if (_date && !_number)
            return new ColumnSchema(name, ColumnType.DateTime, nullable);
        return !_manyDistinct && _distinct.Set.Count <= Math.Max(2, Present / 2)
            ? new ColumnSchema(name, ColumnType.Categorical, nullable, Domain: _distinct.Set.Order(StringComparer.Ordinal).ToList())
            : new ColumnSchema(name, ColumnType.Text, nullable);
    }

    private static bool HasLeadingZero(ReadOnlySpan<char> cell)
    {
        var digits = cell.TrimStart("+-");
        return digits.Length > 1 && digits[0] == '0';
    }
}
