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
    public string? WhyNotPromotable() => PeerIsPrimary ? "the peer is Primary" : WhyDataNotPromotable();

    /// <summary>
    /// Whether this node's data allows promotion, whoever is Primary now: null when it does, else why not.
    /// The promotion score follows this, not <see cref="WhyNotPromotable"/>: a Secondary under a Primary
    /// peer keeps its score, so the scheduler can promote it as soon as the peer is demoted or fenced
    /// (ocf:linbit:drbd scores the data too; promoted-max keeps a second Primary out, and promote itself
    /// still refuses while the peer is Primary).
    /// </summary>
    public string? WhyDataNotPromotable()
    {
        if (!Up)
        {
            return "the resource is not up";
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
    /// The promotion score this node should have. A Primary with UpToDate data scores highest whatever it
    /// knows of its peer ("keep me Primary"): a peer coming back must never outscore it, or the cluster
    /// would move the service back to it. A Secondary scores its data: highest when UpToDate and replicating
    /// with an UpToDate Secondary peer, lower under a Primary peer or with the peer unknown (still promotable
    /// the moment the Primary is demoted or fenced), lowest for Consistent over an outdated peer;
    /// -INFINITY when its data must not be promoted.
    /// </summary>
    public string PromotionScore()
    {
        if (WhyDataNotPromotable() is not null && !IsPrimary)
        {
            return "-INFINITY";
        }

        var score = Disk switch
        {
            "UpToDate" when IsPrimary => ScoreUpToDateConnected,
            "UpToDate" when IsConnected && PeerDisk == "UpToDate" && !PeerIsPrimary => ScoreUpToDateConnected,
            "UpToDate" => ScoreUpToDatePeerUnknown,
            "Consistent" => ScoreConsistentPeerOutdated,
            _ => 0,
        };
        return score.ToString(CultureInfo.InvariantCulture);
    }

    public override string ToString() =>
        Up ? $"role {Role}, disk {Disk}, connection {Connection}, peer {PeerRole} with disk {PeerDisk}" : "not up";
}
