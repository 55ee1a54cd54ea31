using System.Text.Json;

namespace ClusterD.Agents.Native.Drbd;

/// <summary>
/// Reads DRBD's status in its two formats: <c>drbdsetup status RES --json</c> (DRBD 9) and
/// <c>/proc/drbd</c> (DRBD 8.4). Pure; malformed input is a <see cref="FormatException"/> with the reason,
/// never a crash of the caller.
/// </summary>
public static class DrbdStatusParser
{
    private const int MaxJson = 1 << 20;

    /// <summary>The state of <paramref name="resource"/> from the JSON array <c>drbdsetup status --json</c> prints (first volume, first peer).</summary>
    public static DrbdState ParseJson(string json, string resource)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJson)
        {
            throw new FormatException($"drbdsetup status output is larger than {MaxJson} characters");
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("drbdsetup status --json did not print an array");
            }

            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Text(item, "name") == resource)
                {
                    return FromJson(item);
                }
            }

            return DrbdState.Down;
        }
        catch (JsonException e)
        {
            throw new FormatException($"drbdsetup status --json printed invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>The state of minor <paramref name="minor"/> in <c>/proc/drbd</c> (8.4: <c> 1: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----</c>).</summary>
    public static DrbdState ParseProcDrbd(string text, int minor)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prefix = $"{minor}:";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split(':', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
            if (!fields.TryGetValue("cs", out var connection) || connection == "Unconfigured")
            {
                return DrbdState.Down;
            }

            var (role, peerRole) = Pair(fields, "ro", "Unknown");
            var (disk, peerDisk) = Pair(fields, "ds", "DUnknown");
            return new DrbdState(true, role, disk, connection, peerRole, peerDisk);
        }

        return DrbdState.Down;
    }

    private static DrbdState FromJson(JsonElement resource)
    {
        var role = Text(resource, "role") ?? "Unknown";
        var disk = "Diskless";
        if (resource.TryGetProperty("devices", out var devices) && devices.ValueKind == JsonValueKind.Array && devices.GetArrayLength() > 0)
        {
            disk = Text(devices[0], "disk-state") ?? "Diskless";
        }

        var connection = "StandAlone";
        var peerRole = "Unknown";
        var peerDisk = "DUnknown";
        if (resource.TryGetProperty("connections", out var connections) && connections.ValueKind == JsonValueKind.Array && connections.GetArrayLength() > 0)
        {
            var peer = connections[0];
            connection = Text(peer, "connection-state") ?? "StandAlone";
            peerRole = Text(peer, "peer-role") ?? "Unknown";
            if (peer.ValueKind == JsonValueKind.Object && peer.TryGetProperty("peer_devices", out var peerDevices)
                && peerDevices.ValueKind == JsonValueKind.Array && peerDevices.GetArrayLength() > 0)
            {
                peerDisk = Text(peerDevices[0], "peer-disk-state") ?? "DUnknown";
            }
        }

        return new DrbdState(true, role, disk, connection, peerRole, peerDisk);
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static (string Local, string Peer) Pair(Dictionary<string, string> fields, string key, string unknown)
    {
        if (!fields.TryGetValue(key, out var value))
        {
            return (unknown, unknown);
        }

        var parts = value.Split('/', 2);
        return (parts[0], parts.Length > 1 ? parts[1] : unknown);
    }
}
