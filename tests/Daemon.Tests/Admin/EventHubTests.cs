using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using ClusterD.Daemon.Admin;
using ClusterD.Membership;
using ClusterD.Membership.Quorum;
using ClusterD.Membership.Views;
using ClusterD.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Daemon.Tests.Admin;

public sealed class EventHubTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);

    private readonly EventHub _hub = new(TestConfigs.ForNodes(2), new FakeTimeProvider());

    [Fact]
    public async Task Publish_MembershipSaysQuorumAndDcChangedThenNot_QuorumAndDcEventsOnlyOnChange()
    {
        using var watcher = _hub.Subscribe();
        _hub.Publish(Change(1, quorate: true, dc: 1, changed: true), At);
        _hub.Publish(Change(2, quorate: true, dc: 1), At);

        var events = await Read(watcher, 4);

        Assert.Equal([EventKind.Membership, EventKind.Quorum, EventKind.Dc, EventKind.Membership], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(At, e.Time.ToDateTimeOffset()));
    }

    [Fact]
    public async Task Publish_MoreThanCapacityToSlowWatcher_GapEventThenNewestEvents()
    {
        using var watcher = _hub.Subscribe();
        var published = EventHub.WatcherCapacity + 10;
        for (var i = 1; i <= published; i++)
        {
            _hub.Publish(Change((ulong)i, quorate: true, dc: 1, changed: i == 1), At); // the first also yields quorum and DC events
        }

        var events = await Read(watcher, EventHub.WatcherCapacity + 1);

        Assert.Equal(EventKind.Gap, events[0].Kind);
        Assert.Contains("12 events were dropped", events[0].Message, StringComparison.Ordinal);
        Assert.Equal($"1.{published:x}", events[^1].RingId);
        Assert.All(events.Skip(1), e => Assert.Equal(EventKind.Membership, e.Kind));
    }

    [Fact]
    public async Task Dispose_Watcher_NoLongerReceivesAndStreamEnds()
    {
        var watcher = _hub.Subscribe();
        watcher.Dispose();
        _hub.Publish(Change(1, quorate: true, dc: 1), At);

        var events = new List<ClusterEvent>();
        await foreach (var e in watcher.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            events.Add(e);
        }

        Assert.Empty(events);
    }

    [Fact]
    public async Task Publish_ControllerEvent_ReachesEveryWatcherMapped()
    {
        using var first = _hub.Subscribe();
        using var second = _hub.Subscribe();

        _hub.Publish(new ControllerEvent(At, ControllerEventKind.ActionFinished, "start mysqld on node1: ok", "node1", "mysqld", "start", 7, true, TimeSpan.FromMilliseconds(1500)));

        foreach (var watcher in new[] { first, second })
        {
            var e = Assert.Single(await Read(watcher, 1));
            Assert.Equal((EventKind.ActionFinished, "mysqld", "node1", "start", 7UL, true, 1500L), (e.Kind, e.Resource, e.Node, e.Action, e.Transition, e.Succeeded, e.DurationMs));
        }
    }

    private static ViewChange Change(ulong seq, bool quorate, uint dc, bool changed = false)
    {
        var view = new MembershipView(new RingId(seq, new NodeId(1)), [new ViewMember(new NodeId(1), 1)]);
        return new ViewChange(MembershipView.None, view, [new NodeId(1)], [], [], new QuorumState(quorate, 2, 1, 1, true, true, true), new NodeId(dc), TimeSpan.Zero)
        {
            QuorumChanged = changed,
            DcChanged = changed,
        };
    }

    private static async Task<List<ClusterEvent>> Read(EventHub.Watcher watcher, int count)
    {
        var events = new List<ClusterEvent>();
        await foreach (var e in watcher.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
