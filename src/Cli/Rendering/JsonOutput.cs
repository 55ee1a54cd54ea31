using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ClusterD.Cli.Rendering;

/// <summary>
/// Serializes view models for <c>--json</c>: camelCase keys, nulls written out (scripts can rely
/// on every key being present), no HTML escaping since this goes to a terminal or a pipe.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = Create(indented: true);
    private static readonly JsonSerializerOptions Compact = Create(indented: false);

    /// <summary>Pretty-printed, for one document such as <c>status --json</c>.</summary>
    public static string Serialize<T>(T value) => Serialize(value, Indented);

    /// <summary>On one line, for JSON-lines streams such as <c>events --follow --json</c>.</summary>
    public static string SerializeLine<T>(T value) => Serialize(value, Compact);

    private static string Serialize<T>(T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = CliJsonContext.Default,
    };
}
