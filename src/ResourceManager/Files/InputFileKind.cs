namespace ClusterD.ResourceManager.Files;

/// <summary>
/// A kind of file an administrator hands to ClusterD, with the most it may hold. The limits are
/// far above any real file of the kind (the seed's whole configuration is under 1 KiB, a CIB of a
/// 16-node cluster with its operation history a few hundred KiB) and low enough that reading and
/// parsing the largest accepted file stays in tens of MiB of memory. docs/security.md lists them.
/// </summary>
/// <param name="Name">How messages name the kind: "larger than the 8 MiB limit for {Name}".</param>
public sealed record InputFileKind(string Name, long MaxBytes)
{
    private const long MiB = 1024 * 1024;

    /// <summary>A resource configuration: crm shell syntax or a Pacemaker CIB (XML), told apart after reading.</summary>
    public static InputFileKind Configuration { get; } = new("a configuration", 8 * MiB);

    /// <summary>The status JSON <c>clusterctl status --json</c> prints and <c>simulate --status</c> reads.</summary>
    public static InputFileKind Status { get; } = new("a status file", 8 * MiB);

    /// <summary>The limit as people say it: "8 MiB", "64 KiB", else in bytes.</summary>
    public string LimitText => MaxBytes % MiB == 0 ? $"{MaxBytes / MiB} MiB"
        : MaxBytes % 1024 == 0 ? $"{MaxBytes / 1024} KiB"
        : $"{MaxBytes} bytes";
}
