using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

/// <summary>
/// A <see cref="RunQuery"/> as SQL. The first condition on a metric, param or tag drives the query from its table's
/// (key, value, run) index; the others are subqueries on their tables' indexes, and the runs table is read only for
/// attribute conditions and for the page itself. Ordering by the driving metric reads its index in order; any other
/// ordering by a metric, param or tag is a left join (runs without the key sort last); then newest first.
/// </summary>
internal sealed class RunQuerySql
{
    private readonly List<(string Name, object? Value)> _parameters = [];

    public RunQuerySql(RunQuery query)
    {
        var driver = query.Where.FirstOrDefault(c => c.Field.Kind != FieldKind.Attribute);
        var where = new List<string>();
        var from = "runs r";
        var runKey = "r.seq";
        if (driver is not null)
        {
            from = $"{Table(driver.Field.Kind)} d";
            runKey = "d.run";
            where.Add($"d.key = {Add(driver.Field.Name)} AND d.value {Operator(driver)} {Value(driver)}");
        }
        var attributes = new List<string>();
        if (query.Project is not null)
            attributes.Add($"r.project = {Add(query.Project)}");
        if (query.Readable is { } readable)
            attributes.Add(readable.Count == 0 ? "1 = 0" : $"r.project IN ({string.Join(", ", readable.Order().Select(Add))})");
        foreach (var condition in query.Where.Where(c => c != driver))
            (condition.Field.Kind == FieldKind.Attribute ? attributes : where).Add(Condition(condition, runKey));
        where.AddRange(attributes);
        var runs = driver is null ? "" : " JOIN runs r ON r.seq = d.run";
        var joins = new List<string>();
        var order = new List<string>();
        foreach (var (field, descending) in query.OrderBy)
        {
            var direction = descending ? "DESC" : "ASC";
            if (driver is not null && field == driver.Field && order.Count == 0)
                order.Add($"d.value {direction}"); // every row has it (the condition holds), read in index order
            else
            {
                var column = field.Kind == FieldKind.Attribute ? $"r.{field.Name}" : Join(joins, field);
                order.Add($"{column} IS NULL, {column} {direction}");
            }
        }
        order.Add("r.started DESC, r.id");
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        Count = $"SELECT COUNT(*) FROM {from}{(attributes.Count > 0 ? runs : "")}{filter}";
        Page = $"SELECT r.seq, r.body FROM {from}{runs}{string.Concat(joins)}{filter} ORDER BY {string.Join(", ", order)} LIMIT {query.Limit} OFFSET {query.Offset}";
    }

    public string Count { get; }
    public string Page { get; }
    public (string Name, object? Value)[] Parameters => [.. _parameters];

    private string Condition(RunCondition c, string runKey) => c.Field.Kind switch
    {
        FieldKind.Attribute when c.Field.Name == "status" => $"r.status {Operator(c)} {Add(c.Text!.ToLowerInvariant())}",
        FieldKind.Attribute => $"r.{c.Field.Name} {Operator(c)} {Add(c.Text)}",
        _ => $"{runKey} IN (SELECT run FROM {Table(c.Field.Kind)} WHERE key = {Add(c.Field.Name)} AND value {Operator(c)} {Value(c)})",
    };

    private static string Operator(RunCondition c) => c.Operator == "like" ? "LIKE" : c.Operator;

    private string Value(RunCondition c) => Add(c.Number is { } n ? n : c.Text);

    private string Join(List<string> joins, RunField field)
    {
        var alias = $"o{joins.Count}";
        joins.Add($" LEFT JOIN {Table(field.Kind)} {alias} ON {alias}.run = r.seq AND {alias}.key = {Add(field.Name)}");
        return $"{alias}.value";
    }

    private static string Table(FieldKind kind) => kind switch
    {
        FieldKind.Metric => "run_metrics",
        FieldKind.Param => "run_params",
        _ => "run_tags",
    };

    private string Add(object? value)
    {
        var name = $"@q{_parameters.Count}";
        _parameters.Add((name, value));
        return name;
    }
}
