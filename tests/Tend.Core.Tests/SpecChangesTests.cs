using Tend.Core.Spec;

namespace Tend.Core.Tests;

public sealed class SpecChangesTests
{
    private const string Before = "name: spam\ntask: binary\nlabel: type\nmetric:\n  name: auc\n  bar: 0.9\n";

    [Fact]
    public void Between_NamesTheTopLevelKeysAddedRemovedOrSetOtherwise()
    {
        var after = "name: spam\ntask: binary\nmetric: {name: auc, bar: 0.95}\ngates:\n  - metric: f1\n    min: 0.5\n";
        Assert.Equal(["metric", "gates", "label"], SpecChanges.Between(Before, after));
    }

    [Fact]
    public void Between_CommentsAndLayout_AreNoChange()
    {
        var after = "# the spam filter\nname: spam\ntask: binary\nlabel: type\nmetric: {name: auc, bar: 0.9}\n";
        Assert.Empty(SpecChanges.Between(Before, after));
    }

    [Fact]
    public void Between_TextThatIsNotAMapping_IsAWholeChange() =>
        Assert.Equal([SpecLoader.FileName], SpecChanges.Between(Before, "- a list\n"));
}
