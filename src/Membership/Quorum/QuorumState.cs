namespace ClusterD.Membership.Quorum;

/// <summary>The votequorum outcome for one view.</summary>
public sealed record QuorumState(
    bool Quorate,
    uint ExpectedVotes,
    uint TotalVotes,
    uint Quorum,
    bool TwoNode,
    bool WaitForAll,
    bool WaitForAllSatisfied)
{
    public static QuorumState Initial(QuorumOptions options) =>
        new(false, options.ExpectedVotes, 0, QuorumPolicy.QuorumFor(options), options.TwoNode, options.WaitForAll, !options.WaitForAll);
}
