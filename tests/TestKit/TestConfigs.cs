using System.Globalization;
using System.Text;
using ClusterD.Membership.Configuration;

namespace ClusterD.TestKit;

/// <summary>Builds clusterd.conf texts and parsed configurations for tests.</summary>
public static class TestConfigs
{
    /// <param name="addresses">Per node, its link addresses (ring0, ring1 ...).</param>
    public static string Text(
        IReadOnlyList<string[]> addresses,
        int tokenMs = 1000,
        bool? twoNode = null,
        string clusterName = "hacluster",
        int port = 5405,
        string? stateDirRoot = null,
        string? extraTotem = null,
        string? extraQuorum = null,
        int nodeIndexForClusterD = 0,
        string? authKey = null)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $$"""
            totem {
                version: 2
                cluster_name: {{clusterName}}
                token: {{tokenMs}}
                transport: udpu
                {{extraTotem}}
                interface {
                    linknumber: 0
                    mcastport: {{port}}
                }
                interface {
                    linknumber: 1
                    mcastport: {{port}}
                }
            }
            nodelist {

            """);
        for (var i = 0; i < addresses.Count; i++)
        {
            s.Append(CultureInfo.InvariantCulture, $"    node {{\n        nodeid: {i + 1}\n        name: node{i + 1}\n");
            for (var link = 0; link < addresses[i].Length; link++)
            {
                s.Append(CultureInfo.InvariantCulture, $"        ring{link}_addr: {addresses[i][link]}\n");
            }

            s.Append("    }\n");
        }

        s.Append("}\nquorum {\n    provider: corosync_votequorum\n");
        if (twoNode ?? addresses.Count == 2)
        {
            s.Append("    two_node: 1\n");
        }

        s.Append(extraQuorum).Append("}\n");
        if (stateDirRoot is not null)
        {
            var dir = Path.Combine(stateDirRoot, $"node{nodeIndexForClusterD + 1}");
            s.Append(CultureInfo.InvariantCulture, $$"""
                clusterd {
                    state_dir: {{dir}}
                    admin_socket: {{dir}}/clusterd.sock
                    agent_state_dir: {{dir}}/agents
                    authkey: {{authKey ?? Path.Combine(stateDirRoot, "authkey")}}
                    messaging_port: {{port + 1}}
                }

                """);
        }

        return s.ToString();
    }

    /// <summary>A parsed configuration of <paramref name="nodes"/> nodes with one link each on 198.18.0.x.</summary>
    public static ClusterConfiguration ForNodes(int nodes, int links = 1, int tokenMs = 1000, bool? twoNode = null, string? extraQuorum = null)
    {
        var addresses = Enumerable.Range(0, nodes)
            .Select(i => Enumerable.Range(0, links).Select(l => $"198.18.{l}.{i + 1}").ToArray())
            .ToArray();
        return ClusterConfigurationLoader.Parse(Text(addresses, tokenMs, twoNode, extraQuorum: extraQuorum), "test.conf");
    }
}
