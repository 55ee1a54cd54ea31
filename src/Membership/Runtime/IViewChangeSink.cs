using ClusterD.Membership.Views;

namespace ClusterD.Membership.Runtime;

/// <summary>Receives every installed view, in order, from the membership loop. Must not block.</summary>
public interface IViewChangeSink
{
    void Publish(ViewChange change);
}
