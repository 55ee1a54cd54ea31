using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>Finite scores as JSON numbers; INFINITY and -INFINITY as those strings.</summary>
internal sealed class ScoreJsonConverter : JsonConverter<Score>
{
    public override Score Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n))
        {
            return new Score((int)Math.Clamp(n, -Score.InfinityValue, Score.InfinityValue));
        }

        if (reader.TokenType == JsonTokenType.String && Score.TryParse(reader.GetString(), out var score))
        {
            return score;
        }

        throw new JsonException("expected a score: an integer, \"INFINITY\" or \"-INFINITY\"");
    }

    public override void Write(Utf8JsonWriter writer, Score value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsInfinity || value.IsMinusInfinity)
        {
            writer.WriteStringValue(value.ToString());
        }
        else
        {
            writer.WriteNumberValue(value.Value);
        }
    }
}
