using Tend.Evaluation.Reports;

namespace Tend.Evaluation.Tests;

public class DocumentTests
{
    private static readonly Section[] Sections =
    [
        new("Fairness by <Marital>", [new Text("a < b & c"), new Grid(["group", "rows"], [["single | divorced", "3"]])]),
        new("Importance", [new Figure(["<svg>bars</svg>"], new Grid(["column", "drop"], [["Income", "0.1"]]))]),
    ];

    [Fact]
    public void Markdown_EscapesCellPipes_AndDrawsFiguresAsTheirTables()
    {
        Assert.Equal(
            "## Fairness by <Marital>\n\na < b & c\n\n| group | rows |\n| --- | --- |\n| single \\| divorced | 3 |\n\n" +
            "## Importance\n\n| column | drop |\n| --- | --- |\n| Income | 0.1 |\n\n",
            Document.Markdown(Sections));
    }

    [Fact]
    public void Html_EscapesText_AndInlinesCharts()
    {
        var html = Document.Html(Sections);
        Assert.StartsWith("<h2>Fairness by &lt;Marital&gt;</h2><p>a &lt; b &amp; c</p><table><tr><th>group</th>", html);
        Assert.Contains("<div class='charts'><svg>bars</svg></div>", html);
        Assert.DoesNotContain("<td>Income</td>", html); // the fallback table is for Markdown only
    }

    [Fact]
    public void StyleWithin_ScopesEverySelector()
    {
        var style = Document.StyleWithin(".r");
        Assert.Contains(".r td,.r th{", style);
        Assert.DoesNotContain("body", style);
        Assert.StartsWith("body{", Document.Style);
    }
}
