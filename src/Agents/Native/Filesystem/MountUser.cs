namespace ClusterD.Agents.Native.Filesystem;

/// <summary>A process that keeps a mount busy, and how: <c>fd 4</c>, <c>cwd</c>, <c>mmap</c>...</summary>
public sealed record MountUser(int Pid, string Command, IReadOnlyList<string> Holds)
{
    public override string ToString() => $"{Pid} ({Command}: {string.Join(", ", Holds)})";
}
