namespace ClusterD.Daemon.Admin;

/// <summary>
/// How many admin socket connections may be open at once, in total and per caller uid. Trusted
/// callers (root, the daemon's user) are held only to the total; everyone else also to a per-uid
/// share and to a total that leaves <c>total - untrustedTotal</c> connections for the trusted ones,
/// so a flood by an ordinary user can never lock root out. Thread-safe; no I/O.
/// </summary>
internal sealed class AdminConnectionBudget(int total, int untrustedTotal, int perUid, Func<uint, bool> isTrusted)
{
    private readonly Dictionary<uint, int> _byUid = [];
    private readonly Lock _lock = new();
    private int _open;
    private int _untrusted;

    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    /// <summary>Takes a slot for a connection from <paramref name="uid"/>; false when it must be refused.</summary>
    public bool TryAdmit(uint uid)
    {
        var trusted = isTrusted(uid);
        lock (_lock)
        {
            var mine = _byUid.GetValueOrDefault(uid);
            if (_open >= total || (!trusted && (_untrusted >= untrustedTotal || mine >= perUid)))
            {
                return false;
            }

            _open++;
            _untrusted += trusted ? 0 : 1;
            _byUid[uid] = mine + 1;
            return true;
        }
    }

    /// <summary>Returns the slot taken by <see cref="TryAdmit"/>.</summary>
    public void Release(uint uid)
    {
        var trusted = isTrusted(uid);
        lock (_lock)
        {
            var mine = _byUid.GetValueOrDefault(uid);
            if (mine <= 0)
            {
                throw new InvalidOperationException($"uid {uid} released a connection it did not hold");
            }

            _open--;
            _untrusted -= trusted ? 0 : 1;
            if (mine == 1)
            {
                _byUid.Remove(uid);
            }
            else
            {
                _byUid[uid] = mine - 1;
            }
        }
    }
}
