using ClusterD.Agents.Native.Mysql;
using ClusterD.Agents.Tests.TestSupport;
using MySqlConnector;

namespace ClusterD.Agents.Tests.Native.Mysql;

/// <summary>What monitor and validate-all report about a running server: durability warnings and the depth-10 checks.</summary>
public sealed class MysqlAgentChecksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FlushLogAtTrxCommit2_WarnsInStartMonitorAndValidate()
    {
        using var db = await MariaDbSandbox.CreateAsync(flushLogAtTrxCommit: 2, cancellationToken: Ct);
        var agent = MysqlAgentLifecycleTests.NewAgent();
        var instance = AgentHarness.Instance("db");
        try
        {
            var start = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
            var monitor = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance), Ct);
            var validate = await agent.ExecuteAsync(db.Request(AgentAction.ValidateAll, instance), Ct);

            foreach (var result in new[] { start, monitor, validate })
            {
                Assert.True(result.IsSuccess, result.ExitReason);
                Assert.Contains(result.Warnings, w => w.StartsWith("innodb_flush_log_at_trx_commit=2", StringComparison.Ordinal));
                Assert.Equal("2", result.Extras[DurabilitySettings.FlushLogExtra]);
            }
        }
        finally
        {
            Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct)).IsSuccess);
        }
    }

    [Fact]
    public async Task FlushLogAtTrxCommit1_NoWarning_AndDepth10WritesTheHeartbeat()
    {
        using var db = await MariaDbSandbox.CreateAsync(flushLogAtTrxCommit: 1, cancellationToken: Ct);
        var agent = MysqlAgentLifecycleTests.NewAgent();
        var instance = AgentHarness.Instance("db");
        var deep = new Dictionary<string, string> { ["heartbeat_table"] = "clusterd_check.heartbeat" };
        try
        {
            var start = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
            Assert.True(start.IsSuccess, start.ExitReason);
            Assert.Empty(start.Warnings);

            var first = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance, extra: deep) with { CheckLevel = 10 }, Ct);
            var firstBeat = await ReadBeatAsync(db, instance);
            await Task.Delay(20, Ct);
            var second = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance, extra: deep) with { CheckLevel = 10 }, Ct);
            var secondBeat = await ReadBeatAsync(db, instance);

            Assert.Equal(OcfExitCode.Success, first.ExitCode);
            Assert.Equal(OcfExitCode.Success, second.ExitCode);
            Assert.Empty(first.Warnings);
            Assert.True(secondBeat > firstBeat, $"{secondBeat:O} after {firstBeat:O}");
        }
        finally
        {
            Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct)).IsSuccess);
        }
    }

    [Fact]
    public async Task Depth10_MissingTestTable_Fails_Depth0StillSucceeds()
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var agent = MysqlAgentLifecycleTests.NewAgent();
        var instance = AgentHarness.Instance("db");
        var missing = new Dictionary<string, string> { ["test_table"] = "mysql.no_such_table" };
        try
        {
            Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct)).IsSuccess);

            var shallow = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance, extra: missing), Ct);
            var deep = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance, extra: missing) with { CheckLevel = 10 }, Ct);
            var defaultTable = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance) with { CheckLevel = 10 }, Ct);

            Assert.Equal(OcfExitCode.Success, shallow.ExitCode);
            Assert.Equal(OcfExitCode.GenericError, deep.ExitCode);
            Assert.Contains("1146", deep.ExitReason, StringComparison.Ordinal);
            Assert.Equal(OcfExitCode.Success, defaultTable.ExitCode);
        }
        finally
        {
            Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct)).IsSuccess);
        }
    }

    private static async Task<DateTime> ReadBeatAsync(MariaDbSandbox db, string instance)
    {
        await using var connection = new MySqlConnection($"Server={db.Socket};Protocol=Unix;User ID=root;Pooling=false;SslMode=None");
        await connection.OpenAsync(Ct);
        await using var command = new MySqlCommand("SELECT beat FROM clusterd_check.heartbeat WHERE instance = @i", connection);
        command.Parameters.AddWithValue("@i", instance);
        return Assert.IsType<DateTime>(await command.ExecuteScalarAsync(Ct));
    }
}
