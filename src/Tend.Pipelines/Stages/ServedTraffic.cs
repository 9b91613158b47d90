using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;
using Tend.Monitoring.Performance;
using Tend.Training.Features;
using Tend.Training.Models;
using static Tend.Pipelines.Stages.MonitorPerformance;

namespace Tend.Pipelines.Stages;

/// <summary>
/// What the served metrics need of a window of the prediction log, summed as its answered requests stream by, so the
/// memory does not grow with the window: the expected confusion matrix (CBPE) on every request, and on those whose
/// label came back beside the realized one; those labels' distribution; fairness counts per protected group. Only a
/// request whose label came back is kept, as two numbers (<see cref="Outcome"/>), for the live metric and its bootstrap
/// interval, which need every labelled request.
/// </summary>
internal sealed class ServedTraffic(FeatureLayout layout, ProjectSpec spec)
{
    private readonly List<Outcome> _labelled = [];
    private readonly ConfidenceBasedEstimate.Sums _expected = new(), _expectedOnLabelled = new(), _realized = new();
    private readonly StreamedColumn _labels = new(-1, PredictionProfile.TypeFor(layout.Task));
    private readonly MonitorFairness? _fairness = MonitorFairness.Applies(layout, spec) ? new MonitorFairness(layout, spec) : null;
    private int _rows, _withLabel;
    private bool _unscored;

    public void Add(PredictionRecord answered)
    {
        _rows++;
        var predicted = answered.Prediction == layout.PositiveClass;
        if (layout.Task == MlTask.Binary)
        {
            if (answered.Score is { } p)
                _expected.Expect(predicted, p);
            else
                _unscored = true;
        }
        if (answered.Feedback is { } label)
        {
            _withLabel++;
            _labels.Add(label);
            if (layout.Task == MlTask.Binary)
            {
                if (answered.Score is { } p)
                    _expectedOnLabelled.Expect(predicted, p);
                _realized.Count(predicted, label == layout.PositiveClass);
            }
            if (layout.Task != MlTask.Multiclass || layout.Classes.Contains(label))
                _labelled.Add(Outcome.Of(answered, layout));
        }
        _fairness?.Add(answered);
    }

    /// <summary>The requests whose label came back, each as two numbers (a multiclass one only with a label among the model's classes).</summary>
    public IReadOnlyList<Outcome> Labelled => _labelled;

    /// <summary>The labels that came back, as a window of the label column; null when none did.</summary>
    public DriftAnalysis.Window? Labels => _withLabel == 0 ? null
        : (name, type) => name == layout.Label && type == _labels.Type ? _labels.Result(_withLabel) : DriftAnalysis.Of(new Table([], []))(name, type);

    /// <summary>Binary classifiers whose every request logged its score: the metrics expected on every row, and estimate beside realized on the labelled ones.</summary>
    public PerformanceEstimate? Estimate() =>
        layout.Task != MlTask.Binary || _unscored || _rows == 0 ? null
        : _withLabel == 0 ? new PerformanceEstimate(_rows, _expected.Metrics(), 0, null, null)
        : new PerformanceEstimate(_rows, _expected.Metrics(), _withLabel, _expectedOnLabelled.Metrics(), _realized.Metrics());

    public IReadOnlyList<LiveFairness>? Fairness() => _fairness?.Result();
}
