using System.Globalization;

namespace Tend.Core.Spec;

/// <summary>Writes a new, commented <c>tend.yaml</c> that <see cref="SpecLoader"/> reads back.</summary>
public static class SpecWriter
{
    public const string DefaultDescription = "What this model predicts, for whom, and why it matters.";

    public static string Render(string name, MlTask task, string label, string? positiveClass, double bar, string description = DefaultDescription)
    {
        var metric = Metrics.DefaultFor(task);
        var taskText = task.ToString().ToLowerInvariant();
        var positive = (task, positiveClass) switch
        {
            (MlTask.Binary, null) => "# positive_class: …   # the class whose probability is scored; default: the last label value in sorted order\n",
            (MlTask.Binary, _) => $"positive_class: {positiveClass}   # the class whose probability is scored (precision, recall, F1, AUC)\n",
            _ => "",
        };
        return $"""
            # tend.yaml: the problem this project solves. Every Tend command reads it.
            name: {name}
            description: "{description.Replace("\"", "'")}"

            # binary | multiclass | regression
            task: {taskText}
            # the column to predict
            label: {label}
            {positive}
            # What "good" means: the success metric and the bar a model must reach to become champion. `tend evaluate`
            # checks it with the gates below, and a version is promoted only when they all pass (registering checks nothing).
            # {taskText} metrics: {string.Join(", ", Metrics.For(task))}
            metric:
              name: {metric}
              bar: {bar.ToString(CultureInfo.InvariantCulture)}

            # Further quality gates (optional), checked by `tend evaluate`; a version becomes champion only when all pass
            # (docs/governance.md):
            # gates:
            #   - metric: {Metrics.For(task)[^1]}                 # absolute bounds
            #     max: 1.0
            #   - metric: {metric}                     # vs the champion, on the same rows
            #     max_drop_vs_champion: 0.01           # or min_gain_vs_champion, significantly_better_than_champion: true
            #   - fairness: demographic_parity_difference
            #     attribute: Gender
            #     max: 0.1
            #   - latency_p99_ms: 5
            #   - model_size_mb: 50
            # protected_attributes: [Gender]  # fairness is reported per group of each
            # approval: required              # champion moves need a second person's approval
            # promote: better                 # the pipeline promotes on any gain; default significantly_better: the gain's 95% interval excludes 0
            # evaluation:
            #   threshold: max_f1             # or precision: 0.9 / recall: 0.8 / fixed: 0.5, as a map
            #   min_slice_rows: 30

            # The holdout: rows assigned by a seeded hash of their content (or of a 'key' column), stratified on the label
            # for classification. Or by time ('by' a column, test from 'test_from'), or by 'group' (docs/data.md).
            split:
              test_fraction: {SplitSpec.DefaultTestFraction.ToString(CultureInfo.InvariantCulture)}
              seed: {SplitSpec.DefaultSeed}

            # Preparation (optional), fitted on the training rows and saved with the model (docs/data.md):
            # prepare:
            #   drop_duplicates: true
            #   impute:
            #     Income: median          # mean | median | most_frequent | constant
            #   normalize:
            #     Amount: z_score         # min_max | z_score
            #   encode:
            #     max_categories: 50      # one-hot up to this many levels, hashing above
            #   text: [Comment]
            #   dates:
            #     Opened: [year, month, day_of_week]

            # `tend trainers` lists the trainers of each task and their hyperparameters. `tend train` fits the first trainer;
            # A hyperparameter search tries configurations across all of them (docs/training.md).
            train:
              trainers: [{TrainerSpec.DefaultName}]
              # params:                     # hyperparameters fixed for a trainer; a search varies only the others
              #   {TrainerSpec.DefaultName}:
              #     number_of_iterations: 200
              # search:
              #   trials: 20
              #   folds: 3                  # k-fold cross-validation on the training rows; 1: one validation share
              #   time_budget_seconds: 600  # start no trial after this
              #   patience: 10              # stop once 10 trials in a row have not beaten the best

            # Serving (optional): `tend serve` and `tend deploy apply` set the deployment to this (docs/serving.md).
            # deploy:
            #   canary: challenger        # a version or an alias, beside the champion
            #   canary_percent: 10        # its share of requests (sticky per X-Tend-Routing-Key)
            #   shadow: 7                 # scores a copy of every request; logged, never answered
            #   unknown_fields: ignore    # or reject: a request field that is not a feature is a 400

            # Drift checks of `tend monitor run`: served traffic against the training data.
            monitor:
              p_value: {MonitorSpec.DefaultPValue.ToString(CultureInfo.InvariantCulture)}      # a test's p-value (corrected for testing many columns) below this: the column drifted
              drift_share: {MonitorSpec.DefaultDriftShare.ToString(CultureInfo.InvariantCulture)}     # the share of features that must drift for the dataset to drift (0: any one)
              # statistic: psi     # one statistic for every column it applies to; unset: KS, chi-square, z-test up to
                                   # 10,000 rows, then Wasserstein and Jensen-Shannon (docs/monitoring.md)
              # thresholds:        # distance statistics drift at or above: psi 0.2, wasserstein 0.1,
              #   psi: 0.25        # jensen_shannon 0.1, hellinger 0.1
              # schedule: "0 * * * *"   # tend serve runs the monitor on this cron (UTC) over `current`
              # current: last:24h
              # alerts:                 # checked after every run (docs/monitoring.md)
              #   - name: drift
              #     when: dataset_drift  # or e.g. performance.value < 0.85
              #     severity: critical
              #     cooldown: 6h
              #     retrain: true        # start the lifecycle pipeline
              # webhook:               # the address and the signing key are read from the environment or a file
              #   url: env:TEND_ALERT_WEBHOOK
              #   secret: env:TEND_ALERT_WEBHOOK_SECRET

            """;
    }
}
