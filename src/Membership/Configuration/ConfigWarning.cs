namespace ClusterD.Membership.Configuration;

/// <summary>A key that was read but is unknown or has no effect in clusterd.</summary>
public sealed record ConfigWarning(string File, int Line, string Key, string Problem)
{
    public override string ToString() => ConfigException.Format(File, Line, Key, Problem);
}
