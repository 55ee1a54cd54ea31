using System.Text.Json;
using System.Text.Json.Serialization;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

// The wire shape of `clusterctl status --json` (DESIGN.md section 1) plus failcounts, node attributes
// and operations. Keys the daemon prints that the status model does not use (ringSeq, links, ...)
// are ignored when reading. See docs/status-json.md.

internal sealed class StatusJsonDocument
{
    public string? Cluster { get; set; }

    public bool Quorate { get; set; }

    public string? Dc { get; set; }

    public string? RingId { get; set; }

    public List<StatusJsonNode>? Nodes { get; set; }

    public List<StatusJsonResource>? Resources { get; set; }

    public List<StatusJsonFailcount>? Failcounts { get; set; }

    public List<StatusJsonOperation>? Operations { get; set; }
}

internal sealed class StatusJsonNode
{
    public required string Name { get; set; }

    [JsonConverter(typeof(NumberOrStringConverter))]
    public string? Id { get; set; }

    public bool Online { get; set; }

    public bool Standby { get; set; }

    public bool Unclean { get; set; }

    // Written only when true: a status without pending nodes reads and prints as before.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Pending { get; set; }

    public Dictionary<string, JsonElement>? Attributes { get; set; }
}

internal sealed class StatusJsonResource
{
    public required string Id { get; set; }

    public string? Agent { get; set; }

    public List<StatusJsonInstance>? Instances { get; set; }
}

internal sealed class StatusJsonInstance
{
    public required string Node { get; set; }

    public required string Role { get; set; }
}

internal sealed class StatusJsonFailcount
{
    public required string Resource { get; set; }

    public required string Node { get; set; }

    public required Score Count { get; set; }

    public DateTimeOffset? LastFailure { get; set; }
}

internal sealed class StatusJsonOperation
{
    public required string Resource { get; set; }

    public required string Node { get; set; }

    public required string Operation { get; set; }

    public Duration Interval { get; set; }

    public required int Rc { get; set; }

    public int CallId { get; set; }

    public int OpStatus { get; set; }

    public DateTimeOffset? LastRcChange { get; set; }

    public Duration? ExecTime { get; set; }
}

/// <summary>Node ids are numbers in <c>status --json</c> (corosync node ids) but strings in a CIB; read both, write digits as a number.</summary>
internal sealed class NumberOrStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetUInt64(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException("expected a node id (a non-negative integer or a string)"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (uint.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            writer.WriteNumberValue(n);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
