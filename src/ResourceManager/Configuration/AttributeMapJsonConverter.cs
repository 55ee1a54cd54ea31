using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>An attribute map as a JSON object, in written order.</summary>
internal sealed class AttributeMapJsonConverter : JsonConverter<AttributeMap>
{
    public override AttributeMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object of string values");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"attribute '{name}' must be a string");
            }

            if (!seen.Add(name))
            {
                throw new JsonException($"attribute '{name}' appears twice");
            }

            pairs.Add(KeyValuePair.Create(name, reader.GetString()!));
        }

        return AttributeMap.Create(pairs);
    }

    public override void Write(Utf8JsonWriter writer, AttributeMap value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var (key, v) in value.Items)
        {
            writer.WriteString(key, v);
        }

        writer.WriteEndObject();
    }
}
