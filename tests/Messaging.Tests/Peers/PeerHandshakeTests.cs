using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;
using ClusterD.Messaging.Wire;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>The checks of a verified Hello (who may talk to whom, in which role) and the transcript both Finished frames carry.</summary>
public sealed class PeerHandshakeTests
{
    private static readonly AuthKeyRing Ring = new(AuthKey.Generate(1), []);

    private static HandshakeOptions Node(uint id, MessagingCipher cipher = MessagingCipher.None) => PeerCluster.Options(id, Ring, cipher: cipher);

    private static Hello HelloFrom(uint node, uint dials, MessagingCipher cipher = MessagingCipher.None) => RawPeer.Hello(node, dials, new byte[16], cipher);

    [Fact]
    public void Validate_DiallerHelloAtTheAcceptor_IsAccepted()
    {
        Assert.Null(PeerHandshake.Validate(HelloFrom(1, dials: 2), Node(2), expectedPeer: 0));
        Assert.Null(PeerHandshake.Validate(HelloFrom(2, dials: 0), Node(1), expectedPeer: 2));
    }

    [Theory]
    [InlineData(2u, 0u, 1u, 0u, "sent an acceptor's Hello to an acceptor")] // the reflection: one acceptor's Hello handed to the other
    [InlineData(3u, 2u, 2u, 0u, "the lower node id dials")]
    [InlineData(1u, 3u, 2u, 0u, "peer dialled node 3, this is node 2")]
    [InlineData(2u, 1u, 1u, 2u, "answered as a dialler")] // a dialler's Hello where the acceptor's answer belongs
    [InlineData(3u, 0u, 1u, 2u, "dialled node 2 but node 3 answered")]
    [InlineData(2u, 2u, 2u, 0u, "node 2 is not a peer in the nodelist")] // this node itself
    [InlineData(9u, 2u, 2u, 0u, "node 9 is not a peer in the nodelist")]
    public void Validate_WrongPartyOrRole_IsRefusedAsWrongPeer(uint from, uint dials, uint local, uint expectedPeer, string reason)
    {
        var problem = PeerHandshake.Validate(HelloFrom(from, dials), Node(local), expectedPeer);

        Assert.NotNull(problem);
        Assert.Equal(HandshakeRefusal.WrongPeer, problem.Value.Refusal);
        Assert.Contains(reason, problem.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OtherCipher_IsRefusedNamingBothSettings()
    {
        var problem = PeerHandshake.Validate(HelloFrom(1, dials: 2, MessagingCipher.Aes128), Node(2, MessagingCipher.Aes256), expectedPeer: 0);

        Assert.Equal((HandshakeRefusal.CipherMismatch, "node 1 uses crypto_cipher aes128, this node aes256"), problem);
    }

    [Fact]
    public void Validate_ProtocolOne_IsRefusedWithBothVersions()
    {
        var hello = HelloFrom(1, dials: 2);
        hello.ProtocolVersion = 1;

        var problem = PeerHandshake.Validate(hello, Node(2), expectedPeer: 0);

        Assert.Equal((HandshakeRefusal.BadHello, "protocol version 1 is not supported (this node speaks 2)"), problem);
    }

    [Fact]
    public void Transcript_DependsOnBothHellosAndTheirOrder()
    {
        byte[] a = [1, 2, 3];
        byte[] b = [4, 5];

        var ab = PeerHandshake.Transcript(a, b);

        Assert.Equal(32, ab.Length);
        Assert.Equal(ab, PeerHandshake.Transcript(a, b));
        Assert.NotEqual(ab, PeerHandshake.Transcript(b, a));
        Assert.NotEqual(ab, PeerHandshake.Transcript([1, 2], [3, 4, 5])); // lengths are part of it: no shifting bytes across
        Assert.NotEqual(ab, PeerHandshake.Transcript(a, [4, 6]));
    }
}
