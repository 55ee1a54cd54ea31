namespace ClusterD.Fencing.Azure;

/// <summary>
/// The actions of the minimal custom role for fencing, as Microsoft's Pacemaker guides give it: read
/// the VMs, power them off, start them. Every ARM call of the agent needs exactly one of them, and a
/// 401 or 403 names it.
/// </summary>
public static class AzurePermissions
{
    /// <summary>Reading VMs and their instance view (the role grants <c>Microsoft.Compute/*/read</c>).</summary>
    public const string Read = "Microsoft.Compute/*/read";

    /// <summary>The read action a VM GET checks, covered by <see cref="Read"/>.</summary>
    public const string VirtualMachineRead = "Microsoft.Compute/virtualMachines/read";

    /// <summary>Powering a VM off.</summary>
    public const string PowerOff = "Microsoft.Compute/virtualMachines/powerOff/action";

    /// <summary>Starting a VM.</summary>
    public const string Start = "Microsoft.Compute/virtualMachines/start/action";

    /// <summary>The whole role, for messages.</summary>
    public static readonly IReadOnlyList<string> MinimalRole = [Read, PowerOff, Start];

    /// <summary>The role as one phrase for messages.</summary>
    public static string MinimalRoleText => string.Join(", ", MinimalRole);

    /// <summary>
    /// Whether an ARM permission pattern (<c>*</c>, <c>Microsoft.Compute/*</c>, <c>Microsoft.Compute/*/read</c>)
    /// grants <paramref name="action"/>. ARM compares ignoring case; <c>*</c> matches any run of characters.
    /// </summary>
    public static bool Grants(string pattern, string action)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(action);
        return Match(pattern.AsSpan(), action.AsSpan());

        static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> a)
        {
            while (!p.IsEmpty)
            {
                if (p[0] == '*')
                {
                    var rest = p[1..];
                    for (var i = 0; i <= a.Length; i++)
                    {
                        if (Match(rest, a[i..]))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                if (a.IsEmpty || char.ToLowerInvariant(p[0]) != char.ToLowerInvariant(a[0]))
                {
                    return false;
                }

                p = p[1..];
                a = a[1..];
            }

            return a.IsEmpty;
        }
    }
}
