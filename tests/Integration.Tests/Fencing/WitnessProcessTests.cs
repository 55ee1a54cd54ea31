using ClusterD.AzureArmStub;
using ClusterD.TestKit.Processes;
using ClusterD.TestKit.Resources;

namespace ClusterD.Integration.Tests.Fencing;

/// <summary>
/// Two real daemons on loopback with a cloud witness on the local Azure stub's Blob service (HTTPS, managed
/// identity through the stub, its CA bundle) and the default 15 s <c>priority-fencing-delay</c>.
/// </summary>
public sealed class WitnessProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterd-witness-it-");
    private ArmStub _stub = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _stub = await ArmStub.StartAsync(_dir.FullName, Ct);

    public async ValueTask DisposeAsync()
    {
        await _stub.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task KillOfTheActiveNode_SurvivorTakesTheLeaseFencesAfterTheHeadStartNotTheDelayAndReleases()
    {
        await using var bed = new ResourceBed(ResourceBed.SeedShapeCrm(fencingDelay: null, monitors: SeedShape.QuickMonitors));
        bed.AddToQuorum(_stub.WitnessSection());
        bed.StartAll();
        int? active = null;
        Assert.True(await bed.WaitUntilAsync(() => (active = bed.Active()) is not null && bed.RoleOn(1 - active.Value, "drbd_mysql") == "Unpromoted", Limit, Ct),
            bed.Describe() + "\n" + bed.Output(0));
        Assert.DoesNotContain(_stub.BlobCalls, c => c.Operation.StartsWith("lease", StringComparison.Ordinal)); // nobody holds it while both see each other
        var survivor = 1 - active!.Value;

        bed.Cluster[active.Value].Signal(Signals.SigKill);

        Assert.True(await bed.WaitUntilAsync(() => bed.Active() == survivor, Limit, Ct), bed.Describe() + "\n" + bed.Output(survivor));
        Assert.Equal([bed.Cluster.Names[active.Value]], bed.Fenced);
        Assert.True(await bed.WaitUntilAsync(() => _stub.BlobCalls.Any(c => c.Operation == "leaseRelease"), Limit, Ct), bed.Output(survivor));
        // (A 404 first, when the survivor's start-up check had not created the blob yet on a loaded machine.)
        Assert.Equal(["leaseAcquire 201", "leaseRelease 200"],
            _stub.BlobCalls.Where(c => c.Operation.StartsWith("lease", StringComparison.Ordinal) && c.Status != 404).Select(c => $"{c.Operation} {c.Status}"));
        var output = bed.Output(survivor);
        Assert.Contains("(witness head start)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("(priority-fencing-delay)", output, StringComparison.Ordinal);
        Assert.Contains("holds the witness lease: fencing", output, StringComparison.Ordinal);
    }
}
