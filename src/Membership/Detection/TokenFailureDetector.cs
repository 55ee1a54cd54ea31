namespace ClusterD.Membership.Detection;

/// <summary>
/// The token-timeout failure detector: a node is alive while a heartbeat arrived on any of its
/// links within the last <c>token</c> (inclusive: exactly <c>token</c> after the last heartbeat
/// it is still alive, one tick later it is lost). A <see cref="Cover"/> (an announced freeze of
/// that node) moves its deadline to the end of the cover, if the node was alive when the cover
/// began; never earlier than token. Pure: timestamps in, answers out.
/// </summary>
public sealed class TokenFailureDetector
{
    private readonly TimeSpan?[,] _lastSeen;
    private readonly (TimeSpan From, TimeSpan Until)?[] _covers;

    public TokenFailureDetector(int nodeCount, int linkCount, TimeSpan token)
    {
        if (token <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(token), "the token timeout must be positive");
        }

        _lastSeen = new TimeSpan?[nodeCount, Math.Max(1, linkCount)];
        _covers = new (TimeSpan, TimeSpan)?[nodeCount];
        Token = token;
    }

    public TimeSpan Token { get; }

    public void Observe(int node, int link, TimeSpan now)
    {
        if (_lastSeen[node, link] is not { } last || now > last)
        {
            _lastSeen[node, link] = now;
        }
    }

    public TimeSpan? LastSeen(int node, int link) => _lastSeen[node, link];

    public TimeSpan? LastSeen(int node)
    {
        TimeSpan? newest = null;
        for (var link = 0; link < _lastSeen.GetLength(1); link++)
        {
            if (_lastSeen[node, link] is { } t && (newest is null || t > newest))
            {
                newest = t;
            }
        }

        return newest;
    }

    public bool IsAlive(int node, TimeSpan now) => Deadline(node) is { } deadline && now <= deadline;

    /// <summary>
    /// From <paramref name="from"/> to <paramref name="until"/> (inclusive) <paramref name="node"/> is alive
    /// without heartbeats, provided it was alive at <paramref name="from"/>: a node already lost is not brought
    /// back. Replaces the node's previous cover.
    /// </summary>
    public void Cover(int node, TimeSpan from, TimeSpan until) => _covers[node] = until > from ? (from, until) : null;

    /// <summary>Removes every cover.</summary>
    public void ClearCovers() => Array.Clear(_covers);

    /// <summary>The last instant at which <paramref name="node"/> is still alive with what was heard so far.</summary>
    public TimeSpan? Deadline(int node)
    {
        if (LastSeen(node) is not { } last)
        {
            return null;
        }

        var deadline = last + Token;
        return _covers[node] is { } cover && deadline >= cover.From && cover.Until > deadline ? cover.Until : deadline;
    }

    public bool IsLinkUp(int node, int link, TimeSpan now) => _lastSeen[node, link] is { } last && now - last <= Token;

    /// <summary>
    /// Forgives a pause of this node's own process: every link that was up at <paramref name="pausedAt"/>
    /// counts as heard at <paramref name="resumedAt"/>, so its node gets a full token from the resume to
    /// be heard from, and the time this node itself could not listen is never taken for the peer's
    /// silence. Links already down before the pause stay down.
    /// </summary>
    public void Resume(TimeSpan pausedAt, TimeSpan resumedAt)
    {
        for (var node = 0; node < _lastSeen.GetLength(0); node++)
        {
            for (var link = 0; link < _lastSeen.GetLength(1); link++)
            {
                if (_lastSeen[node, link] is { } last && pausedAt - last <= Token && resumedAt > last)
                {
                    _lastSeen[node, link] = resumedAt;
                }
            }
        }
    }

    /// <summary>The first instant after <paramref name="now"/> at which a node now alive becomes lost, if any.</summary>
    public TimeSpan? NextExpiry(TimeSpan now)
    {
        TimeSpan? next = null;
        for (var node = 0; node < _lastSeen.GetLength(0); node++)
        {
            if (Deadline(node) is { } deadline && now <= deadline)
            {
                var expiry = deadline + TimeSpan.FromTicks(1);
                if (next is null || expiry < next)
                {
                    next = expiry;
                }
            }
        }

        return next;
    }
}
