using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

/// <summary>
/// A <see cref="RunQuery"/> as SQL: each condition a subquery on the key-value tables' (key, value) indexes, each
/// ordering by a metric, param or tag a left join (runs without the key sort last), then newest first.
/// </summary>
internal sealed class RunQuerySql
{
    private readonly List<(string Name, object? Value)> _parameters = [];

    public RunQuerySql(RunQuery query)
    {
        var where = new List<string>();
        if (query.Project is not null)
            where.Add($"r.project = {Add(query.Project)}");
        foreach (var condition in query.Where)
            where.Add(Condition(condition));
        var joins = new List<string>();
        var order = new List<string>();
        foreach (var (field, descending) in query.OrderBy)
        {
            var column = field.Kind == Core.Stores.FieldKind.Attribute ? $"r.{field.Name}" : Join(joins, field);
            order.Add($"{column} IS NULL, {column} {(descending ? "DESC" : "ASC")}");
        }
        order.Add("r.started DESC, r.id");
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        Count = $"SELECT COUNT(*) FROM runs r{filter}";
        Page = $"SELECT r.seq, r.body FROM runs r{string.Concat(joins)}{filter} ORDER BY {string.Join(", ", order)} LIMIT {query.Limit} OFFSET {query.Offset}";
    }

    public string Count { get; }
    public string Page { get; }
    public (string Name, object? Value)[] Parameters => [.. _parameters];

    private string Condition(RunCondition c)
    {
        var op = c.Operator == "like" ? "LIKE" : c.Operator;
        return c.Field.Kind switch
        {
            FieldKind.Attribute when c.Field.Name == "status" => $"r.status {op} {Add(c.Text!.ToLowerInvariant())}",
            FieldKind.Attribute => $"r.{c.Field.Name} {op} {Add(c.Text)}",
            _ => $"r.seq IN (SELECT run FROM {Table(c.Field.Kind)} WHERE key = {Add(c.Field.Name)} AND value {op} {Add(c.Number is { } n ? n : c.Text)})",
        };
    }

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
