using System.Globalization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// The configuration version, as the CIB's <c>admin_epoch</c> and <c>epoch</c>: compared
/// admin_epoch first, so an operator can force a configuration to win by raising it. When nodes
/// rejoin, the higher version wins.
/// </summary>
public readonly record struct ConfigVersion(int AdminEpoch, int Epoch) : IComparable<ConfigVersion>
{
    public int CompareTo(ConfigVersion other) =>
        AdminEpoch != other.AdminEpoch ? AdminEpoch.CompareTo(other.AdminEpoch) : Epoch.CompareTo(other.Epoch);

    public static bool operator <(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ConfigVersion left, ConfigVersion right) => left.CompareTo(right) >= 0;

    /// <summary>The next version after a change: epoch + 1.</summary>
    public ConfigVersion Next() => this with { Epoch = Epoch + 1 };

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"admin_epoch={AdminEpoch} epoch={Epoch}");
}
