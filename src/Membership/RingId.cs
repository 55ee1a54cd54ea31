using System.Globalization;

namespace ClusterD.Membership;

/// <summary>
/// Identifies one installed view, like corosync's ring id: a sequence number that strictly
/// increases on every node, and the representative (lowest node id) of the view. Printed the
/// corosync way, <c>rep.seq</c> with the sequence in hex (<c>1.2c</c>).
/// </summary>
public readonly record struct RingId(ulong Seq, NodeId Representative) : IComparable<RingId>
{
    public static RingId None => default;

    public bool IsNone => Seq == 0;

    public int CompareTo(RingId other)
    {
        var bySeq = Seq.CompareTo(other.Seq);
        return bySeq != 0 ? bySeq : Representative.CompareTo(other.Representative);
    }

    public override string ToString() =>
        IsNone ? "" : string.Create(CultureInfo.InvariantCulture, $"{Representative.Value}.{Seq:x}");

    public static bool operator <(RingId left, RingId right) => left.CompareTo(right) < 0;

    public static bool operator <=(RingId left, RingId right) => left.CompareTo(right) <= 0;

    public static bool operator >(RingId left, RingId right) => left.CompareTo(right) > 0;

    public static bool operator >=(RingId left, RingId right) => left.CompareTo(right) >= 0;
}
