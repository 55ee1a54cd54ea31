using ClusterD.Membership.Detection;

namespace ClusterD.Membership.Runtime;

/// <summary>Announced pauses of peers (an Azure Freeze): their failure detection waits until the announced end.</summary>
public sealed partial class MembershipNode
{
    /// <summary>
    /// Replaces every cover: each listed peer, if alive at its cover's start, stays alive without heartbeats
    /// until its cover's end (<see cref="TokenFailureDetector.Cover"/>); then it is lost as usual unless it was
    /// heard within <c>token</c>. Unknown nodes and this node itself are ignored. The next <see cref="Tick"/> acts on it.
    /// </summary>
    public void SetCovers(IReadOnlyList<DetectionCover> covers)
    {
        ArgumentNullException.ThrowIfNull(covers);
        _detector.ClearCovers();
        foreach (var cover in covers)
        {
            if (_nodes.TryGetIndex(cover.Node, out var index) && index != _me)
            {
                _detector.Cover(index, cover.From, cover.Until);
            }
        }
    }
}

/// <summary>A peer's failure detection extended over [<see cref="From"/>, <see cref="Until"/>] (the core's timeline).</summary>
public readonly record struct DetectionCover(NodeId Node, TimeSpan From, TimeSpan Until);
