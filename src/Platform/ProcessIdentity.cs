namespace ClusterD.Platform;

/// <summary>Who this process acts as.</summary>
public static class ProcessIdentity
{
    /// <summary>The user this process acts as (<c>geteuid(2)</c>): the owner of the files it creates.</summary>
    public static uint EffectiveUserId => Native.GetEffectiveUserId();
}
