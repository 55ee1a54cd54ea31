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
    /// cannot be written, the daemon refused the request (for a reason without its own code below,
    /// such as permission), or something unexpected broke.
    /// </summary>
    public const int Error = 1;

    /// <summary>The command line could not be parsed (unknown verb or option, missing, empty or malformed value).</summary>
    public const int Usage = 2;

    /// <summary>The daemon's admin socket is missing, refused the connection or did not answer.</summary>
    public const int DaemonUnreachable = 3;

    /// <summary>The cluster refused the command: no such node or resource.</summary>
    public const int NotFound = 4;

    /// <summary>The cluster refused the command as invalid: it makes no sense for that resource, or the configuration has errors.</summary>
    public const int InvalidArgument = 5;

    /// <summary>The cluster refused the command in its current state (target offline, in standby or banned).</summary>
    public const int FailedPrecondition = 6;

    /// <summary>The cluster refused the command for now: this node's partition has no quorum, or its view is not trusted yet.</summary>
    public const int ClusterUnavailable = 7;

    /// <summary>
    /// A long-running offline command (<c>simulate</c>) was stopped by SIGINT (Ctrl-C) or SIGTERM before
    /// it finished; it printed and wrote nothing. 128 + SIGINT, as shells report an interrupted command.
    /// </summary>
    public const int Interrupted = 130;
}
