using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Wire;

namespace ClusterD.Messaging.Peers;

/// <summary>Receives what a <see cref="PeerConnection"/> reads, in order, from its read loop.</summary>
public interface IPeerConnectionOwner
{
    void OnMessage(PeerConnection connection, PeerMessage message);

    void OnRejected(PeerConnection connection, FrameError reason);

    void OnClosed(PeerConnection connection, string reason);
}
