using System.Net;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// Bounds the incoming connections that are still in their handshake (unauthenticated, so anyone's):
/// at most <c>perSource</c> from one address, and at most <c>total</c> from all addresses outside the
/// nodelist together. Connections from a nodelist address are bounded per source only, so a flood from
/// elsewhere cannot keep a real peer out (an off-path attacker cannot complete a TCP connection from a
/// peer's address). A refused connection is closed at once, before anything is read.
/// </summary>
internal sealed class HandshakeAdmission(int total, int perSource, Func<IPAddress, bool> isPeerAddress)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _bySource = [];
    private int _strangers;

    /// <summary>Connections in their handshake now.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _bySource.Values.Sum();
            }
        }
    }

    /// <summary>Admits a connection from <paramref name="source"/>, or says why not.</summary>
    public HandshakeRefusal? TryEnter(IPAddress source)
    {
        var peer = isPeerAddress(source);
        lock (_gate)
        {
            var fromSource = _bySource.GetValueOrDefault(source);
            if (fromSource >= perSource)
            {
                return HandshakeRefusal.TooManyFromSource;
            }

            if (!peer && _strangers >= total)
            {
                return HandshakeRefusal.TooManyPending;
            }

            _bySource[source] = fromSource + 1;
            if (!peer)
            {
                _strangers++;
            }

            return null;
        }
    }

    /// <summary>The handshake of a connection admitted from <paramref name="source"/> has ended, one way or the other.</summary>
    public void Leave(IPAddress source)
    {
        var peer = isPeerAddress(source);
        lock (_gate)
        {
            if (_bySource.GetValueOrDefault(source) <= 1)
            {
                _bySource.Remove(source);
            }
            else
            {
                _bySource[source]--;
            }

            if (!peer)
            {
                _strangers--;
            }
        }
    }
}
