using System.Globalization;

namespace ClusterD.Agents;

/// <summary>Names and severities of <see cref="OcfExitCode"/> values, and the mapping from raw process exit codes.</summary>
public static class OcfExitCodes
{
    /// <summary>
    /// The OCF symbolic name (<c>OCF_SUCCESS</c>, <c>OCF_NOT_RUNNING</c>, ...), or
    /// <c>OCF_UNKNOWN(n)</c> for a value outside 0-9.
    /// </summary>
    public static string Symbol(this OcfExitCode code) => code switch
    {
        OcfExitCode.Success => "OCF_SUCCESS",
        OcfExitCode.GenericError => "OCF_ERR_GENERIC",
        OcfExitCode.InvalidArgument => "OCF_ERR_ARGS",
        OcfExitCode.Unimplemented => "OCF_ERR_UNIMPLEMENTED",
        OcfExitCode.InsufficientPrivileges => "OCF_ERR_PERM",
        OcfExitCode.NotInstalled => "OCF_ERR_INSTALLED",
        OcfExitCode.NotConfigured => "OCF_ERR_CONFIGURED",
        OcfExitCode.NotRunning => "OCF_NOT_RUNNING",
        OcfExitCode.RunningPromoted => "OCF_RUNNING_PROMOTED",
        OcfExitCode.FailedPromoted => "OCF_FAILED_PROMOTED",
        _ => "OCF_UNKNOWN(" + ((int)code).ToString(CultureInfo.InvariantCulture) + ")",
    };

    /// <summary>A short human description, as <c>crm_mon</c> prints it ("not running", "promoted", ...).</summary>
    public static string Describe(this OcfExitCode code) => code switch
    {
        OcfExitCode.Success => "ok",
        OcfExitCode.GenericError => "error",
        OcfExitCode.InvalidArgument => "invalid parameter",
        OcfExitCode.Unimplemented => "unimplemented feature",
        OcfExitCode.InsufficientPrivileges => "insufficient privileges",
        OcfExitCode.NotInstalled => "not installed",
        OcfExitCode.NotConfigured => "not configured",
        OcfExitCode.NotRunning => "not running",
        OcfExitCode.RunningPromoted => "promoted",
        OcfExitCode.FailedPromoted => "promoted (failed)",
        _ => "unknown",
    };

    /// <summary>
    /// The severity when <paramref name="code"/> is not what the caller expected (a probe expects
    /// 7 and a promoted monitor 8, which are then not failures; that judgement is the caller's).
    /// 1, 7, 8, 9 are soft; 2, 3, 4, 5 hard (the resource cannot run on this node); 6 fatal.
    /// </summary>
    public static OcfFailureSeverity Severity(this OcfExitCode code) => code switch
    {
        OcfExitCode.Success => OcfFailureSeverity.None,
        OcfExitCode.InvalidArgument or OcfExitCode.Unimplemented or OcfExitCode.InsufficientPrivileges
            or OcfExitCode.NotInstalled => OcfFailureSeverity.Hard,
        OcfExitCode.NotConfigured => OcfFailureSeverity.Fatal,
        _ => OcfFailureSeverity.Soft,
    };

    /// <summary>
    /// Maps a raw OCF exit status. 0-9 map to themselves; anything else (including the OCF 1.1
    /// degraded codes 190/191 and shell errors such as 126/127) is <see cref="OcfExitCode.GenericError"/>,
    /// except 190 (degraded) and 191 (degraded promoted), which count as running.
    /// </summary>
    public static OcfExitCode FromOcfStatus(int status) => status switch
    {
        >= 0 and <= 9 => (OcfExitCode)status,
        190 => OcfExitCode.Success,
        191 => OcfExitCode.RunningPromoted,
        _ => OcfExitCode.GenericError,
    };
}
