using System.Net;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// What the demo writes: each node's clusterd.conf, the resource configuration (the seed's shape with
/// Dummy and Stateful agents) and the fence device that stands in for a power switch.
/// </summary>
internal static class DemoFiles
{
    public const string FenceAgent = "fence_clusterd_demo";

    /// <summary>
    /// The seed's configuration (a promotable clone, a group of three behind it, fencing) with the agents
    /// any machine has: Stateful plays DRBD, Dummy plays the filesystem, MySQL and the load balancer probe.
    /// priority-fencing-delay is 0 so the hard failover is not held back (see <see cref="PriorityFencingNote"/>).
    /// </summary>
    public static string Configuration(IReadOnlyList<string> names) => $"""
        primitive fence_demo stonith:{FenceAgent} params pcmk_host_list="{string.Join(' ', names)}"
        primitive drbd_mysql ocf:pacemaker:Stateful \
            op monitor interval=3s role=Promoted \
            op monitor interval=4s role=Unpromoted
        clone ms_drbd_mysql drbd_mysql meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true
        primitive fs_mysql ocf:heartbeat:Dummy op monitor interval=2s
        primitive mysqld ocf:heartbeat:Dummy op monitor interval=2s
        primitive probe_port ocf:heartbeat:Dummy op monitor interval=2s
        group mysql fs_mysql mysqld probe_port
        colocation mysql_on_drbd inf: mysql ms_drbd_mysql:Promoted
        order mysql_after_drbd Mandatory: ms_drbd_mysql:promote mysql:start
        rsc_defaults resource-stickiness=100 migration-threshold=2
        property stonith-enabled=true priority-fencing-delay=0
        """;

    public const string PriorityFencingNote =
        "priority-fencing-delay=0 for the demo. The production default is 15 s: in a network split both nodes fence "
        + "each other, and delaying the fence of the node holding Promoted lets that node win the race; "
        + "the price is 15 s more for every real failover of the active node (docs/fencing.md).";

    public static string DaemonConfig(IReadOnlyList<string> names, IPAddress[] addresses, int port, int tokenMs, string dir, string authkey, string fenceDir) => $$"""
        totem {
            version: 2
            cluster_name: demo
            token: {{tokenMs}}
            transport: udpu
            interface {
                linknumber: 0
                mcastport: {{port}}
            }
        }
        nodelist {
            node {
                nodeid: 1
                name: {{names[0]}}
                ring0_addr: {{addresses[0]}}
            }
            node {
                nodeid: 2
                name: {{names[1]}}
                ring0_addr: {{addresses[1]}}
            }
        }
        quorum {
            provider: corosync_votequorum
            two_node: 1
        }
        clusterd {
            state_dir: {{dir}}
            admin_socket: {{dir}}/clusterd.sock
            authkey: {{authkey}}
            messaging_port: {{port + 1}}
            agent_state_dir: {{dir}}/agents
            fence_agent_dir: {{fenceDir}}
        }
        """;

    /// <summary>
    /// The demo's fence device, found through <c>clusterd.fence_agent_dir</c> and spoken to over the
    /// <c>fence_*</c> stdin protocol (<c>action=</c>, <c>plug=</c> lines) like any Debian fence agent. It
    /// stands for a real power fence: "off" kills the victim's clusterd with SIGKILL (by the pid file the
    /// demo writes next to it) and removes its agents' state, so nothing of the victim runs any more, as
    /// after a power cut. Each target is appended to <c>fenced</c>.
    /// </summary>
    public static string FenceScript(string root, IReadOnlyList<string> names) => $$"""
        #!/bin/sh
        # {{FenceAgent}}: the clusterd demo's stand-in for a power fence (fence_* stdin protocol).
        action=""; plug=""
        while IFS='=' read -r key value; do
            case "$key" in
                action) action="$value" ;;
                plug|port) plug="$value" ;;
            esac
        done
        dir=$(dirname "$0")
        case "$action" in
            off|reboot)
                case "$plug" in {{string.Join('|', names)}}) ;; *) echo "unknown plug '$plug'" >&2; exit 1 ;; esac
                if [ -f "$dir/$plug.pid" ]; then
                    pid=$(cat "$dir/$plug.pid")
                    # Only that node's clusterd, never a process that reused its pid.
                    case "$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null)" in
                        *"--node $plug"*) kill -9 "$pid" 2>/dev/null ;;
                    esac
                fi
                rm -rf "{{root}}/$plug/agents"
                echo "$plug" >> "$dir/fenced"
                exit 0 ;;
            on|status|monitor) exit 0 ;;
            list) {{string.Join("; ", names.Select(n => $"echo \"{n}\""))}}; exit 0 ;;
            metadata) echo '<?xml version="1.0" ?><resource-agent name="{{FenceAgent}}" shortdesc="clusterd demo power fence"><parameters/><actions><action name="off"/><action name="reboot"/><action name="on"/><action name="status"/><action name="monitor"/><action name="list"/><action name="metadata"/></actions></resource-agent>'; exit 0 ;;
            *) exit 1 ;;
        esac
        """;
}
