using ClusterD.TestKit.Testbed;

namespace ClusterD.E2E.Tests;

/// <summary>
/// How the side-by-side benchmark reads Pacemaker: crm_mon's XML as a status, and phase times from the
/// daemons' logs (lines as Pacemaker 2.1.5 and Corosync 3.1.7 wrote them on the testbed). No root needed.
/// </summary>
public sealed class PacemakerViewTests
{
    private const string CrmMon = """
        <pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml">
          <summary>
            <current_dc present="true" version="2.1.5-a3f44794f94" name="hadb02" id="2" with_quorum="true" mixed_version="false"/>
          </summary>
          <nodes>
            <node name="hadb01" id="1" online="true" standby="false" unclean="false" type="member"/>
            <node name="hadb02" id="2" online="false" standby="true" unclean="true" type="member"/>
          </nodes>
          <resources>
            <resource id="st-testbed" resource_agent="stonith:fence_testbed" role="Started" failed="false"><node name="hadb01" id="1" cached="true"/></resource>
            <group id="mysql" number_resources="2">
              <resource id="fs_mysql" resource_agent="ocf:heartbeat:Filesystem" role="Started" failed="false"><node name="hadb02" id="2" cached="true"/></resource>
              <resource id="mysqld" resource_agent="ocf:heartbeat:mysql" role="Stopped" failed="false"/>
            </group>
            <clone id="ms_drbd_mysql" multi_state="true">
              <resource id="drbd_mysql" resource_agent="ocf:linbit:drbd" role="Promoted" failed="false"><node name="hadb02" id="2" cached="true"/></resource>
              <resource id="drbd_mysql" resource_agent="ocf:linbit:drbd" role="Unpromoted" failed="true"><node name="hadb01" id="1" cached="true"/></resource>
            </clone>
          </resources>
        </pacemaker-result>
        """;

    [Fact]
    public void CrmMon_BecomesTheStatusShape_WithEveryInstanceAndRole()
    {
        var status = PacemakerView.FromCrmMon(CrmMon, "S_IDLE");

        Assert.True(status.Quorate);
        Assert.Equal("hadb02", status.Dc);
        Assert.Equal(["hadb01:True:False:False", "hadb02:False:True:True"], status.Nodes.Select(n => $"{n.Name}:{n.Online}:{n.Standby}:{n.Unclean}"));
        Assert.Equal(["hadb02"], Testbed.RoleNodes(status, "drbd_mysql", "Promoted"));
        Assert.Equal(["hadb01"], Testbed.RoleNodes(status, "drbd_mysql", "Failed"));
        Assert.Equal(["hadb02"], Testbed.RoleNodes(status, "fs_mysql", "Started"));
        Assert.Empty(status.Resources.Single(r => r.Id == "mysqld").Instances);
        Assert.Empty(status.PendingActions);
    }

    [Theory]
    [InlineData("S_TRANSITION_ENGINE")]
    [InlineData("unknown")]
    public void CrmMon_WithTheControllerBusy_HasWorkPending(string state)
    {
        var status = PacemakerView.FromCrmMon(CrmMon, state);

        Assert.Equal($"controller in {state}", Assert.Single(status.PendingActions).Action);
    }

    [Fact]
    public void Log_GivesEachPhaseItsLoggedTime_AndAnOperationItsDuration()
    {
        var directory = Directory.CreateTempSubdirectory("pacemaker-log-").FullName;
        try
        {
            var pacemaker = Path.Combine(directory, "pacemaker.log");
            var corosync = Path.Combine(directory, "corosync.log");
            File.WriteAllLines(pacemaker,
            [
                "Dec 06 03:48:46.109 hadb01 pacemaker-controld  [7430] (controld_execute_fence_action) \tnotice: Requesting fencing (off) of node hadb02 | action=1 timeout=60000",
                "Dec 06 03:48:46.181 hadb01 pacemaker-fenced    [7426] (finalize_op) \tnotice: Operation 'off' targeting hadb02 by hadb01 for pacemaker-controld.7430@hadb01: OK (complete) | id=fea44599",
                "Dec 06 03:48:46.201 hadb01 pacemaker-controld  [7430] (do_lrm_rsc_op) \tnotice: Requesting local execution of promote operation for drbd_mysql on hadb01 | transition_key=19:0:0:f0 op_key=drbd_mysql_promote_0",
                "Dec 06 03:48:46.325 hadb01 pacemaker-controld  [7430] (log_executor_event) \tnotice: Result of promote operation for drbd_mysql on hadb01: ok | CIB update 53, graph action confirmed; call=31 key=drbd_mysql_promote_0 rc=0",
                "a line without a time",
            ]);
            File.WriteAllLines(corosync, ["Dec 06 03:48:46.045 [7347] hadb01 corosync notice  [TOTEM ] A new membership (1.d) was formed. Members left: 2"]);
            var crash = new DateTimeOffset(2026, 12, 6, 3, 48, 43, 958, TimeSpan.Zero);

            var log = PacemakerLog.Read([pacemaker, corosync, Path.Combine(directory, "missing.log")], 2026);

            Assert.Equal(5, log.Lines.Count);
            Assert.Equal(2087, (log.First(crash, @"corosync.*Members left")!.Value - crash).TotalMilliseconds);
            Assert.Equal(2223, (log.First(crash, "Operation 'off' targeting hadb02 by .*: OK")!.Value - crash).TotalMilliseconds);
            Assert.Equal(2367, (log.Succeeded(crash, "promote", "drbd_mysql", "hadb01")!.Value - crash).TotalMilliseconds);
            Assert.Equal(124, log.Duration(crash, "promote", "drbd_mysql", "hadb01"));
            Assert.Null(log.Succeeded(crash, "promote", "drbd_mysql", "hadb02"));
            Assert.Null(log.First(crash.AddSeconds(3), "Members left"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
