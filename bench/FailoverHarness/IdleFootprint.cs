using System.Globalization;
using ClusterD.TestKit.Processes;
using ClusterD.TestKit.Resources;

namespace ClusterD.FailoverHarness;

/// <summary>
/// Resident memory (VmRSS, VmHWM) and CPU time (utime+stime) of two formed, idle daemons over a window;
/// with <c>resources</c>, running the seed's shape (<see cref="ResourceBed.SeedShapeCrm"/>: Stateful clone, group
/// of three Dummy, test fence device) placed, with its recurring monitors (10, 10, 20, 29 and 31 s) running.
/// </summary>
internal static class IdleFootprint
{
    internal const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static async Task<int> RunAsync(int seconds, string? binary, bool resources = false)
    {
        await using var bed = resources ? new ResourceBed(ResourceBed.SeedShapeCrm(fencingDelay: null), 1000, binary) : null;
        await using var plain = resources ? null : LoopbackCluster.Create(2, 1000, binary: binary);
        var cluster = bed?.Cluster ?? plain!;
        if (bed is not null)
        {
            bed.StartAll();
            if (await Placed.WaitAsync(bed, TimeSpan.FromSeconds(60)) is not { } active)
            {
                Console.Error.WriteLine("the resources were not placed within 60 s");
                return 1;
            }

            Console.WriteLine($"resources placed, node{active + 1} active; monitors every 10-31 s");
        }
        else
        {
            cluster.StartAll();
        }

        await cluster.WaitForViewAsync([0, 1], CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(30)); // past start-up, the first monitors and tiered JIT

        var before = Enumerable.Range(0, 2).Select(i => CpuTicks(cluster[i].Pid)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        for (var i = 0; i < 2; i++)
        {
            var pid = cluster[i].Pid;
            var cpu = (CpuTicks(pid) - before[i]) / ClockTicksPerSecond / seconds * 100;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node{i + 1}: RSS {ProcStatus.Kilobytes(pid, "VmRSS") / 1024.0:F1} MB (peak {ProcStatus.Kilobytes(pid, "VmHWM") / 1024.0:F1} MB), CPU {cpu:F2}% of one core over {seconds} s"));
        }

        return 0;
    }

    internal static long CpuTicks(int pid)
    {
        // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
