using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Status;

/// <summary>Source-generated (AOT-safe) metadata for the status JSON shape.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    MaxDepth = 32)]
[JsonSerializable(typeof(StatusJsonDocument))]
[JsonSerializable(typeof(string))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
