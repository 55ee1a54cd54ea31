using ClusterD.Controller.Configuration;
using ClusterD.Controller.Runtime;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Journal;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Daemon.Controller;

/// <summary>The controller's files under the state directory: the configuration store (two checked generations) and the decision journal.</summary>
internal sealed class DaemonStorage(string stateDir) : IControllerStorage
{
    private readonly ConfigStore _store = new(stateDir);
    private readonly DecisionJournal _journal = new(Path.Combine(stateDir, "journal"));

    /// <summary>The last good configuration on disk, with a warning for every generation skipped.</summary>
    public ConfigLoad Load() => _store.Load();

    public void SaveConfig(ClusterConfig config) => _store.Save(config);

    public void RecordDecision(ClusterConfig config, ClusterStatus status, DateTimeOffset now, TransitionGraph graph) =>
        _journal.Record(config, status, now, graph);
}
