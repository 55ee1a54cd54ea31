using System.Text.Json;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// A VM's power state from its instance view (<c>statuses[].code</c> <c>PowerState/running</c>, ...), pure.
/// Only <c>stopped</c> and <c>deallocated</c> are off: a VM that is <c>stopping</c> may still write.
/// </summary>
internal static class AzurePowerState
{
    public const string Prefix = "PowerState/";

    /// <summary>The state after <c>PowerState/</c> (<c>running</c>, <c>stopped</c>, ...), or null when the instance view has none.</summary>
    public static string? From(JsonElement? instanceView)
    {
        if (instanceView is not { ValueKind: JsonValueKind.Object } view
            || !view.TryGetProperty("statuses", out var statuses) || statuses.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var status in statuses.EnumerateArray())
        {
            if (status.ValueKind == JsonValueKind.Object && status.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && code.GetString() is { } text && text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return AzureFenceSettings.Bounded(text[Prefix.Length..].ToLowerInvariant(), 40);
            }
        }

        return null;
    }

    public static bool IsOff(string? state) => state is "stopped" or "deallocated";

    public static bool IsRunning(string? state) => state is "running";
}
