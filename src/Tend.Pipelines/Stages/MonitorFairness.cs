using System.Runtime.InteropServices;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Profiling;
using Tend.Data.Profiling.Sketches;
using Tend.Data.Tabular;
using Tend.Evaluation.Slicing;
using Tend.Monitoring.Drift;
using Tend.Training.Features;
using static Tend.Evaluation.Fairness.FairnessAnalysis;

namespace Tend.Pipelines.Stages;

/// <summary>
/// Fairness of served traffic for each protected attribute of tend.yaml that requests sent (binary classifiers):
/// selection rates per group from the predictions alone, and true and false positive rates per group where feedback
/// came back. Groups are drawn as evaluation slices are (<see cref="RowGroups"/>: a numeric attribute in quantile bins),
/// from counts tallied as the requests stream by: per distinct value up to <see cref="NumberDistribution.ExactLimit"/>
/// distinct numbers, where the bins are exact, then per one of <see cref="Buckets"/> buckets of equal counts.
/// </summary>
internal sealed class MonitorFairness(FeatureLayout layout, ProjectSpec spec)
{
    /// <summary>How many buckets an attribute's numbers are counted in once they have too many distinct values.</summary>
    public const int Buckets = 1000;

    private readonly Dictionary<string, Tally> _attributes = new(StringComparer.Ordinal);
    private int _labelled;

    public static bool Applies(FeatureLayout layout, ProjectSpec spec) => layout.Task == MlTask.Binary && spec.ProtectedAttributes.Count > 0;

    /// <summary>The fairness of <paramref name="records"/>, as adding them one at a time gives it; null where it does not apply.</summary>
    public static IReadOnlyList<LiveFairness>? Of(IEnumerable<PredictionRecord> records, FeatureLayout layout, ProjectSpec spec)
    {
        if (!Applies(layout, spec))
            return null;
        var fairness = new MonitorFairness(layout, spec);
        foreach (var record in records)
            fairness.Add(record);
        return fairness.Result();
    }

    /// <summary>Counts one answered request in the group of each protected attribute.</summary>
    public void Add(PredictionRecord record)
    {
        var predicted = record.Prediction == layout.PositiveClass;
        bool? positive = record.Feedback is null ? null : record.Feedback == layout.PositiveClass;
        if (positive is not null)
            _labelled++;
        foreach (var attribute in spec.ProtectedAttributes)
        {
            var sent = record.Features.ContainsKey(attribute);
            ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_attributes, attribute, out var existed);
            if (!existed)
                tally = new Tally(layout.Numeric.Contains(attribute));
            tally!.Add(sent ? record.Features.GetValueOrDefault(attribute) : null, predicted, positive, sent);
        }
    }

    public IReadOnlyList<LiveFairness>? Result()
    {
        var sent = spec.ProtectedAttributes.Where(a => _attributes.GetValueOrDefault(a)?.Sent == true).ToList();
        if (sent.Count == 0)
            return null;
        var minRows = spec.EvaluationOrDefault.MinSliceRows;
        return sent.Select(attribute =>
        {
            var groups = _attributes[attribute].Groups(spec.EvaluationOrDefault.SliceBins);
            var compared = groups.Where(g => g.Rows >= minRows).ToList();
            var labelled = groups.Where(g => g.LabelledRows >= minRows).ToList();
            return new LiveFairness(attribute, groups, Gap(compared, g => g.SelectionRate), Ratio(compared, g => g.SelectionRate), _labelled,
                Gap(labelled, g => g.TruePositiveRate), Max(Gap(labelled, g => g.TruePositiveRate), Gap(labelled, g => g.FalsePositiveRate)));
        }).ToList();
    }

    /// <summary>One attribute's requests, counted by value: a numeric one's numbers apart from its other cells.</summary>
    private sealed class Tally(bool numeric)
    {
        private readonly Dictionary<string, Counts> _cells = new(StringComparer.Ordinal); // by value; a numeric one's missing and unreadable cells
        private Dictionary<double, Counts> _numbers = [];
        private double[]? _bounds; // once there are too many distinct numbers: each bucket's least value

        public bool Sent { get; private set; }

        public void Add(string? cell, bool predicted, bool? positive, bool sent)
        {
            Sent |= sent;
            if (numeric && Cells.TryNumber(cell, out var value) && !double.IsNaN(value))
            {
                At(_numbers, Bucket(value == 0 ? 0 : value)).Add(predicted, positive); // -0 and 0 are one value
                if (_numbers.Count > NumberDistribution.ExactLimit)
                    Overflow();
            }
            else
                At(_cells, cell is null ? RowGroups.Missing
                    : _cells.Count >= StreamedWindow.MaxCategories && !_cells.ContainsKey(cell) ? StreamedWindow.OtherCategories : cell).Add(predicted, positive);
        }

        /// <summary>
        /// As <see cref="RowGroups.By"/> draws them: a numeric attribute's numbers in quantile bins, its other cells
        /// together as missing; any other attribute (or a numeric one without numbers) by value, in ordinal order.
        /// </summary>
        public List<GroupRates> Groups(int bins)
        {
            if (_numbers.Count == 0)
                return _cells.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Rates(c.Key)).ToList();
            var values = _numbers.Keys.Order().ToArray();
            var distribution = new Distribution(values, values.Select(v => (long)_numbers[v].Rows).ToArray(), _bounds is null);
            var edges = RowGroups.Edges(q => DistributionMath.Quantile(distribution, q), bins);
            var inBins = Enumerable.Range(0, edges.Length + 1).Select(_ => new Counts()).ToArray();
            foreach (var (value, counts) in _numbers)
                inBins[RowGroups.BinOf(edges, value)].Add(counts);
            var groups = inBins.Select((counts, k) => (counts, k)).Where(b => b.counts.Rows > 0).Select(b => b.counts.Rates(RowGroups.BinName(edges, b.k))).ToList();
            var missing = new Counts();
            foreach (var counts in _cells.Values)
                missing.Add(counts);
            if (missing.Rows > 0)
                groups.Add(missing.Rates(RowGroups.Missing));
            return groups;
        }

        private double Bucket(double value)
        {
            if (_bounds is null)
                return value;
            var at = Array.BinarySearch(_bounds, value);
            return _bounds[Math.Max(0, at >= 0 ? at : ~at - 1)];
        }

        /// <summary>Merges the distinct numbers into <see cref="Buckets"/> buckets of about equal counts, each named by its least value.</summary>
        private void Overflow()
        {
            var values = _numbers.Keys.Order().ToArray();
            var total = _numbers.Values.Sum(c => (long)c.Rows);
            var bounds = new List<double>();
            long seen = 0;
            foreach (var value in values)
            {
                if (seen >= total * bounds.Count / Buckets)
                    bounds.Add(value);
                seen += _numbers[value].Rows;
            }
            _bounds = [.. bounds];
            var merged = new Dictionary<double, Counts>();
            foreach (var (value, counts) in _numbers)
                At(merged, Bucket(value)).Add(counts);
            _numbers = merged;
        }

        private static Counts At<TKey>(Dictionary<TKey, Counts> counts, TKey key) where TKey : notnull =>
            CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _) ??= new Counts();
    }

    /// <summary>A group's requests: how many, how many predicted positive, and the same among those whose label came back.</summary>
    private sealed class Counts
    {
        public int Rows;
        private int _selected, _labelled, _positives, _positivesSelected, _negatives, _negativesSelected;

        public void Add(bool predicted, bool? positive)
        {
            Rows++;
            _selected += predicted ? 1 : 0;
            if (positive is not { } p)
                return;
            _labelled++;
            if (p)
                (_positives, _positivesSelected) = (_positives + 1, _positivesSelected + (predicted ? 1 : 0));
            else
                (_negatives, _negativesSelected) = (_negatives + 1, _negativesSelected + (predicted ? 1 : 0));
        }

        public void Add(Counts other)
        {
            Rows += other.Rows;
            _selected += other._selected;
            _labelled += other._labelled;
            (_positives, _positivesSelected) = (_positives + other._positives, _positivesSelected + other._positivesSelected);
            (_negatives, _negativesSelected) = (_negatives + other._negatives, _negativesSelected + other._negativesSelected);
        }

        public GroupRates Rates(string name) =>
            new(name, Rows, _selected / (double)Rows, _labelled,
                _positives == 0 ? null : _positivesSelected / (double)_positives,
                _negatives == 0 ? null : _negativesSelected / (double)_negatives);
    }
}
