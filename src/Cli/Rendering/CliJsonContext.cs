using System.Text.Json.Serialization;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Cli.Rendering;

/// <summary>Source-generated JSON metadata for everything <c>--json</c> prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(EventView))]
[JsonSerializable(typeof(AgentResultView))]
[JsonSerializable(typeof(FenceResultView))]
[JsonSerializable(typeof(FenceTestView))]
[JsonSerializable(typeof(TransitionView))]
[JsonSerializable(typeof(SimulateRunView))]
[JsonSerializable(typeof(ValidateView))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
