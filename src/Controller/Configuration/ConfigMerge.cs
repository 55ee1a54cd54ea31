using System.Security.Cryptography;
using System.Text;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Configuration;

/// <summary>
/// Which resource configuration a node holds when it meets another node's (at join, after a
/// partition heals). Pure and symmetric: both nodes reach the same configuration from the same pair.
/// <list type="number">
/// <item>The higher <see cref="ConfigVersion"/> wins, <c>admin_epoch</c> first, as the CIB's versions do
/// in Pacemaker (an operator raises <c>admin_epoch</c> to force a configuration to win).</item>
/// <item>Equal versions with equal content: <see cref="ConfigMergeOutcome.Same"/>.</item>
/// <item>Equal versions with different content happen when two partitions each changed the configuration
/// the same number of times. Pacemaker compares more counters (<c>num_updates</c>) and then takes the DC's
/// copy, which depends on who is DC; here the configuration whose canonical crm text
/// (<see cref="CrmWriter"/>) has the higher SHA-256 (as a lower-case hex string, ordinally) wins, which
/// needs no other state and is the same answer on every node, so all copies converge.</item>
/// </list>
/// When the loser's content differs from the winner's, the decision carries a warning naming the version
/// dropped and what was lost, by element id.
/// </summary>
public static class ConfigMerge
{
    /// <summary>The largest epoch (and admin_epoch) the <c># clusterd:</c> version line carries: nine digits.</summary>
    public const int MaxEpoch = 999_999_999;

    public static ConfigMergeDecision Decide(ClusterConfig local, ClusterConfig remote, string remoteNode)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(remoteNode);
        var order = local.Version.CompareTo(remote.Version);
        var tie = order == 0;
        if (tie)
        {
            if (local == remote)
            {
                return new ConfigMergeDecision(ConfigMergeOutcome.Same, local, null);
            }

            order = string.CompareOrdinal(Digest(local), Digest(remote));
            if (order == 0)
            {
                // Equal canonical text: the same configuration written differently (attribute order).
                return new ConfigMergeDecision(ConfigMergeOutcome.Same, local, null);
            }
        }

        var keep = order > 0;
        var (winner, loser) = keep ? (local, remote) : (remote, local);
        string? warning = null;
        if (!SameContent(winner, loser))
        {
            var what = ConfigDiff.Describe(loser, winner);
            var why = tie ? " (both sides changed it to the same version independently; the higher SHA-256 of the canonical text wins on every node)" : "";
            warning = keep
                ? $"dropped configuration {loser.Version} from {remoteNode}: {what}; keeping {winner.Version}{why}"
                : $"dropped the local configuration {loser.Version}: {what}; taking {winner.Version} from {remoteNode}{why}";
        }

        return new ConfigMergeDecision(keep ? ConfigMergeOutcome.KeepLocal : ConfigMergeOutcome.TakeRemote, winner, warning);
    }

    /// <summary>
    /// The version after a change: epoch + 1. An epoch at <see cref="MaxEpoch"/> rolls over into the next
    /// admin_epoch with epoch 0, which still compares higher; past that the configuration cannot change.
    /// </summary>
    /// <exception cref="InvalidOperationException">Both counters are at <see cref="MaxEpoch"/>.</exception>
    public static ConfigVersion NextVersion(ConfigVersion current) => current switch
    {
        { Epoch: < MaxEpoch } => current with { Epoch = current.Epoch + 1 },
        { AdminEpoch: < MaxEpoch } => new ConfigVersion(current.AdminEpoch + 1, 0),
        _ => throw new InvalidOperationException($"the configuration version {current} is the highest there is; it cannot be raised"),
    };

    private static bool SameContent(ClusterConfig a, ClusterConfig b) => a with { Version = default } == b with { Version = default };

    private static string Digest(ClusterConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CrmWriter.Write(config))));
}
