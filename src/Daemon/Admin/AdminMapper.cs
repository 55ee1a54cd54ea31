using ClusterD.Admin.V1;
using ClusterD.Membership;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using ClusterD.Membership.Views;
using ClusterD.Messaging;
using ClusterD.Messaging.Peers;
using Google.Protobuf.WellKnownTypes;

namespace ClusterD.Daemon.Admin;

/// <summary>Translates membership records into admin API messages: the only place that knows both.</summary>
internal static class AdminMapper
{
    public static ClusterStatusReply ToReply(MembershipSnapshot snapshot, NodeList nodes, IReadOnlyList<PeerLinkStatus> messaging)
    {
        var reply = new ClusterStatusReply
        {
            Cluster = snapshot.ClusterName,
            Quorate = snapshot.Quorum.Quorate,
            Dc = snapshot.Dc is { } dc ? nodes.NameOf(dc) : "",
            RingId = snapshot.View.Ring.ToString(),
            RingSeq = snapshot.View.Ring.Seq,
            LocalNode = nodes.NameOf(snapshot.LocalNode),
            Quorum = new QuorumStatus
            {
                ExpectedVotes = snapshot.Quorum.ExpectedVotes,
                TotalVotes = snapshot.Quorum.TotalVotes,
                Quorum = snapshot.Quorum.Quorum,
                TwoNode = snapshot.Quorum.TwoNode,
                WaitForAll = snapshot.Quorum.WaitForAll,
                WaitForAllSatisfied = snapshot.Quorum.WaitForAllSatisfied,
            },
            Datagrams = new DatagramCounters
            {
                Accepted = snapshot.DatagramsAccepted,
                Dropped = snapshot.Dropped.Values.Aggregate(0UL, (a, b) => a + b),
            },
        };
        foreach (var (reason, count) in snapshot.Dropped)
        {
            reply.Datagrams.DroppedByReason[CounterNames.Of(reason)] = count;
        }

        foreach (var node in snapshot.Nodes)
        {
            var status = new NodeStatus
            {
                Name = node.Name,
                Id = node.Id.Value,
                Online = node.State == NodeState.Member,
                Standby = false,
                Unclean = node.State == NodeState.Lost,
                Local = node.IsLocal,
                State = node.State.ToString().ToLowerInvariant(),
                Incarnation = node.Incarnation,
            };
            foreach (var link in node.Links)
            {
                status.Links.Add(new LinkStatus
                {
                    Link = (uint)link.Link,
                    Address = link.Address?.ToString() ?? "",
                    Up = link.Up,
                    LastSeenMsAgo = link.LastSeenAgo is { } ago ? (long)ago.TotalMilliseconds : -1,
                    RttMs = link.Rtt?.TotalMilliseconds ?? 0,
                    Received = link.Received,
                    Lost = link.Lost,
                });
            }

            if (messaging.FirstOrDefault(m => m.NodeId == node.Id.Value) is { } peerLink)
            {
                status.Messaging = ToStatus(peerLink);
            }

            reply.Nodes.Add(status);
        }

        return reply;
    }

    private static MessagingStatus ToStatus(PeerLinkStatus link)
    {
        var status = new MessagingStatus
        {
            Connected = link.Connected,
            RemoteAddress = link.RemoteAddress ?? "",
            PeerIncarnation = link.PeerIncarnation,
            FramesIn = link.FramesIn,
            FramesOut = link.FramesOut,
            BytesIn = link.BytesIn,
            BytesOut = link.BytesOut,
            Reconnects = link.Reconnects,
            QueueDepth = link.QueueDepth,
            QueuedBytes = link.QueuedBytes,
            RttMs = link.Rtt?.TotalMilliseconds ?? 0,
            LastError = link.LastError ?? "",
        };
        foreach (var (reason, count) in link.Rejects)
        {
            status.Rejects[reason] = count;
        }

        return status;
    }

    /// <summary>One membership event, plus a quorum and a DC event when membership says those changed with the view.</summary>
    public static IEnumerable<ClusterEvent> ToEvents(ViewChange change, NodeList nodes, DateTimeOffset at)
    {
        var time = Timestamp.FromDateTimeOffset(at);
        var ring = change.Current.Ring.ToString();
        var members = change.Current.Members.Select(m => nodes.NameOf(m.Id)).ToArray();
        var membership = new ClusterEvent
        {
            Time = time,
            Kind = EventKind.Membership,
            RingId = ring,
            Quorate = change.Quorum.Quorate,
            Dc = change.Dc is { } d ? nodes.NameOf(d) : "",
            Message = Describe(change, nodes),
        };
        membership.Members.AddRange(members);
        membership.Joined.AddRange(change.Joined.Select(id => nodes.NameOf(id)));
        membership.Lost.AddRange(change.Lost.Select(id => nodes.NameOf(id)));
        membership.Left.AddRange(change.Left.Select(id => nodes.NameOf(id)));
        yield return membership;

        if (change.QuorumChanged)
        {
            yield return new ClusterEvent
            {
                Time = time,
                Kind = EventKind.Quorum,
                RingId = ring,
                Quorate = change.Quorum.Quorate,
                Dc = membership.Dc,
                Message = change.Quorum.Quorate
                    ? $"quorum gained: {change.Quorum.TotalVotes} of {change.Quorum.ExpectedVotes} votes"
                    : $"quorum lost: {change.Quorum.TotalVotes} of {change.Quorum.ExpectedVotes} votes, {change.Quorum.Quorum} needed"
                      + (change.Quorum.WaitForAllSatisfied ? "" : " (wait_for_all: every node must be seen once)"),
            };
        }

        if (change.DcChanged)
        {
            yield return new ClusterEvent
            {
                Time = time,
                Kind = EventKind.Dc,
                RingId = ring,
                Quorate = change.Quorum.Quorate,
                Dc = membership.Dc,
                Message = membership.Dc.Length > 0 ? $"DC is {membership.Dc}" : "no DC (partition without quorum)",
            };
        }
    }

    private static string Describe(ViewChange change, NodeList nodes)
    {
        var parts = new List<string> { $"view {change.Current.Ring} [{string.Join(" ", change.Current.Members.Select(m => nodes.NameOf(m.Id)))}]" };
        parts.AddRange(change.Lost.Select(id => $"{nodes.NameOf(id)} lost"));
        parts.AddRange(change.Left.Select(id => $"{nodes.NameOf(id)} left"));
        parts.AddRange(change.Joined.Select(id => $"{nodes.NameOf(id)} joined"));
        return string.Join(", ", parts);
    }
}
