using ClusterD.ResourceManager.Journal;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Tests.Journal;

public sealed class DecisionReplayTests
{
    private static readonly TransitionView Recorded = new(
        [new("mysqld", "hadb01", "Started")],
        [new("stop:mysqld@hadb02", "stop", "mysqld", "hadb02", []), new("start:mysqld@hadb01", "start", "mysqld", "hadb01", ["stop:mysqld@hadb02"])]);

    [Fact]
    public void Compare_SameView_IsEmpty()
    {
        Assert.Empty(DecisionReplay.Compare(Recorded, Recorded with { }));
    }

    [Fact]
    public void Compare_OtherPlacementAndEdges_ListsRemovedThenAddedLines()
    {
        var replayed = new TransitionView(
            [new("mysqld", "hadb02", "Started")],
            [new("start:mysqld@hadb01", "start", "mysqld", "hadb01", [])]);

        Assert.Equal(
            [
                "- placement mysqld on hadb01: Started",
                "- action stop:mysqld@hadb02",
                "- action start:mysqld@hadb01 after stop:mysqld@hadb02",
                "+ placement mysqld on hadb02: Started",
                "+ action start:mysqld@hadb01",
            ],
            DecisionReplay.Compare(Recorded, replayed));
    }

    [Fact]
    public void Compare_SameLinesInAnotherOrder_SaysSo()
    {
        var replayed = Recorded with { Actions = [.. Recorded.Actions.Reverse()] };

        Assert.Equal(["the same placement and actions, in a different order"], DecisionReplay.Compare(Recorded, replayed));
    }
}
