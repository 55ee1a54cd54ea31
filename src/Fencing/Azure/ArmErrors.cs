namespace ClusterD.Fencing.Azure;

/// <summary>
/// What a failed Resource Manager call means, in words an operator can act on (pure): a 401 or 403
/// names the action of the minimal custom role the call needed, a 404 names the VM and the resource
/// group, throttling and server errors say they were retried. ARM's own code and message and its
/// request ids follow, for the activity log and for support.
/// </summary>
internal static class ArmErrors
{
    public static string Describe(ArmOperation operation, ArmReply reply, AzureTarget target, string? vm)
    {
        var what = vm is null ? $"{operation.Name} {target}" : $"{operation.Name} VM '{vm}' in {target}";
        var arm = reply.ErrorCode is null ? "" : $" {reply.ErrorCode}" + (reply.ErrorMessage is null ? "" : $": {reply.ErrorMessage}");
        var detail = $"({reply.Status}{arm}; {reply.Ids})";
        return reply.Status switch
        {
            401 when reply.ErrorCode is "ExpiredAuthenticationToken" =>
                $"Resource Manager found the token expired to {what} {detail}: check this node's clock (tokens are renewed 5 minutes before they expire)",
            401 => $"Resource Manager did not accept the token to {what} {detail}: the identity is not signed in for this cloud or tenant; "
                + $"once it is, it needs {operation.Permission} (the fencing role: {AzurePermissions.MinimalRoleText})",
            403 => $"not allowed to {what} {detail}: the identity lacks {operation.Permission}; assign it a role with "
                + $"{AzurePermissions.MinimalRoleText} on the VM or resource group (role assignments can take minutes to apply)",
            404 when reply.ErrorCode is "ResourceGroupNotFound" =>
                $"resource group '{target.ResourceGroup}' not found in subscription {target.Subscription} {detail}",
            404 when reply.ErrorCode is "SubscriptionNotFound" or "InvalidSubscriptionId" =>
                $"subscription {target.Subscription} not found {detail}",
            404 when vm is not null => $"VM '{vm}' not found in {target} {detail}: check pcmk_host_map and resourceGroup",
            404 => $"{target} not found {detail}",
            409 => $"Resource Manager refused to {what} because of the VM's state {detail}",
            429 => $"Resource Manager throttled the request to {what} and retries did not get through {detail}",
            >= 500 => $"Resource Manager failed to {what}, also when retried {detail}",
            _ => $"Resource Manager refused to {what} {detail}",
        };
    }
}
