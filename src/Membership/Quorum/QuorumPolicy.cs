namespace ClusterD.Membership.Quorum;

/// <summary>
/// votequorum's arithmetic (votequorum(5)):
/// <list type="bullet">
/// <item>quorum = expected_votes / 2 + 1 (integer division), so a strict majority;</item>
/// <item><c>two_node: 1</c> with two expected votes sets quorum to 1: one survivor of two stays quorate;</item>
/// <item><c>wait_for_all</c> (implied by two_node): not quorate until all nodes have been in one view at
/// the same time once since this daemon started; afterwards only the votes count.</item>
/// </list>
/// Pure.
/// </summary>
public static class QuorumPolicy
{
    public static uint QuorumFor(QuorumOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TwoNode && options.ExpectedVotes == 2 ? 1 : (options.ExpectedVotes / 2) + 1;
    }

    /// <param name="memberVotes">Sum of the votes of the view's members.</param>
    /// <param name="allNodesSeenTogether">True once a view held every configured node.</param>
    public static QuorumState Evaluate(uint memberVotes, bool allNodesSeenTogether, QuorumOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var quorum = QuorumFor(options);
        var waitSatisfied = !options.WaitForAll || allNodesSeenTogether;
        var quorate = waitSatisfied && memberVotes >= quorum;
        return new QuorumState(quorate, options.ExpectedVotes, memberVotes, quorum, options.TwoNode, options.WaitForAll, waitSatisfied);
    }
}
