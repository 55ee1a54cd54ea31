namespace ClusterD.Daemon.Admin;

/// <summary>A Unix group named in the configuration, with its id as resolved at start.</summary>
internal readonly record struct AdminGroup(string Name, uint Gid);
