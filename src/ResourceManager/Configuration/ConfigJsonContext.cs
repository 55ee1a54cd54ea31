using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Source-generated (AOT-safe) metadata for rendering a configuration as JSON: camelCase keys,
/// enums as their names, unset optional fields left out.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClusterConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
