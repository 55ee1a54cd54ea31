using System.Globalization;

namespace ClusterD.Agents.Native.Drbd;

/// <summary>
/// One node's view of one DRBD resource (volume 0), from <c>drbdsetup status --json</c> (DRBD 9) or
/// <c>/proc/drbd</c> (8.4). <see cref="Up"/> false means the resource is not configured in the kernel.
/// </summary>
public sealed record DrbdState(
    bool Up,
    string Role,
    string Disk,
    string Connection,
    string PeerRole,
    string PeerDisk)
{
    /// <summary>Promotion scores in the spirit of ocf:linbit:drbd's <c>adjust_master_score</c> (0 10 1000 10000).</summary>
    public const int ScoreUpToDateConnected = 10_000;
    public const int ScoreUpToDatePeerUnknown = 1_000;
    public const int ScoreConsistentPeerOutdated = 10;

    public static readonly DrbdState Down = new(false, "Unconfigured", "Diskless", "StandAlone", "Unknown", "DUnknown");

    public bool IsPrimary => Role == "Primary";

    public bool IsConnected => Connection == "Connected";

    public bool PeerIsPrimary => PeerRole == "Primary";

    /// <summary>
    /// Whether this node may become Primary: its disk is UpToDate, or Consistent while the peer's disk
    /// is known to be worse (Outdated or Inconsistent). Null when allowed, else why not.
    /// </summary>
    public string? WhyNotPromotable()
    {
        if (!Up)
        {
            return "the resource is not up";
        }

        if (PeerIsPrimary)
        {
            return "the peer is Primary";
        }

        return Disk switch
        {
            "UpToDate" => null,
            "Consistent" when PeerDisk is "Outdated" or "Inconsistent" => null,
            "Consistent" => $"the local disk is only Consistent and the peer's disk is {PeerDisk}, not known to be outdated",
            _ => $"the local disk is {Disk}, not UpToDate",
        };
    }

    /// <summary>
    /// The promotion score this node should have: highest when UpToDate and replicating, lower when the
    /// peer is unknown, lowest for Consistent over an outdated peer; -INFINITY when it must not be promoted.
    /// </summary>
    public string PromotionScore()
    {
        if (WhyNotPromotable() is not null && !IsPrimary)
        {
            return "-INFINITY";
        }

        var score = Disk switch
        {
            "UpToDate" when IsConnected && PeerDisk == "UpToDate" => ScoreUpToDateConnected,
            "UpToDate" => ScoreUpToDatePeerUnknown,
            "Consistent" => ScoreConsistentPeerOutdated,
            _ => 0,
        };
        return score.ToString(CultureInfo.InvariantCulture);
    }

    public override string ToString() =>
        Up ? $"role {Role}, disk {Disk}, connection {Connection}, peer {PeerRole} with disk {PeerDisk}" : "not up";
}
