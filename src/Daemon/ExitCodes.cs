namespace ClusterD.Daemon;

/// <summary>clusterd exit codes (sysexits.h values, so systemd can tell a bad config from a crash).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;

    /// <summary>EX_USAGE: wrong command line.</summary>
    public const int Usage = 64;

    /// <summary>EX_UNAVAILABLE: something the command needs is missing on this host (<c>demo --mysql</c>: root, a program, the testbed); nothing was started.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_CONFIG: the configuration or key file is wrong; restarting will not help (RestartPreventExitStatus=78).</summary>
    public const int Config = 78;

    /// <summary>Stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP after cleaning up: 128 + SIGINT, as a shell reports an interrupted command.</summary>
    public const int Interrupted = 130;
}
