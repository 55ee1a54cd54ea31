namespace ClusterD.Membership.Quorum;

/// <summary>
/// The votequorum settings (votequorum(5)). <see cref="WaitForAll"/> is already resolved:
/// <c>two_node: 1</c> turns it on unless <c>wait_for_all: 0</c> was given explicitly.
/// </summary>
public sealed record QuorumOptions(uint ExpectedVotes, bool TwoNode, bool WaitForAll);
