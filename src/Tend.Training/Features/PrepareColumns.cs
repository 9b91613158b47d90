using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Training.Features;

/// <summary>Checks that each column <c>prepare:</c> names exists, is not the label, and has a type its step applies to.</summary>
internal static class PrepareColumns
{
    public static void Check(PrepareSpec prepare, IReadOnlyList<ColumnSchema> features, string label)
    {
        foreach (var (column, impute) in prepare.Impute ?? new Dictionary<string, ImputeSpec>())
            Require("impute", column, impute.Strategy is "mean" or "median"
                ? t => t.IsNumber() || t is ColumnType.Boolean or ColumnType.DateTime
                : t => t is not ColumnType.Text, impute.Strategy is "mean" or "median" ? "a numeric, boolean or date column" : "a column that is not free text");
        foreach (var column in prepare.Clip?.Keys ?? [])
            Require("clip", column, t => t.IsNumber(), "a numeric column");
        foreach (var column in prepare.Normalize?.Keys ?? [])
            Require("normalize", column, t => t.IsNumber(), "a numeric column");
        foreach (var column in prepare.Encode?.Columns?.Keys ?? [])
            Require("encode.columns", column, t => t == ColumnType.Categorical, "a categorical column");
        foreach (var column in prepare.Text ?? [])
            Require("text", column, t => t is ColumnType.Text or ColumnType.Categorical, "a text or categorical column");
        foreach (var column in prepare.Dates?.Keys ?? [])
            Require("dates", column, t => t == ColumnType.DateTime, "a datetime column");

        void Require(string step, string column, Func<ColumnType, bool> applies, string expected)
        {
            if (column == label)
                throw TendException.InvalidData($"'prepare.{step}.{column}': '{column}' is the label; preparation applies to features only");
            var schema = features.FirstOrDefault(c => c.Name == column)
                ?? throw TendException.InvalidData($"'prepare.{step}.{column}': column '{column}' is not in the data; columns: {string.Join(", ", features.Select(c => c.Name))}");
            if (!applies(schema.Type))
                throw TendException.InvalidData($"'prepare.{step}.{column}' needs {expected}; '{column}' is {schema.Type.Text()}");
        }
    }
}
