using System.Globalization;
using System.Text;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>How one seeded run ended: passed, or the first violated invariant or the missing convergence, with its trace.</summary>
internal sealed record FaultRunResult(int Seed, FaultSchedule Schedule, string? Failure, IReadOnlyList<string> Trace, TimeSpan Simulated, string Hosts)
{
    public bool Passed => Failure is null;

    public string Describe(int tail = 400)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}: {Failure ?? "passed"} after {Simulated.TotalSeconds:0.0} s simulated\n");
        text.Append("replay: CLUSTERD_SIM_REPLAY=").Append(Seed).Append(" dotnet test tests/Simulation.Tests --filter FullyQualifiedName~FaultSimulationTests.Replay\n");
        text.Append("schedule:\n").AppendJoin("\n", Schedule.Faults.Select(f => "  " + f)).Append('\n');
        text.Append(Hosts).Append('\n');
        if (Trace.Count > tail)
        {
            text.Append(CultureInfo.InvariantCulture, $"... {Trace.Count - tail} earlier trace lines ...\n");
        }

        return text.AppendJoin("\n", Trace.Skip(Math.Max(0, Trace.Count - tail))).ToString();
    }
}

/// <summary>One seed: a random fault schedule, then every fault stops, then the cluster must converge within a bound.</summary>
internal static class FaultRun
{
    /// <summary>From the end of the faults to everything placed: joins (10 s), fence retries, hung calls (their timeouts), monitors.</summary>
    public static readonly TimeSpan ConvergeLimit = TimeSpan.FromSeconds(180);

    /// <summary>mysqld's monitor runs every 10 s: a death is noticed and recovered well within this.</summary>
    public static readonly TimeSpan MonitorLimit = TimeSpan.FromSeconds(30);

    public static FaultRunResult Execute(int seed, TimeSpan? window = null)
    {
        var schedule = FaultSchedule.Generate(seed, window: window);
        var sim = new WholeClusterSim(seed);
        sim.Schedule(schedule);
        sim.PowerOnAll();
        sim.RunUntil(schedule.FaultWindow);
        string? failure = null;
        if (sim.Violations.Count == 0)
        {
            sim.HealAll();
            var deadline = sim.Now + ConvergeLimit;
            var reset = false;
            while (!reset && sim.Now < deadline && sim.Violations.Count == 0)
            {
                sim.RunUntil(sim.Now + TimeSpan.FromSeconds(1));
                reset = sim.Violations.Count == 0 && sim.OperatorReset();
            }

            if (!sim.RunUntil(deadline, sim.Converged) && sim.Violations.Count == 0)
            {
                failure = $"not converged {ConvergeLimit.TotalSeconds:0} s after the faults stopped (operator reset {(reset ? "done" : "never accepted")}, {sim.Hung} calls hung)";
            }
            else if (sim.Violations.Count == 0)
            {
                // Converged means settled and watched: mysqld dies on the active node, its monitor notices, it is recovered.
                var active = sim.Hosts.Single(h => h.Resources.GetValueOrDefault(SimShape.Drbd) == InstanceRole.Promoted);
                sim.KillResource(active, "mysqld");
                if (!sim.RunUntil(sim.Now + MonitorLimit, sim.Converged) && sim.Violations.Count == 0)
                {
                    failure = $"mysqld died on {active.Name} after the cluster converged, and was not recovered within {MonitorLimit.TotalSeconds:0} s";
                }
            }
        }

        failure ??= sim.Violations.FirstOrDefault();
        return new FaultRunResult(seed, schedule, failure, sim.Trace, sim.Now, sim.DescribeHosts());
    }
}
