using ClusterD.Membership.Views;

namespace ClusterD.Membership.Runtime;

/// <summary>Receives every installed view, in order, from the membership loop. Must not block.</summary>
public interface IViewChangeSink
{
    /// <param name="installedAt">Wall-clock time at which the view was installed (not when the sink got it).</param>
    void Publish(ViewChange change, DateTimeOffset installedAt);

    /// <summary>
    /// This node stopped or resumed trusting its installed view (a pause of its own was noticed; see
    /// <see cref="ViewSettling"/>). Delivered in order with <see cref="Publish"/>: a distrust before any view
    /// installed in the same step, a trust after it. A sink that acts on views must not act while distrusted.
    /// </summary>
    /// <param name="at">Wall-clock time of the change.</param>
    void PublishTrust(ViewTrustChange change, DateTimeOffset at)
    {
    }
}
