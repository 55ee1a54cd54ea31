using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>An agent as its crm spelling, <c>"ocf:linbit:drbd"</c>.</summary>
internal sealed class AgentSpecJsonConverter : JsonConverter<AgentSpec>
{
    public override AgentSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AgentSpec.TryParse(reader.GetString(), out var agent, out var problem) ? agent! : throw new JsonException(problem);

    public override void Write(Utf8JsonWriter writer, AgentSpec value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}
