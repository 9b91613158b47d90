using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Reports;
using BarChart = Tend.Core.Reports.BarChart;
using Grid = Tend.Core.Reports.Grid;
using Text = Tend.Core.Reports.Text;

namespace Tend.EndToEnd.Tests;

/// <summary>The terminal renderer: the document's words and tables, figures as their tables, nothing it cannot draw.</summary>
public class ReportTerminalTests
{
    [Fact]
    public void Write_ShowsTitleSummarySectionsAndTables_AndFiguresAsTheirTables()
    {
        var document = new Document("Evaluation of [m]",
            [new Text("Failed: parity 0.3 > 0.2.", Tone.Bad)],
            [
                new("Gates", [Grid.Of(["gate", "passed"], [("auc", true), ("parity", false)], g => [g.Item1, g.Item2 ? "yes" : "NO"], g => !g.Item2)]),
                new("Importance", [new Figure([new BarChart("drop", [("Income", 0.1)])], new Grid(["column", "drop"], [["Income [k$]", "0.1"]]))]),
                new("Distributions", [new Figure([new PairedBars("Age", ["a"], [1.0], [1.0])])]),
            ]);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 100;

        ReportTerminal.Write(console, document);

        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains(lines, l => l.Contains("Evaluation of [m]")); // markup in the text is escaped, not interpreted
        Assert.Contains("Failed: parity 0.3 > 0.2.", lines);
        Assert.Contains("Gates", lines);
        Assert.Contains(lines, l => l.Contains("parity") && l.Contains("NO"));
        Assert.Contains(lines, l => l.Contains("Income [k$]") && l.Contains("0.1"));
        Assert.DoesNotContain("Distributions", lines); // a section of charts alone is for the page
    }
}
