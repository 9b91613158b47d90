using Tend.Core.Reports;

namespace Tend.Core.Tests;

/// <summary>One document, shown as HTML and Markdown: the same words, tables and verdicts in each.</summary>
public class ReportRendererTests
{
    private static readonly Document Report = new("Evaluation of <m>",
        [new Text("Failed: parity 0.3 > 0.2.", Tone.Bad)],
        [
            new("Fairness by <Marital>", [new Text("a < b & c"), new Grid(["group", "rows"], [["single | divorced", "3"]])]),
            new("Gates", [Grid.Of(["gate", "passed"], [("auc", true), ("parity", false)], g => [g.Item1, g.Item2 ? "yes" : "NO"], g => !g.Item2)]),
            new("Importance", [new Figure([new BarChart("drop in auc", [("Income", 0.1), ("Age", -0.02)])], new Grid(["column", "drop"], [["Income", "0.1"], ["Age", "-0.02"]]))]),
            new("Distributions", [new Figure([new PairedBars("Age", ["0–30", "30+"], [0.5, 0.5], [0.2, 0.8])])]),
        ]);

    [Fact]
    public void Markdown_EscapesCellPipes_AndDrawsFiguresAsTheirTables_AndLeavesOutASectionOfChartsAlone()
    {
        Assert.Equal(
            "# Evaluation of <m>\n\nFailed: parity 0.3 > 0.2.\n\n" +
            "## Fairness by <Marital>\n\na < b & c\n\n| group | rows |\n| --- | --- |\n| single \\| divorced | 3 |\n\n" +
            "## Gates\n\n| gate | passed |\n| --- | --- |\n| auc | yes |\n| parity | NO |\n\n" +
            "## Importance\n\n| column | drop |\n| --- | --- |\n| Income | 0.1 |\n| Age | -0.02 |\n\n",
            ReportMarkdown.Render(Report));
    }

    [Fact]
    public void Html_EscapesText_ColoursVerdicts_AndInlinesCharts()
    {
        var html = ReportHtml.Page(Report);
        Assert.StartsWith("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Evaluation of &lt;m&gt;</title><style>body{", html);
        Assert.Contains("<h1>Evaluation of &lt;m&gt;</h1><p class='fail'>Failed: parity 0.3 &gt; 0.2.</p><h2>Fairness by &lt;Marital&gt;</h2><p>a &lt; b &amp; c</p><table><tr><th>group</th>", html);
        Assert.Contains("<tr><td>auc</td><td>yes</td></tr><tr class='fail'><td>parity</td><td>NO</td></tr>", html);
        Assert.Equal(2, html.Split("<svg ").Length - 1); // the bars and the paired bars
        Assert.Contains("<title>drop in auc</title>", html);
        Assert.DoesNotContain("<td>Income</td>", html); // a figure's table is for formats that cannot draw
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Sections_AreTheBodyAPageEmbeds()
    {
        var body = ReportHtml.Sections(Report.Sections);
        Assert.StartsWith("<h2>Fairness by &lt;Marital&gt;</h2>", body);
        Assert.Contains(body, ReportHtml.Page(Report));
    }

    [Fact]
    public void StyleWithin_ScopesEverySelector()
    {
        var style = ReportHtml.StyleWithin(".r");
        Assert.Contains(".r td,.r th{", style);
        Assert.DoesNotContain("body", style);
        Assert.StartsWith("body{", ReportHtml.Style);
    }

    [Fact]
    public void Svg_DrawsNegativeBarsAsEmpty_AndSkipsPointsThatAreNotFinite()
    {
        var bars = Svg.Draw(new BarChart("t", [("a", 1.0), ("b", -1.0)]));
        Assert.Contains("width='0'", bars);
        var lines = Svg.Draw(new LineChart("roc", "x", "y", [new Series("s", "#000", [(0, 0), (double.NaN, 0.5), (1, 1)])], Diagonal: false));
        Assert.Contains("points='40,220 320,40'", lines);
    }

    [Fact]
    public void Svg_ScalesScatterPointsToTheirRange_AndDrawsTheZeroLine()
    {
        var scatter = Svg.Draw(new ScatterChart("residuals", "prediction", "residual", [(100, -2), (300, 2), (200, double.NaN)]));
        Assert.Contains("<circle cx='40' cy='220'", scatter); // the smallest x and y at the bottom left
        Assert.Contains("<circle cx='320' cy='40'", scatter); // the largest at the top right
        Assert.Equal(2, scatter.Split("<circle").Length - 1); // a point that is not finite is left out
        Assert.Contains("<line x1='40' y1='130' x2='320' y2='130' stroke='#bbb'", scatter); // y = 0, halfway
        Assert.Contains(">300</text>", scatter); // the ticks are the data's
    }
}
