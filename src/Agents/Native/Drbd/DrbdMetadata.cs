namespace ClusterD.Agents.Native.Drbd;

/// <summary>The DRBD agent's meta-data: ocf:linbit:drbd's parameter names where they apply.</summary>
internal static class DrbdMetadata
{
    public const string Xml = """
        <?xml version="1.0"?>
        <resource-agent name="drbd" version="1.0">
        <version>1.1</version>
        <longdesc lang="en">Manages one DRBD resource as a promotable clone instance through drbdadm and drbdsetup; ClusterD's native equivalent of ocf:linbit:drbd. Stop keeps the resource up, connected and Secondary, so the peer stays replicated; promote requires UpToDate data.</longdesc>
        <shortdesc lang="en">Manages a DRBD resource (native)</shortdesc>
        <parameters>
        <parameter name="drbd_resource" required="1">
        <longdesc lang="en">The name of the DRBD resource from the DRBD configuration.</longdesc>
        <shortdesc lang="en">DRBD resource name</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="drbdconf">
        <longdesc lang="en">The DRBD configuration file (drbdadm -c). Default: drbdadm's own.</longdesc>
        <shortdesc lang="en">DRBD configuration file</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="stop_action">
        <longdesc lang="en">secondary (default): stop demotes and keeps the resource up and connected; down: stop takes the resource down, as ocf:linbit:drbd does.</longdesc>
        <shortdesc lang="en">What stop does to DRBD</shortdesc>
        <content type="string" default="secondary" />
        </parameter>
        </parameters>
        <actions>
        <action name="start" timeout="240s" />
        <action name="promote" timeout="90s" />
        <action name="demote" timeout="90s" />
        <action name="notify" timeout="90s" />
        <action name="stop" timeout="100s" />
        <action name="monitor" depth="0" timeout="20s" interval="20s" role="Unpromoted" />
        <action name="monitor" depth="0" timeout="20s" interval="10s" role="Promoted" />
        <action name="validate-all" timeout="10s" />
        <action name="meta-data" timeout="5s" />
        </actions>
        </resource-agent>
        """;
}
