namespace ClusterD.Fencing.Azure;

/// <summary>The built-in Azure agent's <c>metadata</c>: the fence-agents XML shape, listing its parameters and actions.</summary>
internal static class AzureAgentMetadata
{
    public const string Xml = """
        <?xml version="1.0" ?>
        <resource-agent name="fence_azure_arm" shortdesc="Fence agent for Azure Resource Manager (built into ClusterD)">
        <longdesc>Powers Azure VMs off through Resource Manager (powerOff with skipShutdown, confirmed by the instance view). Reboot powers off now and leaves the power-on until the cluster has recovered.</longdesc>
        <parameters>
        	<parameter name="plug" unique="0" required="1"><content type="string"/><shortdesc lang="en">VM name</shortdesc></parameter>
        	<parameter name="subscriptionId" unique="0" required="0"><content type="string"/><shortdesc lang="en">Subscription id (default: the instance metadata's)</shortdesc></parameter>
        	<parameter name="resourceGroup" unique="0" required="0"><content type="string"/><shortdesc lang="en">Resource group (default: the instance metadata's)</shortdesc></parameter>
        	<parameter name="msi" unique="0" required="0"><content type="boolean" default="true"/><shortdesc lang="en">Use the VM's system-assigned managed identity</shortdesc></parameter>
        	<parameter name="tenantId" unique="0" required="0"><content type="string"/><shortdesc lang="en">Tenant of the service principal</shortdesc></parameter>
        	<parameter name="username" unique="0" required="0"><content type="string"/><shortdesc lang="en">Application (client) id of the service principal</shortdesc></parameter>
        	<parameter name="password_file" unique="0" required="0"><content type="string"/><shortdesc lang="en">File (mode 0600) holding the client secret</shortdesc></parameter>
        	<parameter name="certificate_file" unique="0" required="0"><content type="string"/><shortdesc lang="en">PEM file (mode 0600) with the client certificate and its key</shortdesc></parameter>
        	<parameter name="password" unique="0" required="0"><content type="string"/><shortdesc lang="en">Client secret inline (prefer password_file)</shortdesc></parameter>
        	<parameter name="cloud" unique="0" required="0"><content type="select" default="public"><option value="public"/><option value="china"/><option value="usgov"/><option value="stack"/></content><shortdesc lang="en">Azure cloud</shortdesc></parameter>
        	<parameter name="metadata_endpoint" unique="0" required="0"><content type="string"/><shortdesc lang="en">Azure Stack Hub Resource Manager address (cloud=stack)</shortdesc></parameter>
        	<parameter name="arm_endpoint" unique="0" required="0"><content type="string"/><shortdesc lang="en">Resource Manager address</shortdesc></parameter>
        	<parameter name="login_endpoint" unique="0" required="0"><content type="string"/><shortdesc lang="en">Identity authority address</shortdesc></parameter>
        	<parameter name="identity_endpoint" unique="0" required="0"><content type="string"/><shortdesc lang="en">Managed identity token endpoint address</shortdesc></parameter>
        	<parameter name="imds_endpoint" unique="0" required="0"><content type="string"/><shortdesc lang="en">Instance metadata address</shortdesc></parameter>
        	<parameter name="blob_endpoint" unique="0" required="0"><content type="string"/><shortdesc lang="en">Blob service address</shortdesc></parameter>
        	<parameter name="ca_bundle" unique="0" required="0"><content type="string"/><shortdesc lang="en">PEM file of the certificate authorities to trust</shortdesc></parameter>
        	<parameter name="power_timeout" unique="0" required="0"><content type="second" default="240"/><shortdesc lang="en">Longest wait for the power state</shortdesc></parameter>
        	<parameter name="stonith_status_sleep" unique="0" required="0"><content type="second" default="1"/><shortdesc lang="en">Wait between power state reads</shortdesc></parameter>
        </parameters>
        <actions>
        	<action name="on"/>
        	<action name="off"/>
        	<action name="reboot"/>
        	<action name="status"/>
        	<action name="list"/>
        	<action name="monitor"/>
        	<action name="metadata"/>
        </actions>
        </resource-agent>
        """;
}
