using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Renders a configuration as JSON (<c>clusterctl configure show --json</c>): the model's shape with
/// camelCase keys; scores as numbers (INFINITY and -INFINITY as strings); durations and agents as
/// their crm spelling; attribute maps as objects in written order; unset optional fields omitted.
/// </summary>
public static class ConfigJson
{
    private static readonly JsonSerializerOptions Options = new(ConfigJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return JsonSerializer.Serialize(config, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ClusterConfig>)Options.GetTypeInfo(typeof(ClusterConfig)));
    }
}
