namespace ClusterD.ResourceManager.Configuration;

/// <summary>Reading and writing role names, old and new.</summary>
public static class ResourceRoles
{
    /// <summary>The accepted spellings, for error messages.</summary>
    public const string Expected = "Stopped, Started, Unpromoted, Promoted (or the old names Slave, Master)";

    /// <summary>Reads a role name in any case; <c>Master</c>/<c>Slave</c> are the old names of Promoted/Unpromoted.</summary>
    public static bool TryParse(string? text, out ResourceRole role)
    {
        role = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "stopped":
                role = ResourceRole.Stopped;
                return true;
            case "started":
                role = ResourceRole.Started;
                return true;
            case "unpromoted" or "slave":
                role = ResourceRole.Unpromoted;
                return true;
            case "promoted" or "master":
                role = ResourceRole.Promoted;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The Pacemaker 2.1 name.</summary>
    public static string Name(ResourceRole role) => role switch
    {
        ResourceRole.Stopped => "Stopped",
        ResourceRole.Started => "Started",
        ResourceRole.Unpromoted => "Unpromoted",
        ResourceRole.Promoted => "Promoted",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}
