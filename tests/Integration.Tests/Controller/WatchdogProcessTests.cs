using ClusterD.TestKit.Processes;
using ClusterD.TestKit.Resources;

namespace ClusterD.Integration.Tests.Controller;

/// <summary>
/// Two real daemons with <c>clusterd { watchdog { } }</c> pointing at a regular file each (the stand-in the test
/// reads; the host's /dev/watchdog is never opened), running the seed's shape.
/// </summary>
public sealed class WatchdogProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HoldingResources_FedThroughTheDaemon_CleanStopEndsWithTheMagicClose()
    {
        await using var bed = new ResourceBed(RunningClusterProcessTests.Configuration);
        var devices = new string[2];
        for (var i = 0; i < 2; i++)
        {
            devices[i] = Path.Combine(bed.Cluster.Root, $"watchdog-{i}");
            File.WriteAllText(devices[i], "");
            var text = File.ReadAllText(bed.Cluster.ConfigPath(i));
            File.WriteAllText(bed.Cluster.ConfigPath(i), text.Replace("    messaging_port:",
                $"    watchdog {{\n        device: {devices[i]}\n        timeout: 4\n    }}\n    messaging_port:", StringComparison.Ordinal));
        }

        bed.StartAll();
        int? active = null;
        Assert.True(await bed.WaitUntilAsync(() => (active = bed.Active()) is not null && bed.RoleOn(1 - active.Value, "drbd_mysql") == "Unpromoted", Limit, Ct), bed.Describe());
        var passive = 1 - active!.Value;

        // Both hold resources (the promoted instance and the group; the unpromoted instance): both are fed, every second.
        Assert.True(await bed.WaitUntilAsync(() => File.ReadAllText(devices[0]).Length >= 3 && File.ReadAllText(devices[1]).Length >= 3, Limit, Ct));
        var status = await bed.Cluster[active.Value].WaitForAsync(s => s.Watchdog is { Armed: true }, Limit, Ct);
        Assert.Equal((devices[active.Value], 4000L), (status.Watchdog.Device, status.Watchdog.TimeoutMs));
        Assert.Contains("not a character device", status.Watchdog.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain('V', File.ReadAllText(devices[active.Value]));

        bed.Cluster[passive].Signal(Signals.SigTerm);

        Assert.True(0 == await bed.Cluster[passive].WaitForExitAsync(Limit), bed.Output(passive));
        Assert.EndsWith("V", File.ReadAllText(devices[passive]), StringComparison.Ordinal);
        Assert.DoesNotContain('V', File.ReadAllText(devices[active.Value]));
    }
}
