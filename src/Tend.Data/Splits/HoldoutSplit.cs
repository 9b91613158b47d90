using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Preparation;
using Tend.Data.Tabular;

namespace Tend.Data.Splits;

/// <summary>
/// The spec's train/test split, decided for each row by a seeded hash of its key (<see cref="RowKey"/>), never by row
/// order: the same data and spec give the same assignment whatever order the rows come in, and identical rows always
/// land on the same side. Row-wise <c>prepare:</c> steps run first.
/// </summary>
public static class HoldoutSplit
{
    public static Holdout Split(Table table, ProjectSpec spec)
    {
        var (data, removed) = RowSteps.Apply(table, spec);
        var split = spec.Split;
        var key = KeyColumn(data, split.Key, "split.key");
        var label = data.IndexOf(spec.Label);
        var positions = data.Rows.Select(r => RowKey.Position(RowKey.Of(r, key), split.Seed)).ToArray();
        (string Method, bool?[] Test) assignment = split switch
        {
            { By: { } by } => ("time", ByTime(data, KeyColumn(data, by, "split.by"), split.TestFrom!)),
            { Group: { } group } => ("group", ByGroup(data, KeyColumn(data, group, "split.group"), split)),
            _ when split.Stratify && spec.Task != MlTask.Regression => ("stratified", Stratified(data, label, positions, split.TestFraction)),
            _ => ("random", positions.Select(p => (bool?)(p < split.TestFraction)).ToArray()),
        };
        var (method, test) = assignment;
        var train = data.Select(Enumerable.Range(0, data.Rows.Count).Where(i => test[i] is false));
        var testRows = data.Select(Enumerable.Range(0, data.Rows.Count).Where(i => test[i] is true));
        var unplaced = test.Count(t => t is null);
        if (train.Rows.Count == 0 || testRows.Rows.Count == 0)
            throw TendException.InvalidData($"the {method} split of {data.Rows.Count} rows leaves the {(train.Rows.Count == 0 ? "training" : "test")} set empty; "
                + (method == "time" ? $"choose a 'split.test_from' inside the range of '{split.By}'" : "add rows or change 'split.test_fraction'"));
        return new Holdout(train, testRows, new SplitRecord(method, split.Key ?? "row", train.Rows.Count, testRows.Rows.Count, unplaced,
            Digest(testRows, key), removed));
    }

    /// <summary>Within each label value, the rows with the lowest positions form the test set: each class keeps its share (round half to even).</summary>
    private static bool?[] Stratified(Table data, int label, double[] positions, double fraction)
    {
        var test = new bool?[data.Rows.Count];
        foreach (var rows in Enumerable.Range(0, data.Rows.Count).GroupBy(i => data.Rows[i][label], StringComparer.Ordinal))
        {
            var sorted = rows.Select(i => positions[i]).Order().ToArray();
            var count = (int)Math.Round(sorted.Length * fraction, MidpointRounding.ToEven);
            // Cut at a position, not a count: identical rows share a position and so a side.
            var cut = count >= sorted.Length ? double.PositiveInfinity : sorted[count];
            foreach (var i in rows)
                test[i] = positions[i] < cut;
        }
        return test;
    }

    /// <summary>Rows whose <c>by</c> value is at least <c>test_from</c> are the test set (compared as numbers, dates or text, as both parse); rows with no value are in neither.</summary>
    private static bool?[] ByTime(Table data, int column, string testFrom) =>
        data.Rows.Select(r => r[column] is { } value ? Compare(value, testFrom) >= 0 : (bool?)null).ToArray();

    /// <summary>A whole group falls on one side: the position of its value decides.</summary>
    private static bool?[] ByGroup(Table data, int column, SplitSpec split) =>
        data.Rows.Select(r => (bool?)(RowKey.Position(RowKey.Of(r, column), split.Seed) < split.TestFraction)).ToArray();

    private static int Compare(string value, string bound) =>
        Cells.TryNumber(value, out var a) && Cells.TryNumber(bound, out var b) ? a.CompareTo(b)
        : Cells.TryDateTime(value, out var x) && Cells.TryDateTime(bound, out var y) ? x.CompareTo(y)
        : string.CompareOrdinal(value, bound);

    private static int KeyColumn(Table data, string? name, string field)
    {
        if (name is null)
            return -1;
        var index = data.IndexOf(name);
        return index >= 0 ? index : throw TendException.InvalidData($"'{field}' names column '{name}', which is not in the data; columns: {string.Join(", ", data.Columns)}");
    }

    /// <summary>A fingerprint of which rows are in the test set, independent of row order.</summary>
    private static string Digest(Table test, int key)
    {
        var keys = test.Rows.Select(r => RowKey.Of(r, key)).Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', keys))))[..16];
    }
}

/// <summary>The two sides of a split and how they were drawn.</summary>
public sealed record Holdout(Table Train, Table Test, SplitRecord Record)
{
    public void Deconstruct(out Table train, out Table test) => (train, test) = (Train, Test);
}

/// <summary>
/// How a split was drawn, for the run's record: method, key, sizes, rows placed on neither side (no time value), a
/// fingerprint of the test rows, and what each row-wise preparation step removed.
/// </summary>
public sealed record SplitRecord(string Method, string Key, int TrainRows, int TestRows, int UnplacedRows, string TestDigest, IReadOnlyDictionary<string, int> Removed)
{
    public IEnumerable<KeyValuePair<string, string>> Params()
    {
        yield return new("split.method", Method);
        yield return new("split.key", Key);
        yield return new("train_rows", TrainRows.ToString(CultureInfo.InvariantCulture));
        yield return new("test_rows", TestRows.ToString(CultureInfo.InvariantCulture));
        if (UnplacedRows > 0)
            yield return new("split.unplaced_rows", UnplacedRows.ToString(CultureInfo.InvariantCulture));
        yield return new("split.test_digest", TestDigest);
        foreach (var (step, count) in Removed)
            yield return new($"prepare.removed.{step}", count.ToString(CultureInfo.InvariantCulture));
    }
}
