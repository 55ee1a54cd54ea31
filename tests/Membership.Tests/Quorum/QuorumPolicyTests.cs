using ClusterD.Membership.Quorum;

namespace ClusterD.Membership.Tests.Quorum;

public sealed class QuorumPolicyTests
{
    private static readonly QuorumOptions TwoNode = new(ExpectedVotes: 2, TwoNode: true, WaitForAll: true);
    private static readonly QuorumOptions TwoNodeNoWait = new(ExpectedVotes: 2, TwoNode: true, WaitForAll: false);
    private static readonly QuorumOptions TwoPlain = new(ExpectedVotes: 2, TwoNode: false, WaitForAll: false);

    [Theory]
    [InlineData(1u, false, 1u)]
    [InlineData(2u, false, 2u)]
    [InlineData(2u, true, 1u)]
    [InlineData(3u, false, 2u)]
    [InlineData(3u, true, 2u)] // two_node only lowers the quorum with exactly two expected votes
    [InlineData(4u, false, 3u)]
    [InlineData(5u, false, 3u)]
    [InlineData(6u, false, 4u)]
    [InlineData(32u, false, 17u)]
    public void QuorumFor_ExpectedVotes_IsStrictMajorityOrOneForTwoNode(uint expected, bool twoNode, uint quorum)
    {
        Assert.Equal(quorum, QuorumPolicy.QuorumFor(new QuorumOptions(expected, twoNode, WaitForAll: false)));
    }

    [Fact]
    public void Evaluate_TwoNodeBeforeBothSeen_NotQuorateEvenWithBothVotes()
    {
        var alone = QuorumPolicy.Evaluate(1, allNodesSeenTogether: false, TwoNode);
        var both = QuorumPolicy.Evaluate(2, allNodesSeenTogether: false, TwoNode);

        Assert.Equal(new QuorumState(false, 2, 1, 1, true, true, false), alone);
        Assert.False(both.Quorate);
        Assert.False(both.WaitForAllSatisfied);
    }

    [Fact]
    public void Evaluate_TwoNodeAfterBothSeen_SurvivorStaysQuorate()
    {
        var both = QuorumPolicy.Evaluate(2, allNodesSeenTogether: true, TwoNode);
        var survivor = QuorumPolicy.Evaluate(1, allNodesSeenTogether: true, TwoNode);
        var none = QuorumPolicy.Evaluate(0, allNodesSeenTogether: true, TwoNode);

        Assert.True(both.Quorate);
        Assert.Equal(new QuorumState(true, 2, 1, 1, true, true, true), survivor);
        Assert.False(none.Quorate);
    }

    [Fact]
    public void Evaluate_TwoNodeWithoutWaitForAll_OneNodeQuorateFromStart()
    {
        var alone = QuorumPolicy.Evaluate(1, allNodesSeenTogether: false, TwoNodeNoWait);

        Assert.Equal(new QuorumState(true, 2, 1, 1, true, false, true), alone);
    }

    [Fact]
    public void Evaluate_TwoNodesWithoutTwoNode_NeedBoth()
    {
        Assert.False(QuorumPolicy.Evaluate(1, true, TwoPlain).Quorate);
        Assert.True(QuorumPolicy.Evaluate(2, true, TwoPlain).Quorate);
        Assert.Equal(2u, QuorumPolicy.Evaluate(1, true, TwoPlain).Quorum);
    }

    [Theory]
    [InlineData(3u, 0u, false)]
    [InlineData(3u, 1u, false)]
    [InlineData(3u, 2u, true)]
    [InlineData(3u, 3u, true)]
    [InlineData(5u, 2u, false)]
    [InlineData(5u, 3u, true)]
    [InlineData(5u, 5u, true)]
    [InlineData(4u, 2u, false)] // an even split has no quorum on either side
    [InlineData(4u, 3u, true)]
    public void Evaluate_Majority_QuorateFromHalfPlusOne(uint expected, uint votes, bool quorate)
    {
        var state = QuorumPolicy.Evaluate(votes, allNodesSeenTogether: false, new QuorumOptions(expected, false, false));

        Assert.Equal(new QuorumState(quorate, expected, votes, (expected / 2) + 1, false, false, true), state);
    }

    [Theory]
    [InlineData(2u, false)]
    [InlineData(3u, true)]
    public void Evaluate_ExpectedVotesAboveNodeCount_RaisesTheBar(uint votes, bool quorate)
    {
        // Three nodes but expected_votes: 5, as an operator sets it while nodes are still being added.
        var options = new QuorumOptions(5, false, false);

        var state = QuorumPolicy.Evaluate(votes, true, options);

        Assert.Equal(3u, state.Quorum);
        Assert.Equal(quorate, state.Quorate);
    }

    [Fact]
    public void Evaluate_ThreeNodesAllPresentButExpectedFive_NotQuorateWithTwo()
    {
        Assert.False(QuorumPolicy.Evaluate(2, true, new QuorumOptions(5, false, false)).Quorate);
    }

    [Fact]
    public void Evaluate_WaitForAllOnThreeNodes_NotQuorateUntilAllSeenThenMajority()
    {
        var options = new QuorumOptions(3, false, WaitForAll: true);

        Assert.False(QuorumPolicy.Evaluate(2, false, options).Quorate);
        Assert.False(QuorumPolicy.Evaluate(3, false, options).Quorate);
        Assert.True(QuorumPolicy.Evaluate(3, true, options).Quorate);
        Assert.True(QuorumPolicy.Evaluate(2, true, options).Quorate);
        Assert.False(QuorumPolicy.Evaluate(1, true, options).Quorate);
        Assert.Equal(new QuorumState(false, 3, 3, 2, false, true, false), QuorumPolicy.Evaluate(3, false, options));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Initial_AnyOptions_NotQuorateWithWaitSatisfiedOnlyWithoutWaitForAll(bool waitForAll)
    {
        var options = new QuorumOptions(2, true, waitForAll);

        Assert.Equal(new QuorumState(false, 2, 0, 1, true, waitForAll, !waitForAll), QuorumState.Initial(options));
    }

    [Fact]
    public void Evaluate_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => QuorumPolicy.Evaluate(1, true, null!));
        Assert.Throws<ArgumentNullException>(() => QuorumPolicy.QuorumFor(null!));
    }
}
