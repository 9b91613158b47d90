using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Reports;
using Tend.Core.Spec;
using Tend.Evaluation;
using Tend.Evaluation.Reports;
using Tend.Pipelines.Stages;
using Tend.Registry;

namespace Tend.Pipelines.Cards;

/// <summary>
/// A model card (after Mitchell et al., "Model Cards for Model Reporting", 2019) for one registered version, written from
/// what Tend already knows: intended use from tend.yaml's description, the data and run from the lineage, metrics with
/// their interval, slices and fairness from the latest evaluation, limitations found in those, and the approvals and
/// alias moves. A document: Markdown for a repository, a self-contained HTML page (charts inline) to share.
/// </summary>
public sealed record ModelCard(Lineage Lineage, EvaluationRecord? Evaluation, EvaluationReport? Report, ProjectSpec Spec)
{
    public static async Task<ModelCard> BuildAsync(Workspace ws, ModelReference reference, CancellationToken ct)
    {
        var lineage = await Lineage.OfAsync(ws.Store, await ws.Registry.ResolveAsync(reference, ct), ct);
        var latest = lineage.Evaluations.LastOrDefault();
        return new ModelCard(lineage, latest, latest is null ? null : await EvaluateStage.LoadReportAsync(ws, latest, ct), ws.Spec);
    }

    public Document ToDocument()
    {
        var evaluation = Report is null
            ? [new Section("Evaluation", [new Text($"Not evaluated yet: run 'tend evaluate {Lineage.Model.Name}@{Lineage.Model.Version}'.")])]
            : EvaluationDocument.Sections(Report).Prepend(new Section("Evaluation",
                [new Text($"Evaluated {Time(Evaluation!.Created)} by {Evaluation.Actor} on {Report.Data}, {Report.Rows} rows: {Report.RowsNote}."), EvaluationDocument.Verdict(Report)]));
        return new($"Model card: {Lineage.Model.Name}@{Lineage.Model.Version}", [],
            [Details(), IntendedUse(), Data(), .. evaluation, Fairness(), Limitations(), Approvals(), .. Deployments()]);
    }

    private Section Details()
    {
        var (model, run) = (Lineage.Model, Lineage.Run);
        List<string[]> rows =
        [
            ["model", $"{model.Name} version {model.Version}"],
            ["task", $"{Spec.Task.ToString().ToLowerInvariant()}, predicting '{Spec.Label}'{(run.Params.GetValueOrDefault("positive_class") is { Length: > 0 } p ? $" (positive class '{p}')" : "")}"],
            ["trainer", run.Trainer],
            ["registered", $"{Time(model.Created)} by {Or(model.Actor, "(unknown)")}"],
            ["aliases", Or(string.Join(", ", model.Aliases), "none")],
            ["sha256", model.Checksum],
            ["run", run.Id],
            ["code", run.Environment.GetValueOrDefault("git_commit", "(not in git)")],
            ["environment", $"{run.Environment.GetValueOrDefault("dotnet", "?")}, ML.NET {run.Environment.GetValueOrDefault("microsoft.ml", "?")}"],
        ];
        rows.AddRange(model.Tags.Select(t => new[] { $"tag {t.Key}", t.Value }));
        return new Section("Model details", [new Text(Or(model.Description, "This version has no description.")), new Grid(["", ""], rows)]);
    }

    private Section IntendedUse() => new("Intended use",
    [
        new Text(Spec.StatedPurpose() ?? (string.IsNullOrWhiteSpace(Spec.Description) ? "Not stated: tend.yaml has no description."
            : "Not stated: tend.yaml's description is still the placeholder 'tend init' wrote.")),
        new Text($"Success, as tend.yaml defines it: {Spec.Metric.Name} {(Metrics.HigherIsBetter(Spec.Metric.Name) ? "≥" : "≤")} {N(Spec.Metric.Bar)}."),
    ]);

    private Section Data()
    {
        var p = Lineage.Run.Params;
        return new("Training data",
        [
            new Grid(["dataset version", "rows", "source", "added", "by"], Lineage.Datasets.Select(d => new[] { d.Reference, d.Rows.ToString(CultureInfo.InvariantCulture), d.Source, Time(d.Created), d.Actor }).ToList()),
            new Text($"Split: {p.GetValueOrDefault("split.method", "?")}, seed {p.GetValueOrDefault("seed", "?")}; {p.GetValueOrDefault("train_rows", "?")} rows trained on, {p.GetValueOrDefault("test_rows", "?")} held out."),
            new Text($"Features: {Or(p.GetValueOrDefault("features", ""), "none")}."),
        ]);
    }

    private Section Fairness() => new("Protected attributes", Spec.ProtectedAttributes.Count == 0
        ? [new Text("None are declared (tend.yaml protected_attributes), so fairness was not assessed.")]
        : [new Text($"Declared: {string.Join(", ", Spec.ProtectedAttributes)}. " + (Report is null ? "Not yet evaluated." : "Per-group figures are in the sections 'Fairness by …' above."))]);

    /// <summary>What the evidence says the model is weak at or was not checked for; each line comes from a figure above.</summary>
    private Section Limitations()
    {
        var notes = new List<string>();
        if (Lineage.Run.Params.GetValueOrDefault("ignored_columns") is { Length: > 0 } ignored)
            notes.Add($"The model does not see these columns: {ignored}.");
        if (Report is { } r)
        {
            var i = r.Interval;
            notes.Add($"The {r.Metric} of {N(i.Value)} is an estimate from {r.Rows} rows; its 95% interval is [{N(i.Low)}, {N(i.High)}].");
            if (Lineage.Datasets.FirstOrDefault()?.Reference == r.Data)
                notes.Add("It was evaluated on a holdout of the data it trained on, so this says nothing of data that has since changed; the monitor watches for that.");
            if (r.Slices.FirstOrDefault() is { } worst)
                notes.Add($"It does worst where {worst.Column} is {worst.Slice}: {r.Metric} {N(worst.Value)} on {worst.Rows} rows.");
            var minRows = Spec.EvaluationOrDefault.MinSliceRows;
            foreach (var (attribute, f) in r.Fairness)
            {
                var small = f.Groups.Where(g => g.Rows < minRows).Select(g => $"{g.Group} ({g.Rows})").ToList();
                if (f.DemographicParityRatio is < FourFifths and var ratio)
                    notes.Add($"By {attribute}, the lowest selection rate among groups compared is {N(ratio)} of the highest, below the four-fifths rule of thumb (US EEOC, 29 CFR 1607.4(D)).");
                if (small.Count > 0)
                    notes.Add($"{attribute}: groups with fewer than {minRows} evaluation rows are listed but not compared, so little is known of them: {string.Join(", ", small)}.");
            }
            notes.AddRange(r.Gates.Where(g => !g.Passed).Select(g => $"Gate not met: {g.Reason}."));
            if (r.MapeSkippedZeroLabels is > 0 and var zero)
                notes.Add($"MAPE leaves out the {zero} rows whose label is 0.");
        }
        else
            notes.Add("No evaluation is stored, so nothing is known of its quality on unseen rows.");
        if (Spec.Task == MlTask.Multiclass)
            notes.Add("Per-prediction explanations ('tend explain') are not available for multiclass models.");
        return new Section("Limitations", notes.Select(n => (Block)new Text(n)).ToList());
    }

    private Section Approvals() => new("Approvals and alias history",
    [
        Lineage.Approvals.Count == 0
            ? new Text("No approval requests.")
            : new Grid(["request", "alias", "asked by", "why", "status", "decided by", "decision"], Lineage.Approvals.Select(a => new[]
                { a.Id[..8], a.Alias, a.Requester, a.Reason + (a.Forced ? " (forced past failed gates)" : ""), a.Status.ToString().ToLowerInvariant(), a.Decider ?? "–", a.Decision ?? "–" }).ToList()),
        Lineage.AliasMoves.Count == 0
            ? new Text("No alias has pointed at this version.")
            : new Grid(["time", "alias", "from", "to", "kind", "by", "why"], Lineage.AliasMoves.Select(m => new[]
                { Time(m.Time), m.Alias, m.From?.ToString(CultureInfo.InvariantCulture) ?? "–", m.To.ToString(CultureInfo.InvariantCulture), m.Kind, m.Actor, m.Reason }).ToList()),
    ]);

    /// <summary>The "four-fifths rule": a selection rate under 80% of the highest group's is taken as evidence of adverse impact.</summary>
    private const double FourFifths = 0.8;

    private IEnumerable<Section> Deployments() => Lineage.Deployments.Count == 0 ? [] :
    [
        new Section("Deployments", [new Grid(["time", "change", "role", "by", "why"], Lineage.Deployments.Select(d => new[]
            { Time(d.Time), d.Action, d.Role is null ? "ended" : d.Percent is { } p ? $"{d.Role} on {p.ToString("0.##", CultureInfo.InvariantCulture)}%" : d.Role, d.Actor, d.Reason }).ToList())]),
    ];

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string N(double? value) => Figures.Number(value);

    private static string Or(string text, string otherwise) => string.IsNullOrWhiteSpace(text) ? otherwise : text;
}
