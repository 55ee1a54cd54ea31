using ClusterD.Controller.Runtime;
using ClusterD.Platform.Files;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Daemon.Controller;

/// <summary>The controller's files under the state directory: the configuration (crm text, written atomically).</summary>
internal sealed class DaemonStorage(string stateDir) : IControllerStorage
{
    private readonly string _configPath = Path.Combine(stateDir, "cib.crm");

    public ClusterConfig Load(out string? warning)
    {
        warning = null;
        if (!File.Exists(_configPath))
        {
            return ClusterConfig.Empty;
        }

        var parsed = CrmParser.ParseFile(_configPath);
        if (parsed.Succeeded)
        {
            return parsed.Config;
        }

        warning = $"{_configPath}: {string.Join("; ", parsed.Errors.Take(3))}: starting without a configuration";
        return ClusterConfig.Empty;
    }

    public void SaveConfig(ClusterConfig config)
    {
        if (!AtomicTextFile.TryWrite(_configPath, CrmWriter.Write(config), out var error))
        {
            throw new IOException(error);
        }
    }

    public void RecordDecision(ClusterConfig config, ClusterStatus status, DateTimeOffset now, TransitionGraph graph)
    {
    }
}
