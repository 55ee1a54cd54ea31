namespace ClusterD.Membership.Views;

/// <summary>
/// A window in which a node does not trust its own installed view, because its own membership loop
/// was paused (SIGSTOP, a VM freeze, a starved thread pool) for longer than its pause bound: while it
/// could not listen, its peers may have declared it lost and moved on, and its view, quorum and DC
/// are stale. It lasts until the node has heard again from every peer it heard before the pause (a
/// heartbeat the peer sent after receiving one of ours from after the resume), or a full token
/// passed since the resume, and it holds a view all of its members propose. Nothing may act on the
/// view in this window (docs/membership.md, "Pauses of the node itself").
/// </summary>
/// <param name="PausedAt">The last instant the loop ran before the pause (core time).</param>
/// <param name="ResumedAt">The instant the pause was noticed; the view is untrusted from then on. A later pause in the same window moves it.</param>
/// <param name="Replaced">
/// A peer of the pre-pause view reported a newer installed view without this node: the cluster went on
/// without it (and may fence it).
/// </param>
public sealed record ViewSettling(TimeSpan PausedAt, TimeSpan ResumedAt, bool Replaced)
{
    /// <summary>How long the loop did not run (as measured; the process may have stopped a little later than <see cref="PausedAt"/>).</summary>
    public TimeSpan Pause => ResumedAt - PausedAt;
}
