using ClusterD.Messaging.Security;

namespace ClusterD.Daemon;

/// <summary>The cluster key ring in force, swapped whole on SIGHUP; messaging reads it for every new session.</summary>
internal sealed class ClusterKeys(AuthKeyRing initial)
{
    private AuthKeyRing _current = initial;

    public AuthKeyRing Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
