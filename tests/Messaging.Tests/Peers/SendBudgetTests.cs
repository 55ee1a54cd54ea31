using System.Threading.Channels;
using ClusterD.Messaging.Peers;

namespace ClusterD.Messaging.Tests.Peers;

public sealed class SendBudgetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void TryTake_UpToTheLimit_ThenRefusesUntilGivenBack()
    {
        var budget = new SendBudget(100);

        Assert.True(budget.TryTake(60));
        Assert.True(budget.TryTake(40));
        Assert.False(budget.TryTake(1));
        Assert.Equal(100, budget.Used);

        budget.Give(40);
        Assert.True(budget.TryTake(40));
        Assert.Equal(100, budget.Used);
    }

    [Fact]
    public void TryTake_MessageLargerThanTheWholeBudget_FitsOnlyAnEmptyQueue()
    {
        var budget = new SendBudget(100);
        Assert.True(budget.TryTake(1));
        Assert.False(budget.TryTake(500));

        budget.Give(1);
        Assert.True(budget.TryTake(500));
        Assert.False(budget.TryTake(1));
    }

    [Fact]
    public async Task TakeAsync_Waiters_AreAdmittedInArrivalOrderAndASmallOneDoesNotOvertakeALargeOne()
    {
        var budget = new SendBudget(100);
        Assert.True(budget.TryTake(100));
        var large = budget.TakeAsync(80, Ct).AsTask();
        var small = budget.TakeAsync(10, Ct).AsTask();

        Assert.False(budget.TryTake(1), "a sender must not jump the queue of waiters");
        budget.Give(50);
        Assert.False(large.IsCompleted || small.IsCompleted, "80 bytes do not fit in 50; the 10 behind it waits its turn");

        budget.Give(50);
        await large.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await small.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(90, budget.Used);
    }

    [Fact]
    public async Task TakeAsync_CancelledWaiter_ReleasesItsTurnToTheOnesBehind()
    {
        var budget = new SendBudget(100);
        Assert.True(budget.TryTake(100));
        using var cancel = new CancellationTokenSource();
        var first = budget.TakeAsync(100, cancel.Token).AsTask();
        var second = budget.TakeAsync(10, Ct).AsTask();
        budget.Give(50);
        Assert.False(second.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await second.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(60, budget.Used);
    }

    [Fact]
    public async Task Close_FailsWaitersAndLaterSenders()
    {
        var budget = new SendBudget(10);
        Assert.True(budget.TryTake(10));
        var waiting = budget.TakeAsync(5, Ct).AsTask();

        budget.Close();

        await Assert.ThrowsAsync<ChannelClosedException>(() => waiting);
        await Assert.ThrowsAsync<ChannelClosedException>(() => budget.TakeAsync(1, Ct).AsTask());
        budget.Give(10);
        Assert.False(budget.TryTake(1));
    }
}
