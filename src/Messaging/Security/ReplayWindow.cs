namespace ClusterD.Messaging.Security;

/// <summary>
/// Anti-replay window over 64-bit sequence numbers (the sliding bitmap of RFC 4303 section 3.4.3):
/// a sequence number is accepted once, if it is newer than the highest seen or within the last
/// <see cref="Width"/> and not yet seen. Also counts gaps as losses, and takes a loss back when a
/// late datagram fills its gap. A mutable value owned by one reader.
/// </summary>
public struct ReplayWindow
{
    public const int Width = 64;

    private ulong _first;
    private ulong _highest;
    private ulong _seen; // bit i set: sequence (_highest - i) was accepted

    public ulong Highest => _highest;

    public ulong Lost { get; private set; }

    public ulong Accepted { get; private set; }

    /// <summary>Accepts <paramref name="seq"/> (which must be at least 1) or reports it as a replay or too old.</summary>
    public ReplayVerdict Check(ulong seq)
    {
        if (seq == 0)
        {
            return ReplayVerdict.TooOld;
        }

        if (seq > _highest)
        {
            var shift = seq - _highest;
            if (_highest != 0)
            {
                Lost += shift - 1;
            }
            else
            {
                _first = seq;
            }

            _seen = shift >= Width ? 1UL : (_seen << (int)shift) | 1UL;
            _highest = seq;
            Accepted++;
            return ReplayVerdict.Accepted;
        }

        var age = _highest - seq;
        if (age >= Width)
        {
            return ReplayVerdict.TooOld;
        }

        var bit = 1UL << (int)age;
        if ((_seen & bit) != 0)
        {
            return ReplayVerdict.Replayed;
        }

        _seen |= bit;
        Accepted++;
        if (seq > _first)
        {
            Lost--; // every unseen number between the first and the highest was counted lost once
        }

        return ReplayVerdict.Accepted;
    }
}

public enum ReplayVerdict
{
    Accepted,
    Replayed,
    TooOld,
}
