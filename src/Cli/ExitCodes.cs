namespace ClusterD.Cli;

/// <summary>
/// The process exit codes of <c>clusterctl</c>. Scripts and the integration tests rely on them,
/// so they only ever gain new values.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>
    /// Any other failure: a bad or unreadable input file (the message names it), an output that
    /// cannot be written, the daemon refused the request, or something unexpected broke.
    /// </summary>
    public const int Error = 1;

    /// <summary>The command line could not be parsed (unknown verb or option, missing, empty or malformed value).</summary>
    public const int Usage = 2;

    /// <summary>The daemon's admin socket is missing, refused the connection or did not answer.</summary>
    public const int DaemonUnreachable = 3;
}
