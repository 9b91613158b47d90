using System.Text;
using System.Text.Json;
using Tend.Core.Domain;

namespace Tend.Core.Tests;

/// <summary>A logged row's features seen by name, whether held as text cells or as the JSON tokens they were read as.</summary>
public class FeatureRowTests
{
    private static readonly FeatureSet Set = new(["income", "home", "note"]);

    private static readonly FeatureRow Cells = new CellRow(Set, ["1.50e3", "rént", null]);
    private static readonly FeatureRow Tokens = new JsonTokenRow(Set, """[1.50e3,"r\u00e9nt",null]"""u8.ToArray(), new[] { 1, 6, 8, 11, 20, 4 });

    public static TheoryData<string, FeatureRow> Rows => new() { { "cells", Cells }, { "tokens", Tokens } };

    [Theory]
    [MemberData(nameof(Rows))]
    public void ARow_IsADictionaryOfItsCells_InItsSetsOrder(string held, FeatureRow row)
    {
        Assert.Equal([new("income", "1.50e3"), new("home", "rént"), new KeyValuePair<string, string?>("note", null)], row.ToList());
        Assert.Equal((3, "rént", true, false), (row.Count, row["home"], row.ContainsKey("note"), row.ContainsKey("age")));
        Assert.False(row.TryGetValue("age", out _), held);
        Assert.Throws<KeyNotFoundException>(() => row["age"]);
    }

    [Fact]
    public void ARowWritesItsValuesAsOneArray_CellsAsTexts_TokensAsTheyWere()
    {
        Assert.Equal("""["1.50e3","r\u00E9nt",null]""", Written(Cells));
        Assert.Equal("""[1.50e3,"r\u00e9nt",null]""", Written(Tokens));
        Assert.Equal("[]", Written(FeatureRow.None));
    }

    private static string Written(FeatureRow row)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            row.WriteTo(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
