using ClusterD.Daemon.Admin;

namespace ClusterD.Daemon.Tests.Admin;

public sealed class AdminConnectionBudgetTests
{
    private static AdminConnectionBudget Budget() => new(total: 6, untrustedTotal: 4, perUid: 2, isTrusted: uid => uid == 0);

    [Fact]
    public void TryAdmit_OneUidAtItsShare_RefusedWhileOthersAdmitted()
    {
        var budget = Budget();

        Assert.True(budget.TryAdmit(1000));
        Assert.True(budget.TryAdmit(1000));
        Assert.False(budget.TryAdmit(1000));
        Assert.True(budget.TryAdmit(1001));
        Assert.Equal(3, budget.Open);
    }

    [Fact]
    public void TryAdmit_UntrustedTotalReached_RootStillAdmittedUpToTotal()
    {
        var budget = Budget();
        foreach (var uid in new uint[] { 1000, 1000, 1001, 1001 })
        {
            Assert.True(budget.TryAdmit(uid));
        }

        Assert.False(budget.TryAdmit(1002));
        Assert.True(budget.TryAdmit(0));
        Assert.True(budget.TryAdmit(0));
        Assert.False(budget.TryAdmit(0));
        Assert.Equal(6, budget.Open);
    }

    [Fact]
    public void Release_SlotReturned_AdmitsAgain()
    {
        var budget = Budget();
        Assert.True(budget.TryAdmit(1000));
        Assert.True(budget.TryAdmit(1000));

        budget.Release(1000);

        Assert.True(budget.TryAdmit(1000));
        Assert.Equal(2, budget.Open);
    }

    [Fact]
    public void Release_NotHeld_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Budget().Release(1000));
    }
}
