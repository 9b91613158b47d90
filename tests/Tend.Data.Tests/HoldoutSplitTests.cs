using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Splits;
using Tend.Data.Tabular;

namespace Tend.Data.Tests;

public class HoldoutSplitTests
{
    /// <summary>1,000 distinct rows: an id, a class (30 % "pos"), a month, a customer (100 customers of 10 rows).</summary>
    private static readonly Table Data = new(["id", "label", "month", "customer"], Enumerable.Range(0, 1000)
        .Select(i => new string?[] { $"r{i}", i % 10 < 3 ? "pos" : "neg", $"2024-{i % 12 + 1:00}-01", $"c{i / 10}" }).ToList());

    private static ProjectSpec Spec(SplitSpec split, MlTask task = MlTask.Binary, PrepareSpec? prepare = null) =>
        new("t", "", task, "label", "pos", new SuccessMetric("auc", 0), [], split, TrainSpec.Default, new MonitorSpec(), Prepare: prepare);

    private static HashSet<string> Ids(Table t) => t.Rows.Select(r => r[0]!).ToHashSet();

    [Fact]
    public void Stratified_KeepsEachClassShare_AndPlacesEveryRowOnce()
    {
        var (train, test, record) = HoldoutSplit.Split(Data, Spec(new SplitSpec(0.2)));
        Assert.Equal(200, test.Rows.Count);
        Assert.Equal(60, test.Rows.Count(r => r[1] == "pos"));
        Assert.Equal(1000, Ids(train).Union(Ids(test)).Count());
        Assert.Empty(Ids(train).Intersect(Ids(test)));
        Assert.Equal(("stratified", "row", 800, 200), (record.Method, record.Key, record.TrainRows, record.TestRows));
    }

    [Fact]
    public void Assignment_DependsOnContentAndSeed_NotOnRowOrder()
    {
        var spec = Spec(new SplitSpec(0.2, Seed: 7));
        var shuffled = new Table(Data.Columns, Data.Rows.Reverse().ToList());
        var first = HoldoutSplit.Split(Data, spec);
        Assert.Equal(Ids(first.Test), Ids(HoldoutSplit.Split(shuffled, spec).Test));
        Assert.Equal(first.Record.TestDigest, HoldoutSplit.Split(shuffled, spec).Record.TestDigest);
        Assert.NotEqual(Ids(first.Test), Ids(HoldoutSplit.Split(Data, Spec(new SplitSpec(0.2, Seed: 8))).Test));
    }

    [Fact]
    public void Random_KeepsARowsSide_WhenRowsAreAppended()
    {
        var spec = Spec(new SplitSpec(0.25, Key: "id", Stratify: false));
        var before = HoldoutSplit.Split(new Table(Data.Columns, Data.Rows.Take(600).ToList()), spec);
        var after = HoldoutSplit.Split(Data, spec);
        Assert.Equal("random", after.Record.Method);
        Assert.Subset(Ids(after.Test), Ids(before.Test));
        Assert.InRange(after.Test.Rows.Count, 200, 300); // a binomial(1000, 0.25) draw: 250 ± 4.3 sd
    }

    [Fact]
    public void IdenticalRows_LandOnTheSameSide()
    {
        var twice = new Table(Data.Columns, Data.Rows.Concat(Data.Rows).ToList());
        var (train, test, _) = HoldoutSplit.Split(twice, Spec(new SplitSpec(0.2)));
        Assert.Empty(Ids(train).Intersect(Ids(test)));
        Assert.Equal(400, test.Rows.Count);
    }

    [Fact]
    public void ByTime_TestsFromTheGivenValue_AndLeavesRowsWithoutATimeOut()
    {
        var rows = Data.Rows.Select((r, i) => i % 100 == 0 ? [r[0], r[1], null, r[3]] : r).ToList();
        var (train, test, record) = HoldoutSplit.Split(new Table(Data.Columns, rows), Spec(new SplitSpec(By: "month", TestFrom: "2024-10-01")));
        Assert.All(test.Rows, r => Assert.True(string.CompareOrdinal(r[2], "2024-10") > 0));
        Assert.All(train.Rows, r => Assert.True(string.CompareOrdinal(r[2], "2024-10") < 0));
        Assert.Equal(("time", 10), (record.Method, record.UnplacedRows));
        Assert.Equal(990, train.Rows.Count + test.Rows.Count);
    }

    [Fact]
    public void ByGroup_PutsNoGroupOnBothSides()
    {
        var (train, test, record) = HoldoutSplit.Split(Data, Spec(new SplitSpec(0.3, Group: "customer")));
        var customers = (Train: train.Rows.Select(r => r[3]).ToHashSet(), Test: test.Rows.Select(r => r[3]).ToHashSet());
        Assert.Empty(customers.Train.Intersect(customers.Test));
        Assert.Equal(0, test.Rows.Count % 10);
        Assert.Equal("group", record.Method);
    }

    [Fact]
    public void RowSteps_DropMissingLabelsAndDuplicates_AndSayHowMany()
    {
        var rows = Data.Rows.Concat(Data.Rows.Take(30)).Concat([["x", null, "2024-01-01", "c0"]]).ToList();
        var (train, test, record) = HoldoutSplit.Split(new Table(Data.Columns, rows), Spec(new SplitSpec(), prepare: new PrepareSpec(DropDuplicates: true)));
        Assert.Equal(1000, train.Rows.Count + test.Rows.Count);
        Assert.Equal(1, record.Removed["missing_label"]);
        Assert.Equal(30, record.Removed["duplicates"]);
        Assert.Contains(new KeyValuePair<string, string>("prepare.removed.duplicates", "30"), record.Params());
    }

    [Fact]
    public void BadSplits_AreClearErrors()
    {
        var unknown = Assert.Throws<TendException>(() => HoldoutSplit.Split(Data, Spec(new SplitSpec(Group: "shop"))));
        Assert.Contains("'split.group' names column 'shop'", unknown.Message);
        var empty = Assert.Throws<TendException>(() => HoldoutSplit.Split(Data, Spec(new SplitSpec(By: "month", TestFrom: "2030-01-01"))));
        Assert.Contains("leaves the test set empty", empty.Message);
        var unlabelled = new Table(Data.Columns, [["x", null, "2024-01-01", "c0"], .. Data.Rows]);
        var kept = Assert.Throws<TendException>(() => HoldoutSplit.Split(unlabelled, Spec(new SplitSpec(), prepare: new PrepareSpec(DropMissingLabel: false))));
        Assert.Contains("1 rows have no 'label' label", kept.Message);
    }
}
