using Tend.Core.Errors;

namespace Tend.Core.Pipelines;

/// <summary>
/// A pipeline's steps and what each needs first, checked to be a DAG: every step it needs is declared, and no step
/// needs itself through others. <see cref="Order"/> runs each step after all it needs, in declaration order where the
/// graph leaves a choice; <see cref="Downstream"/> is what a change to one step's inputs re-runs.
/// </summary>
public sealed class PipelineGraph
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _needs;

    private PipelineGraph(IReadOnlyDictionary<string, IReadOnlyList<string>> needs, IReadOnlyList<string> order) => (_needs, Order) = (needs, order);

    /// <summary>The steps, each after every step it needs.</summary>
    public IReadOnlyList<string> Order { get; }

    public IReadOnlyList<string> Needs(string step) => _needs.TryGetValue(step, out var needs) ? needs : throw TendException.NotFound($"no step '{step}' in the pipeline");

    /// <param name="steps">Each step's name and the steps it needs, in the order they are declared.</param>
    /// <param name="where">Where a step is declared, for errors (<c>tend.yaml:12</c>).</param>
    public static PipelineGraph Of(IReadOnlyList<(string Step, IReadOnlyList<string> Needs)> steps, Func<string, string> where)
    {
        var needs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (step, needed) in steps)
            if (!needs.TryAdd(step, needed))
                throw TendException.BadUsage($"{where(step)}: step '{step}' is declared twice");
        foreach (var (step, needed) in steps)
            foreach (var other in needed)
                if (!needs.ContainsKey(other))
                    throw TendException.BadUsage($"{where(step)}: step '{step}' needs '{other}', which is not a step of the pipeline; its steps: {string.Join(", ", needs.Keys)}");
        var order = new List<string>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: being visited, true: placed
        void Visit(string step, Stack<string> path)
        {
            if (state.TryGetValue(step, out var placed))
            {
                if (placed)
                    return;
                var cycle = path.Reverse().SkipWhile(s => s != step).Append(step);
                throw TendException.BadUsage($"{where(step)}: the steps need each other in a cycle: {string.Join(" → ", cycle)}");
            }
            state[step] = false;
            path.Push(step);
            foreach (var other in needs[step])
                Visit(other, path);
            path.Pop();
            state[step] = true;
            order.Add(step);
        }
        foreach (var (step, _) in steps)
            Visit(step, new Stack<string>());
        return new PipelineGraph(needs, order);
    }

    /// <summary><paramref name="step"/> and every step that needs it, directly or through others, in <see cref="Order"/>.</summary>
    public IReadOnlyList<string> Downstream(string step)
    {
        Needs(step);
        var reached = new HashSet<string>(StringComparer.Ordinal) { step };
        foreach (var other in Order)
            if (_needs[other].Any(reached.Contains))
                reached.Add(other);
        return Order.Where(reached.Contains).ToList();
    }

    /// <summary>Every step <paramref name="step"/> needs, directly or through others, in <see cref="Order"/>.</summary>
    public IReadOnlyList<string> Upstream(string step)
    {
        var reached = new HashSet<string>(Needs(step), StringComparer.Ordinal);
        foreach (var other in Order.Reverse())
            if (reached.Contains(other))
                reached.UnionWith(_needs[other]);
        return Order.Where(reached.Contains).ToList();
    }
}
