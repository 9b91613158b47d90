using Tend.Core.Spec;
using Tend.Training.Trainers;

namespace Tend.Training.Search;

/// <summary>One configuration a search tries: its number (the order it was drawn in) and the trainer with its params.</summary>
public sealed record SearchTrial(int Number, TrainerSpec Trainer);

/// <summary>
/// What a search will try, decided before any training: the configurations, drawn with the split's seed, and the share
/// of the training rows each successive-halving rung fits on (the last rung is all of them).
/// </summary>
public sealed record SearchPlan(IReadOnlyList<SearchTrial> Trials, IReadOnlyList<double> RungFractions)
{
    /// <summary>
    /// Round-robin over the trainers; each trainer's first trial is its configuration in tend.yaml (the default a plain
    /// <c>tend train</c> fits), the rest draw every searched hyperparameter the yaml does not fix, uniformly (on a log
    /// scale where the range says so).
    /// </summary>
    public static SearchPlan Of(ProjectSpec spec, int trials, int fitRows)
    {
        var random = new Random(spec.Split.Seed);
        var chosen = new List<SearchTrial>();
        for (var n = 0; n < trials; n++)
        {
            var trainer = spec.Train.Trainers[n % spec.Train.Trainers.Count];
            if (n < spec.Train.Trainers.Count)
            {
                chosen.Add(new SearchTrial(n, trainer));
                continue;
            }
            var values = new Dictionary<string, double>(trainer.Options);
            foreach (var range in TrainerCatalog.Find(spec.Task, trainer.Name).Space)
            {
                var draw = random.NextDouble();
                if (!trainer.Options.ContainsKey(range.Name))
                    values[range.Name] = Draw(range, draw);
            }
            chosen.Add(new SearchTrial(n, trainer with { Options = values }));
        }
        return new SearchPlan(chosen, Rungs(trials, fitRows, spec.Train.SearchOrDefault));
    }

    /// <summary>
    /// As many rungs as halving allows: each keeps the best 1/eta on eta times the rows, the first fits on at least
    /// <c>min_rows</c> rows, and the last still has a trial left. Small data or few trials: one rung, a plain random search.
    /// </summary>
    public static IReadOnlyList<double> Rungs(int trials, int fitRows, SearchSpec search)
    {
        var rungs = 1;
        while (Math.Pow(search.Eta, rungs) <= trials && fitRows / Math.Pow(search.Eta, rungs) >= search.MinRows)
            rungs++;
        return Enumerable.Range(0, rungs).Select(r => Math.Pow(search.Eta, r - (rungs - 1))).ToList();
    }

    private static double Draw(ParamRange range, double u)
    {
        var value = range.Log
            ? Math.Exp(Math.Log(range.Min) + u * (Math.Log(range.Max) - Math.Log(range.Min)))
            : range.Min + u * (range.Max - range.Min);
        return range.Integer ? Math.Round(value) : Math.Round(value, 6);
    }
}
