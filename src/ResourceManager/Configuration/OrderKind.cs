namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// How strictly an order constraint binds: <see cref="Mandatory"/> (then waits for first, and stops
/// when first stops), <see cref="Optional"/> (only orders actions that happen in the same transition),
/// <see cref="Serialize"/> (never at the same time, either order).
/// </summary>
public enum OrderKind
{
    Mandatory,
    Optional,
    Serialize,
}
