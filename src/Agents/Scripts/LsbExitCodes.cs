namespace ClusterD.Agents.Scripts;

/// <summary>
/// LSB init-script exit codes to OCF (LSB Core 5.0, "Init Script Actions"). For actions other than
/// <c>status</c>, LSB 0-7 mean what OCF 0-7 mean; anything else is a generic error. <c>status</c>
/// has its own table: 0 running; 1 dead with a pid file, 2 dead with a lock file, 3 not running
/// (all three: <see cref="OcfExitCode.NotRunning"/>); 4 unknown (a generic error); and the
/// distribution-reserved 150 not installed and 151 insufficient privileges, as Pacemaker reads them.
/// </summary>
public static class LsbExitCodes
{
    /// <summary>Maps the exit status of <c>/etc/init.d/NAME</c> after <paramref name="action"/>.</summary>
    public static OcfExitCode ToOcf(AgentAction action, int status)
    {
        if (action != AgentAction.Monitor)
        {
            return status is >= 0 and <= 7 ? (OcfExitCode)status : OcfExitCode.GenericError;
        }

        return status switch
        {
            0 => OcfExitCode.Success,
            1 or 2 or 3 => OcfExitCode.NotRunning,
            150 => OcfExitCode.NotInstalled,
            151 => OcfExitCode.InsufficientPrivileges,
            _ => OcfExitCode.GenericError,
        };
    }
}
