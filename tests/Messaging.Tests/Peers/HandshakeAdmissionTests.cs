using System.Net;
using ClusterD.Messaging.Peers;

namespace ClusterD.Messaging.Tests.Peers;

public sealed class HandshakeAdmissionTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("198.18.0.12");

    private static HandshakeAdmission Admission(int total = 3, int perSource = 2) => new(total, perSource, a => a.Equals(Peer));

    private static IPAddress Stranger(int i) => IPAddress.Parse($"203.0.113.{i}");

    [Fact]
    public void TryEnter_PerSourceBound_RefusesTheNextFromThatSourceOnly()
    {
        var admission = Admission();
        Assert.Null(admission.TryEnter(Stranger(1)));
        Assert.Null(admission.TryEnter(Stranger(1)));

        Assert.Equal(HandshakeRefusal.TooManyFromSource, admission.TryEnter(Stranger(1)));
        Assert.Null(admission.TryEnter(Stranger(2)));
        Assert.Equal(3, admission.Pending);
    }

    [Fact]
    public void TryEnter_TotalBoundOverStrangers_RefusesStrangersButNotANodelistAddress()
    {
        var admission = Admission();
        Assert.Null(admission.TryEnter(Stranger(1)));
        Assert.Null(admission.TryEnter(Stranger(2)));
        Assert.Null(admission.TryEnter(Stranger(3)));

        Assert.Equal(HandshakeRefusal.TooManyPending, admission.TryEnter(Stranger(4)));
        Assert.Null(admission.TryEnter(Peer));
        Assert.Null(admission.TryEnter(Peer));
        Assert.Equal(HandshakeRefusal.TooManyFromSource, admission.TryEnter(Peer));
    }

    [Fact]
    public void Leave_FreesThePlace_AndCountsReturnToZero()
    {
        var admission = Admission(total: 1, perSource: 1);
        Assert.Null(admission.TryEnter(Stranger(1)));
        Assert.Equal(HandshakeRefusal.TooManyPending, admission.TryEnter(Stranger(2)));

        admission.Leave(Stranger(1));

        Assert.Null(admission.TryEnter(Stranger(2)));
        admission.Leave(Stranger(2));
        Assert.Equal(0, admission.Pending);
    }
}
