using System.Text.Json.Serialization;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Journal;

/// <summary>Source-generated (AOT-safe) metadata for the graph inside a journal entry; a missing or null field is an error.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    MaxDepth = 16)]
[JsonSerializable(typeof(TransitionView))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
