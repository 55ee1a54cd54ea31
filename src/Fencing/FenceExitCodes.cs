namespace ClusterD.Fencing;

/// <summary>
/// Exit statuses of fence agents, as the fence-agents library defines them (<c>/usr/share/fence/fencing.py</c>:
/// <c>EC_OK</c> 0; every failure path calls <c>fail()</c>, which exits <c>EC_GENERIC_ERROR</c> 1; the
/// <c>status</c> action exits 2 when the plug is off, 0 when on).
/// </summary>
public static class FenceExitCodes
{
    /// <summary>Success; for <c>status</c>: the target is on.</summary>
    public const int Success = 0;

    /// <summary>Any failure (login, connection, timeout waiting for the power state, bad arguments).</summary>
    public const int Error = 1;

    /// <summary>For <c>status</c> only: the target is off.</summary>
    public const int StatusOff = 2;

    /// <summary>Not an exit status: the agent was refused, not found, or stopped on timeout or cancellation.</summary>
    public const int NotRun = -1;
}
