using Tend.Core.Domain;
using Tend.Data.Schema;
using Tend.Data.Tabular;

namespace Tend.Data.Tests;

public class SchemaTests
{
    private static readonly Table Sample = CsvReader.Read(new StringReader(
        "age,home,active,when,label,zip,ratio\n30,rent,true,2024-01-02,good,02139,0.5\n,owner,false,2024-02-03T10:00:00,bad,10001,1\n45,rent,TRUE,2024-03-04,good,94105,2.5\n52,,false,2024-04-05,good,60601,3\n"), "s.csv");

    [Fact]
    public void Infer_TypesNullabilityDomainsAndRanges()
    {
        var schema = SchemaInference.Infer(Sample);
        Assert.Equal(new ColumnSchema("age", ColumnType.Integer, true, Min: 30, Max: 52), schema.Columns[0]);
        Assert.Equal(ColumnType.Categorical, schema.Columns[1].Type);
        Assert.Equal(["owner", "rent"], schema.Columns[1].Domain);
        Assert.True(schema.Columns[1].Nullable);
        Assert.Equal(ColumnType.Boolean, schema.Columns[2].Type);
        Assert.Equal(ColumnType.DateTime, schema.Columns[3].Type);
        Assert.False(schema.Columns[4].Nullable);
        // A whole number written with a leading zero is a code, not a quantity; four distinct of four is text.
        Assert.Equal(ColumnType.Text, schema.Columns[5].Type);
        Assert.Equal(new ColumnSchema("ratio", ColumnType.Numeric, false, Min: 0.5, Max: 3), schema.Columns[6]);
    }

    [Theory]
    [InlineData("1/2/2020", ColumnType.Categorical)] // not ISO 8601: never guessed as a date
    [InlineData("2020-01-02 03:04:05", ColumnType.DateTime)]
    [InlineData("2020-01-02T03:04:05+02:00", ColumnType.DateTime)]
    [InlineData("1e3", ColumnType.Numeric)]
    [InlineData("yes", ColumnType.Categorical)]
    public void Infer_Rules(string value, ColumnType expected)
    {
        var table = new Table(["x"], Enumerable.Repeat(new string?[] { value }, 4).ToList());
        Assert.Equal(expected, SchemaInference.Infer(table).Columns[0].Type);
    }

    [Fact]
    public void Infer_ManyDistinctStrings_IsText()
    {
        var table = new Table(["x"], Enumerable.Range(0, 300).Select(i => new string?[] { $"word {i % 150}" }).ToList());
        Assert.Equal(ColumnType.Text, SchemaInference.Infer(table).Columns[0].Type);
        var few = new Table(["x"], Enumerable.Range(0, 300).Select(i => new string?[] { $"level {i % 100}" }).ToList());
        Assert.Equal(ColumnType.Categorical, SchemaInference.Infer(few).Columns[0].Type);
    }
}
