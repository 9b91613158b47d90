using System.Globalization;

namespace Tend.Core.Spec;

/// <summary>
/// What a step of a declared pipeline does: a <c>command</c>, or one of Tend's own stages, given by its key and a value:
/// <list type="bullet">
/// <item><c>collect: SOURCE</c> — a source under data.sources (its feedback, for a feedback source) as a new dataset version;</item>
/// <item><c>ingest: PATH</c> — a file or folder of the project as a dataset version;</item>
/// <item><c>validate: true</c> — fails when that version broke the schema's rules (warnings pass);</item>
/// <item><c>train: true</c> or <c>train: TRAINER</c> (one of train.trainers) — a tracked training run on it;</item>
/// <item><c>search: true</c> or <c>search: TRIALS</c> — a hyperparameter search on it (train.search);</item>
/// <item><c>evaluate: true</c> — that run on the holdout rows, against the champion;</item>
/// <item><c>gate: true</c> — fails unless the evaluation passed tend.yaml's gates;</item>
/// <item><c>register: true</c> — the run as a new model version;</item>
/// <item><c>promote: true</c> — that version champion if tend.yaml's promote rule says it is better (or an approval request);</item>
/// <item><c>deploy: canary PERCENT</c> or <c>deploy: shadow</c> — that version beside the champion;</item>
/// <item><c>release: true</c> — a judged release of that version under tend.yaml's release: policy (automatic: within its cooldown and cap);</item>
/// <item><c>monitor: true</c> — tend.yaml's monitor, with its alert rules;</item>
/// <item><c>card: PATH</c> — that version's model card, as Markdown, written to PATH.</item>
/// </list>
/// A stage reads what the steps it needs (directly or through others) made: the nearest dataset, run, evaluation or
/// model version; without one, the newest dataset version and the champion.
/// </summary>
public static class StepKinds
{
    public const string Command = "command";

    public static readonly IReadOnlyList<string> BuiltIn = ["collect", "ingest", "validate", "train", "search", "evaluate", "gate", "register", "promote", "deploy", "release", "monitor", "card"];

    /// <summary>
    /// What a step's cache defaults to: on for what makes the same output from the same input (a command, data, training,
    /// an evaluation, a card); off for what acts on the world or only checks (validate, gate, register, promote, deploy, release, monitor).
    /// </summary>
    public static bool CachedByDefault(string kind) => kind is Command or "collect" or "ingest" or "train" or "search" or "evaluate" or "card";

    internal static (string Kind, string Argument) Load(YamlMap step, string name, DataSpec? data, TrainSpec train)
    {
        var kinds = BuiltIn.Prepend(Command).Where(step.Keys.Contains).ToList();
        if (kinds.Count != 1)
            throw step.Error(kinds.Count == 0 ? "name" : kinds[1], $"step '{name}' needs exactly one of: {Command}, {string.Join(", ", BuiltIn)}");
        var kind = kinds[0];
        var value = step.String(kind, required: true)!;
        string Wrong(string expected) => throw step.Error(kind, $"'{kind}' of step '{name}' must be {expected}; got '{value}'");
        switch (kind)
        {
            case "collect":
                if (data?.Sources.Any(s => s.Name == value) != true)
                    throw step.Error(kind, $"'collect' of step '{name}' names source '{value}', which is not under data.sources; {TriggerLoader.Named(data?.Sources.Select(s => s.Name) ?? [])}");
                break;
            case "ingest" or "card":
                PipelineLoader.CheckPath(step, kind, value);
                break;
            case "train":
                if (value != "true" && train.Trainers.All(t => t.Name != value))
                    Wrong($"true or one of train.trainers ({string.Join(", ", train.Trainers.Select(t => t.Name))})");
                break;
            case "search":
                if (value != "true" && !(int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var trials) && trials > 0))
                    Wrong("true or a number of trials above 0");
                break;
            case "deploy":
                if (value != "shadow" && !(value.StartsWith("canary ", StringComparison.Ordinal) && Percent(value) is > 0 and < 100))
                    Wrong("'canary PERCENT' (above 0, below 100) or 'shadow'");
                break;
            case Command:
                if (value.Trim().Length == 0)
                    Wrong("a shell command");
                break;
            default:
                if (value != "true")
                    Wrong("true");
                break;
        }
        return (kind, value);
    }

    /// <summary>The share of <c>canary PERCENT</c>; NaN when it is not a number.</summary>
    public static double Percent(string deploy) =>
        double.TryParse(deploy["canary ".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) ? percent : double.NaN;
}
