namespace ClusterD.TestKit.Processes;

/// <summary>Where the built clusterd and clusterctl live (built by the project references, run as real processes).</summary>
public static class RepoPaths
{
#if RELEASE_BUILD
    private const string Configuration = "Release";
#else
    private const string Configuration = "Debug";
#endif

    public static string Root { get; } = FindRoot();

    public static string Clusterd => Path.Combine(Root, "src", "Daemon", "bin", Configuration, "net10.0", "clusterd.dll");

    public static string Clusterctl => Path.Combine(Root, "src", "Cli", "bin", Configuration, "net10.0", "clusterctl.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClusterD.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ClusterD.sln not found above " + AppContext.BaseDirectory);
    }
}
