using ClusterD.Messaging.Security;

namespace ClusterD.Messaging.Tests.Security;

public sealed class ReplayWindowTests
{
    private static ReplayVerdict[] Feed(ref ReplayWindow window, params ulong[] seqs)
    {
        var verdicts = new ReplayVerdict[seqs.Length];
        for (var i = 0; i < seqs.Length; i++)
        {
            verdicts[i] = window.Check(seqs[i]);
        }

        return verdicts;
    }

    [Fact]
    public void Check_IncreasingSequence_AcceptsAllWithoutLoss()
    {
        var w = new ReplayWindow();

        for (ulong seq = 1; seq <= 200; seq++)
        {
            Assert.Equal(ReplayVerdict.Accepted, w.Check(seq));
        }

        Assert.Equal(200UL, w.Highest);
        Assert.Equal(200UL, w.Accepted);
        Assert.Equal(0UL, w.Lost);
    }

    [Fact]
    public void Check_SeqZero_IsTooOldOnNewAndUsedWindow()
    {
        var w = new ReplayWindow();

        Assert.Equal(ReplayVerdict.TooOld, w.Check(0));
        Assert.Equal(0UL, w.Accepted);
        w.Check(1);
        Assert.Equal(ReplayVerdict.TooOld, w.Check(0));
        Assert.Equal(1UL, w.Highest);
        Assert.Equal(1UL, w.Accepted);
    }

    [Fact]
    public void Check_HighestAgain_IsReplayed()
    {
        var w = new ReplayWindow();
        Feed(ref w, 1, 2, 3);

        Assert.Equal(ReplayVerdict.Replayed, w.Check(3));
        Assert.Equal(3UL, w.Accepted);
        Assert.Equal(3UL, w.Highest);
    }

    [Fact]
    public void Check_OlderAcceptedSeqAgain_IsReplayed()
    {
        var w = new ReplayWindow();
        Feed(ref w, 1, 2, 3, 4, 5);

        Assert.Equal(ReplayVerdict.Replayed, w.Check(2));
        Assert.Equal(ReplayVerdict.Replayed, w.Check(1));
        Assert.Equal(5UL, w.Accepted);
    }

    [Fact]
    public void Check_FirstSeqAboveOne_AcceptedWithoutCountingLoss()
    {
        var w = new ReplayWindow();

        Assert.Equal(ReplayVerdict.Accepted, w.Check(50));
        Assert.Equal(0UL, w.Lost);
        Assert.Equal(50UL, w.Highest);
    }

    [Fact]
    public void Check_AgeExactly64_IsTooOldAndAge63IsAccepted()
    {
        var w = new ReplayWindow();
        w.Check(100);

        Assert.Equal(ReplayVerdict.TooOld, w.Check(100 - ReplayWindow.Width));
        Assert.Equal(ReplayVerdict.Accepted, w.Check(100 - ReplayWindow.Width + 1));
        Assert.Equal(ReplayVerdict.Replayed, w.Check(100 - ReplayWindow.Width + 1));
        Assert.Equal(ReplayVerdict.TooOld, w.Check(1));
    }

    [Fact]
    public void Check_OutOfOrderWithinWindow_AcceptedOnceThenReplayed()
    {
        var w = new ReplayWindow();
        Feed(ref w, 1, 4, 2);

        Assert.Equal(ReplayVerdict.Accepted, w.Check(3));
        Assert.Equal(ReplayVerdict.Replayed, w.Check(3));
        Assert.Equal(ReplayVerdict.Replayed, w.Check(2));
        Assert.Equal(4UL, w.Highest);
        Assert.Equal(4UL, w.Accepted);
    }

    [Fact]
    public void Check_Gaps_CountedAsLost()
    {
        var w = new ReplayWindow();

        var verdicts = Feed(ref w, 1, 2, 5, 6, 10);

        Assert.All(verdicts, v => Assert.Equal(ReplayVerdict.Accepted, v));
        Assert.Equal(2UL + 3UL, w.Lost);
        Assert.Equal(5UL, w.Accepted);
    }

    [Fact]
    public void Check_LateArrivalFillsGap_TakesLossBack()
    {
        var w = new ReplayWindow();
        Feed(ref w, 1, 2, 5);
        Assert.Equal(2UL, w.Lost);

        Assert.Equal(ReplayVerdict.Accepted, w.Check(4));
        Assert.Equal(1UL, w.Lost);
        Assert.Equal(ReplayVerdict.Accepted, w.Check(3));
        Assert.Equal(0UL, w.Lost);
        Assert.Equal(5UL, w.Accepted);
    }

    [Fact]
    public void Check_ReplayOfLateArrival_DoesNotTakeAnotherLossBack()
    {
        var w = new ReplayWindow();
        Feed(ref w, 1, 5);
        w.Check(3);
        Assert.Equal(2UL, w.Lost);

        Assert.Equal(ReplayVerdict.Replayed, w.Check(3));
        Assert.Equal(2UL, w.Lost);
    }

    [Fact]
    public void Check_JumpBeyondWindow_CountsWholeGapAndForgetsOldBits()
    {
        var w = new ReplayWindow();
        Feed(ref w, 1, 2);

        Assert.Equal(ReplayVerdict.Accepted, w.Check(202));
        Assert.Equal(199UL, w.Lost);

        // Everything 139..201 is inside the new window and was never seen.
        Assert.Equal(ReplayVerdict.Accepted, w.Check(139));
        Assert.Equal(ReplayVerdict.Accepted, w.Check(201));
        Assert.Equal(197UL, w.Lost);
        Assert.Equal(ReplayVerdict.TooOld, w.Check(138));
        Assert.Equal(ReplayVerdict.TooOld, w.Check(2));
    }

    [Fact]
    public void Check_ShiftOfExactlyWidth_ResetsBitmap()
    {
        var w = new ReplayWindow();
        w.Check(1);

        Assert.Equal(ReplayVerdict.Accepted, w.Check(1 + ReplayWindow.Width));
        Assert.Equal(ReplayVerdict.TooOld, w.Check(1));
        Assert.Equal(ReplayVerdict.Accepted, w.Check(2));
        Assert.Equal(ReplayVerdict.Replayed, w.Check(1 + ReplayWindow.Width));
    }

    [Fact]
    public void Check_LargestSequence_AcceptedThenReplayed()
    {
        var w = new ReplayWindow();
        w.Check(1);

        Assert.Equal(ReplayVerdict.Accepted, w.Check(ulong.MaxValue));
        Assert.Equal(ReplayVerdict.Replayed, w.Check(ulong.MaxValue));
        Assert.Equal(ulong.MaxValue - 2, w.Lost);
    }

    [Fact]
    public void Check_LateArrivalOlderThanFirstAccepted_DoesNotTakeBackAnotherGapsLoss()
    {
        // 7 is the first datagram heard (1..6 were never counted as lost), 9 then makes 8 a loss.
        // 6 arriving late fills no counted gap, so the loss of 8 must stay counted.
        var w = new ReplayWindow();
        Feed(ref w, 7, 9);
        Assert.Equal(1UL, w.Lost);

        Assert.Equal(ReplayVerdict.Accepted, w.Check(6));
        Assert.Equal(1UL, w.Lost);
    }

    [Fact]
    public void Check_RandomReorderingWithinWindow_EachSeqAcceptedExactlyOnce()
    {
        const int seed = 1234;
        var random = new Random(seed);
        var seqs = Enumerable.Range(1, 1000).Select(i => (ulong)i).ToArray();

        // Swap neighbours at most 16 apart so every datagram stays within the window.
        for (var i = 0; i + 16 < seqs.Length; i += 16)
        {
            random.Shuffle(seqs.AsSpan(i, 16));
        }

        var w = new ReplayWindow();
        foreach (var seq in seqs)
        {
            Assert.True(w.Check(seq) == ReplayVerdict.Accepted, $"seed {seed}: seq {seq} not accepted");
            Assert.True(w.Check(seq) == ReplayVerdict.Replayed, $"seed {seed}: seq {seq} not a replay the second time");
        }

        Assert.Equal(1000UL, w.Accepted);
        Assert.Equal(0UL, w.Lost);
        Assert.Equal(1000UL, w.Highest);
    }
}
