namespace ClusterD.Fencing.Scripts;

/// <summary>The <c>action=</c> words of the fence-agents API and of Pacemaker's <c>pcmk_*_action</c> options.</summary>
public static class FenceActionNames
{
    /// <summary>The word the agent reads: <c>off</c>, <c>on</c>, <c>reboot</c>, <c>status</c>, <c>list</c>, <c>monitor</c>, <c>metadata</c>.</summary>
    public static string ToAgentName(FenceAction action) => action switch
    {
        FenceAction.Off => "off",
        FenceAction.On => "on",
        FenceAction.Reboot => "reboot",
        FenceAction.Status => "status",
        FenceAction.List => "list",
        FenceAction.Monitor => "monitor",
        FenceAction.Metadata => "metadata",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>
    /// Reads an action word, case-insensitively; <c>poweroff</c> is Pacemaker's old name of <c>off</c>
    /// (<c>stonith-action</c> still accepts it) and <c>meta-data</c> the OCF spelling of <c>metadata</c>.
    /// </summary>
    public static bool TryParse(string? text, out FenceAction action)
    {
        action = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "off" or "poweroff":
                action = FenceAction.Off;
                return true;
            case "on":
                action = FenceAction.On;
                return true;
            case "reboot":
                action = FenceAction.Reboot;
                return true;
            case "status":
                action = FenceAction.Status;
                return true;
            case "list":
                action = FenceAction.List;
                return true;
            case "monitor":
                action = FenceAction.Monitor;
                return true;
            case "metadata" or "meta-data":
                action = FenceAction.Metadata;
                return true;
            default:
                return false;
        }
    }
}
