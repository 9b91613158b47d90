using Tend.Core.Domain;

namespace Tend.Core.Spec;

/// <summary>Reads the <c>data:</c>, <c>prepare:</c> and <c>split:</c> sections of tend.yaml.</summary>
internal static class SectionLoader
{
    private static readonly string[] SourceKeys = ["name", "path", "sql", "connection", "feedback", "format", "delimiter", "encoding", "header", "append", "url", "checksum", "high_water_mark"];
    private static readonly string[] SqlOnlyKeys = ["checksum", "high_water_mark"];

    public static DataSpec? Data(YamlMap root)
    {
        if (root.Map("data", ["sources", "schema", "validation"]) is not { } data)
            return null;
        var sources = data.List("sources", SourceKeys).Select(s =>
        {
            var source = new SourceSpec(s.String("name", required: true)!, s.String("path"), s.String("sql"), s.String("connection"),
                s.String("format"), s.String("delimiter"), s.String("encoding"), s.Bool("header"), s.Bool("append") ?? false, s.Bool("feedback") ?? false,
                s.String("url"), s.String("checksum"), s.String("high_water_mark"));
            if (new[] { source.Path is not null, source.Sql is not null, source.Url is not null, source.Feedback }.Count(kind => kind) != 1)
                throw s.Error("name", $"source '{source.Name}' needs one of 'path', 'sql' (with 'connection'), 'url' or 'feedback: true'");
            if (source.Sql is not null && source.Connection is null)
                throw s.Error("sql", $"source '{source.Name}' has 'sql' but no 'connection'");
            foreach (var key in SqlOnlyKeys)
                if (s.Keys.Contains(key) && source.Sql is null)
                    throw s.Error(key, $"'{key}' of source '{source.Name}' belongs to a 'sql' source: it says how a change of the query's rows is seen");
            if (source.Checksum is not null && source.HighWaterMark is not null)
                throw s.Error("high_water_mark", $"source '{source.Name}' gives 'checksum' and 'high_water_mark'; give one");
            if (source.Url is not null && !(Uri.TryCreate(source.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
                throw s.Error("url", $"'url' of source '{source.Name}' must be an http:// or https:// address; got '{source.Url}'");
            return source;
        }).ToList();
        if (sources.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw data.Error("sources", $"source name '{twice.Key}' appears twice under 'data.sources'");

        var schema = new Dictionary<string, ColumnOverride>(StringComparer.Ordinal);
        if (data.OpenMap("schema") is { } columns)
            foreach (var name in columns.Keys)
            {
                var c = columns.Map(name, ["type", "nullable", "min", "max"])!;
                var type = c.String("type");
                if (type is not null && !ColumnTypes.TryParse(type, out _))
                    throw c.Error("type", $"'data.schema.{name}.type' must be one of: {string.Join(", ", Enum.GetValues<ColumnType>().Select(t => t.Text()))}; got '{type}'");
                schema[name] = new ColumnOverride(type, c.Bool("nullable"), c.Number("min"), c.Number("max"));
            }

        var validation = new Dictionary<string, ValidationRule>(StringComparer.Ordinal);
        if (data.Map("validation", AnomalyKinds.Defaults.Keys.ToList()) is { } rules)
            foreach (var kind in rules.Keys)
            {
                var r = rules.Map(kind, ["severity", "bar"])!;
                var severity = r.String("severity");
                if (severity is not null and not ("error" or "warning" or "off"))
                    throw r.Error("severity", $"'data.validation.{kind}.severity' must be one of: error, warning, off; got '{severity}'");
                validation[kind] = new ValidationRule(severity, r.Number("bar"));
            }
        return new DataSpec(sources, schema, validation);
    }

    public static PrepareSpec? Prepare(YamlMap root)
    {
        if (root.Map("prepare", ["drop_missing_label", "drop_duplicates", "impute", "clip", "normalize", "encode", "text", "dates"]) is not { } p)
            return null;
        var impute = new Dictionary<string, ImputeSpec>(StringComparer.Ordinal);
        if (p.OpenMap("impute") is { } imputes)
            foreach (var column in imputes.Keys)
            {
                var spec = imputes.IsMap(column) && imputes.Map(column, ["strategy", "value"]) is { } m
                    ? new ImputeSpec(m.String("strategy", required: true)!, m.String("value"))
                    : new ImputeSpec(imputes.String(column)!);
                if (!PrepareSpec.ImputeStrategies.Contains(spec.Strategy))
                    throw imputes.Error(column, $"'prepare.impute.{column}' must be one of: {string.Join(", ", PrepareSpec.ImputeStrategies)}; got '{spec.Strategy}'");
                if (spec.Strategy == "constant" && spec.Value is null)
                    throw imputes.Error(column, $"'prepare.impute.{column}' is constant: give the value, as {{strategy: constant, value: ...}}");
                impute[column] = spec;
            }

        var clip = new Dictionary<string, ClipSpec>(StringComparer.Ordinal);
        if (p.OpenMap("clip") is { } clips)
            foreach (var column in clips.Keys)
            {
                var c = clips.Map(column, ["lower", "upper"])!;
                var spec = new ClipSpec(c.Number("lower") ?? 0, c.Number("upper") ?? 1);
                if (spec.Lower < 0 || spec.Upper > 1 || spec.Lower >= spec.Upper)
                    throw clips.Error(column, $"'prepare.clip.{column}' needs quantiles 0 ≤ lower < upper ≤ 1, got {spec.Lower} and {spec.Upper}");
                clip[column] = spec;
            }

        var normalize = Choices(p.OpenMap("normalize"), "prepare.normalize", PrepareSpec.NormalizeKinds);
        EncodeSpec? encode = null;
        if (p.Map("encode", ["max_categories", "hash_bits", "columns"]) is { } e)
        {
            encode = new EncodeSpec(e.Integer("max_categories") ?? EncodeSpec.DefaultMaxCategories, e.Integer("hash_bits") ?? EncodeSpec.DefaultHashBits,
                Choices(e.OpenMap("columns"), "prepare.encode.columns", ["one_hot", "hashing"]));
            if (encode.MaxCategories < 1 || encode.HashBits is < 1 or > 20)
                throw e.Error("max_categories", "'prepare.encode' needs max_categories ≥ 1 and 1 ≤ hash_bits ≤ 20");
        }

        var dates = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (p.OpenMap("dates") is { } dateMap)
            foreach (var column in dateMap.Keys)
            {
                var parts = dateMap.Strings(column)!;
                if (parts.FirstOrDefault(part => !PrepareSpec.DateParts.Contains(part)) is { } bad)
                    throw dateMap.Error(column, $"'prepare.dates.{column}': unknown part '{bad}'; choose from: {string.Join(", ", PrepareSpec.DateParts)}");
                dates[column] = parts;
            }

        return new PrepareSpec(p.Bool("drop_missing_label") ?? true, p.Bool("drop_duplicates") ?? false,
            impute, clip, normalize, encode, p.Strings("text"), dates);
    }

    public static SplitSpec Split(YamlMap root)
    {
        var split = root.Map("split", ["test_fraction", "seed", "key", "by", "test_from", "group", "stratify"]);
        var testFraction = split?.Number("test_fraction") ?? SplitSpec.DefaultTestFraction;
        if (testFraction is <= 0 or >= 1)
            throw split!.Error("test_fraction", $"'split.test_fraction' must be between 0 and 1 (exclusive), got {testFraction}");
        var spec = new SplitSpec(testFraction, split?.Integer("seed") ?? SplitSpec.DefaultSeed, split?.String("key"),
            split?.String("by"), split?.String("test_from"), split?.String("group"), split?.Bool("stratify") ?? true);
        if ((spec.By is null) != (spec.TestFrom is null))
            throw split!.Error(spec.By is null ? "test_from" : "by", "a split by time needs both 'split.by' (the column) and 'split.test_from' (the first test value)");
        if (spec.By is not null && spec.Group is not null)
            throw split!.Error("group", "choose one of 'split.by' (time) and 'split.group'");
        return spec;
    }

    public static TrainSpec Train(YamlMap root)
    {
        if (root.Map("train", ["trainers", "params", "search"]) is not { } train)
            return TrainSpec.Default;
        var names = train.Strings("trainers") ?? [TrainerSpec.DefaultName];
        if (names.Count == 0)
            throw train.Error("trainers", "'train.trainers' needs at least one trainer (`tend trainers` lists them)");
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw train.Error("trainers", $"trainer '{twice.Key}' appears twice in 'train.trainers'");
        var options = train.Map("params", names.ToList());
        var search = train.Map("search", ["trials", "folds", "validation_fraction", "eta", "min_rows", "time_budget_seconds", "parallel", "patience"]);
        if (search is null)
            return new TrainSpec(Trainers(names, options));
        var spec = new SearchSpec(search.Integer("trials") ?? SearchSpec.DefaultTrials, search.Integer("folds") ?? SearchSpec.DefaultFolds,
            search.Number("validation_fraction") ?? SearchSpec.DefaultValidationFraction, search.Integer("eta") ?? SearchSpec.DefaultEta,
            search.Integer("min_rows") ?? SearchSpec.DefaultMinRows, search.Number("time_budget_seconds"), search.Integer("parallel") ?? 0, search.Integer("patience"));
        if (spec.Trials < 1 || spec.Folds < 1 || spec.Eta < 2 || spec.MinRows < 1 || spec.Parallel < 0 || spec.TimeBudgetSeconds <= 0 || spec.Patience < 1)
            throw search.Error("trials", "'train.search' needs trials ≥ 1, folds ≥ 1, eta ≥ 2, min_rows ≥ 1, parallel ≥ 0 (0: the core count), patience ≥ 1 and a positive time_budget_seconds");
        if (spec.ValidationFraction is <= 0 or >= 1)
            throw search.Error("validation_fraction", $"'train.search.validation_fraction' must be between 0 and 1 (exclusive), got {spec.ValidationFraction}");
        return new TrainSpec(Trainers(names, options), spec);
    }

    private static List<TrainerSpec> Trainers(IReadOnlyList<string> names, YamlMap? options) =>
        names.Select(n => new TrainerSpec(n, options?.OpenMap(n)?.Numbers() ?? new Dictionary<string, double>())).ToList();

    private static Dictionary<string, string> Choices(YamlMap? map, string path, string[] allowed)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in map?.Keys ?? [])
        {
            var value = map!.String(column)!;
            if (!allowed.Contains(value))
                throw map.Error(column, $"'{path}.{column}' must be one of: {string.Join(", ", allowed)}; got '{value}'");
            result[column] = value;
        }
        return result;
    }
}
