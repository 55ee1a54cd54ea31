using ClusterD.Membership.Views;

namespace ClusterD.Membership.Runtime;

/// <summary>Receives every installed view, in order, from the membership loop. Must not block.</summary>
public interface IViewChangeSink
{
    /// <param name="installedAt">Wall-clock time at which the view was installed (not when the sink got it).</param>
    void Publish(ViewChange change, DateTimeOffset installedAt);
}
