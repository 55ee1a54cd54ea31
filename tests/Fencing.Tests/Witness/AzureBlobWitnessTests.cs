using ClusterD.AzureArmStub;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Tests.TestSupport;
using ClusterD.Fencing.Witness;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.Fencing.Tests.Witness;

/// <summary>
/// The Blob lease client over real HTTPS against <see cref="ArmStub"/>'s Blob service: the exact lease calls
/// (pinned <c>x-ms-version</c>, 15 s, our proposed id), a lease held, lost and taken over by the stub's clock,
/// and what an unreachable witness answers.
/// </summary>
public sealed class AzureBlobWitnessTests : IAsyncLifetime
{
    private static readonly Guid Node1Lease = Guid.Parse("11111111-0000-0000-0000-000000000001");
    private static readonly Guid Node2Lease = Guid.Parse("22222222-0000-0000-0000-000000000002");

    private readonly TempDirectory _dir = new("clusterd-witness-");
    private readonly FakeTimeProvider _blobClock = new();
    private ArmStub _stub = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.Path, Ct);
        _stub.BlobClock = _blobClock;
    }

    public async ValueTask DisposeAsync()
    {
        await _stub.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task AcquireAsync_NoBlobYet_CreatesItThenTakesTheLeaseWithThePinnedCall()
    {
        using var witness = WitnessStub.Client(_stub, Node1Lease);

        var reply = await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.Granted, reply.Result);
        Assert.Equal(Node1Lease, _stub.LeaseHolder(WitnessStub.BlobPath));
        Assert.Equal(["leaseAcquire 404", "createBlob 201", "leaseAcquire 201"], _stub.BlobCalls.Select(c => $"{c.Operation} {c.Status}"));
        var acquire = _stub.BlobCalls[^1];
        Assert.Equal(("PUT", WitnessStub.BlobPath), (acquire.Method, acquire.Path));
        Assert.Equal(AzureApiVersions.BlobService, acquire.Headers["x-ms-version"]);
        Assert.Equal("acquire", acquire.Headers["x-ms-lease-action"]);
        Assert.Equal("15", acquire.Headers["x-ms-lease-duration"]);
        Assert.Equal(Node1Lease.ToString(), acquire.Headers["x-ms-proposed-lease-id"]);
        Assert.Equal("*", _stub.BlobCalls[1].Headers["If-None-Match"]);
        Assert.All(_stub.CallsOf("leaseAcquire"), c => Assert.True(c.Authorized));
        Assert.Equal("lease", _stub.CallsOf("leaseAcquire")[0].Query["comp"]);
    }

    [Fact]
    public async Task AcquireAsync_HeldByThePeer_IsLeaseAlreadyPresent()
    {
        _stub.HoldLease(WitnessStub.BlobPath, Node2Lease, TimeSpan.FromSeconds(15));
        using var witness = WitnessStub.Client(_stub, Node1Lease);

        var reply = await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.HeldByOther, reply.Result);
        Assert.Contains("LeaseAlreadyPresent", reply.Detail, StringComparison.Ordinal);
        Assert.Equal(Node2Lease, _stub.LeaseHolder(WitnessStub.BlobPath));
    }

    [Fact]
    public async Task AcquireAsync_OwnLeaseStillHeld_IsGrantedAgain()
    {
        using var witness = WitnessStub.Client(_stub, Node1Lease);
        await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        var again = await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.Granted, again.Result);
    }

    [Fact]
    public async Task Lease_HeldLostAndTakenOver_FollowsTheStubsClockExactly()
    {
        using var node1 = WitnessStub.Client(_stub, Node1Lease);
        using var node2 = WitnessStub.Client(_stub, Node2Lease);
        Assert.Equal(LeaseResult.Granted, (await node1.AcquireAsync(TimeSpan.FromSeconds(15), Ct)).Result);

        _blobClock.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromTicks(1));
        Assert.Equal(LeaseResult.HeldByOther, (await node2.AcquireAsync(TimeSpan.FromSeconds(15), Ct)).Result);
        _blobClock.Advance(TimeSpan.FromTicks(1));
        var takeover = await node2.AcquireAsync(TimeSpan.FromSeconds(15), Ct);
        var lateRenew = await node1.RenewAsync(Ct);
        var lateRelease = await node1.ReleaseAsync(Ct);

        Assert.Equal(LeaseResult.Granted, takeover.Result);
        Assert.Equal(Node2Lease, _stub.LeaseHolder(WitnessStub.BlobPath));
        Assert.Equal(LeaseResult.NotHeld, lateRenew.Result);
        Assert.Contains("LeaseIdMismatchWithLeaseOperation", lateRenew.Detail, StringComparison.Ordinal);
        Assert.Equal(LeaseResult.NotHeld, lateRelease.Result);
        Assert.Equal(Node2Lease, _stub.LeaseHolder(WitnessStub.BlobPath));
    }

    [Fact]
    public async Task RenewAsync_ExpiredButNotTaken_RenewsAsAzureDoes()
    {
        using var witness = WitnessStub.Client(_stub, Node1Lease);
        await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);
        _blobClock.Advance(TimeSpan.FromSeconds(20));

        var renew = await witness.RenewAsync(Ct);

        Assert.Equal(LeaseResult.Granted, renew.Result);
        Assert.Equal(Node1Lease, _stub.LeaseHolder(WitnessStub.BlobPath));
        Assert.Equal(Node1Lease.ToString(), _stub.BlobCalls[^1].Headers["x-ms-lease-id"]);
    }

    [Fact]
    public async Task ReleaseAsync_ByTheHolder_FreesTheLeaseForThePeer()
    {
        using var node1 = WitnessStub.Client(_stub, Node1Lease);
        using var node2 = WitnessStub.Client(_stub, Node2Lease);
        await node1.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        var release = await node1.ReleaseAsync(Ct);
        var peer = await node2.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.Granted, release.Result);
        Assert.Equal(LeaseResult.Granted, peer.Result);
        Assert.Equal(("release", Node1Lease.ToString()), (_stub.BlobCalls[^2].Headers["x-ms-lease-action"], _stub.BlobCalls[^2].Headers["x-ms-lease-id"]));
    }

    [Fact]
    public async Task AcquireAsync_ServerErrors_AreRetriedThenUnreachable()
    {
        _stub.Fail("leaseAcquire", 503);
        using var witness = WitnessStub.Client(_stub, Node1Lease);

        var reply = await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.Unreachable, reply.Result);
        Assert.Equal(3, _stub.CallsOf("leaseAcquire").Count); // the try and Azure.Core's 2 retries
        Assert.Null(_stub.LeaseHolder(WitnessStub.BlobPath));
    }

    [Fact]
    public async Task AcquireAsync_NoAnswer_IsUnreachableAfterTheTimeout()
    {
        _stub.BlobUnresponsive = true;
        using var witness = WitnessStub.Client(_stub, Node1Lease, timeoutMs: "300");

        var reply = await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.Unreachable, reply.Result);
        Assert.Contains("no answer within 300 ms", reply.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireAsync_ConnectionRefused_IsUnreachable()
    {
        var parameters = WitnessStub.Parameters(_stub);
        parameters["endpoint"] = "https://127.0.0.1:1/" + ArmStub.StorageAccount + "/";
        Assert.True(AzureWitnessSettings.TryRead(parameters, out var settings, out _, out _));
        using var witness = new AzureBlobWitness(settings, Node1Lease, TimeProvider.System);

        var reply = await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.Unreachable, reply.Result);
    }

    [Fact]
    public async Task AcquireAsync_Forbidden_IsUnreachableNamingTheRole()
    {
        _stub.Fail("leaseAcquire", 403, code: "AuthorizationPermissionMismatch");
        using var witness = WitnessStub.Client(_stub, Node1Lease);

        var reply = await witness.AcquireAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(LeaseResult.Unreachable, reply.Result);
        Assert.Contains("Storage Blob Data Contributor", reply.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_CreatesTheBlobOnceAndNeverTouchesALease()
    {
        _stub.HoldLease("/" + ArmStub.StorageAccount + "/" + WitnessStub.Container + "/other", Node2Lease, TimeSpan.FromSeconds(15));
        using var witness = WitnessStub.Client(_stub, Node1Lease);

        var first = await witness.CheckAsync(Ct);
        var second = await witness.CheckAsync(Ct);

        Assert.Equal((LeaseResult.Granted, LeaseResult.Granted), (first.Result, second.Result));
        Assert.Equal(["createBlob 201", "createBlob 409"], _stub.BlobCalls.Select(c => $"{c.Operation} {c.Status}"));
        Assert.Null(_stub.LeaseHolder(WitnessStub.BlobPath));
    }
}
