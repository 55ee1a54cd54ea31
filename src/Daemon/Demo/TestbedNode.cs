namespace ClusterD.Daemon.Demo;

/// <summary>
/// The clusterd of one testbed node (a network namespace the testbed script powers on and off), reached through
/// the admin socket the testbed keeps in the node's directory. It is gone while the node is powered off.
/// </summary>
internal sealed class TestbedNode(string name, string nodeDirectory) : DemoDaemon(name, Path.Combine(nodeDirectory, "clusterd.sock"))
{
    /// <summary>The node's directory: its clusterd.conf and clusterd.log, its power state, MariaDB's files.</summary>
    public string Directory { get; } = nodeDirectory;

    public override bool IsGone => Power != "on";

    /// <summary>"on" or "off", as the testbed records it (a node counts as off only once its power-off is complete).</summary>
    public string Power
    {
        get
        {
            try
            {
                return File.ReadAllText(Path.Combine(Directory, "power")).Trim();
            }
            catch (IOException)
            {
                return "off";
            }
        }
    }

    protected override string GoneReason => $"{Name} is powered off; see {Path.Combine(Directory, "clusterd.log")}";
}
