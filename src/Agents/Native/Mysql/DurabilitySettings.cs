using System.Collections.Immutable;
using System.Globalization;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// The server's settings that decide whether a committed transaction survives a crash or a
/// failover to the other DRBD node: InnoDB must flush its redo log at every commit
/// (<c>innodb_flush_log_at_trx_commit=1</c>) and, when the binary log is on, the binary log must
/// be synced at every commit too (<c>sync_binlog=1</c>). Anything else acknowledges commits that
/// only live in memory, and block replication cannot copy what never reached the disk.
/// </summary>
/// <param name="FlushLogAtTrxCommit">0, 1, 2 (or 3 on MariaDB, which behaves as 1 with group commit).</param>
/// <param name="SyncBinlog">0 (never, the OS decides) or N (every N commit groups).</param>
/// <param name="BinaryLog">Whether <c>log_bin</c> is on; <c>sync_binlog</c> only matters then.</param>
internal sealed record DurabilitySettings(long FlushLogAtTrxCommit, long SyncBinlog, bool BinaryLog)
{
    public const string FlushLogExtra = "innodb-flush-log-at-trx-commit";
    public const string SyncBinlogExtra = "sync-binlog";
    public const string BinaryLogExtra = "log-bin";

    /// <summary>One warning per risky setting; empty when commits are durable.</summary>
    public ImmutableArray<string> Warnings()
    {
        var warnings = ImmutableArray.CreateBuilder<string>();
        if (FlushLogAtTrxCommit is not 1 and not 3)
        {
            warnings.Add($"innodb_flush_log_at_trx_commit={FlushLogAtTrxCommit} (not 1): transactions committed in about the last second can be lost on a crash or failover");
        }

        if (BinaryLog && SyncBinlog != 1)
        {
            warnings.Add($"sync_binlog={SyncBinlog} (not 1) with the binary log on: committed transactions can be missing from the binary log after a crash or failover");
        }

        return warnings.ToImmutable();
    }

    /// <summary>The values as result extras, so status can show them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Extras() =>
    [
        new(FlushLogExtra, FlushLogAtTrxCommit.ToString(CultureInfo.InvariantCulture)),
        new(SyncBinlogExtra, SyncBinlog.ToString(CultureInfo.InvariantCulture)),
        new(BinaryLogExtra, BinaryLog ? "1" : "0"),
    ];
}
