using ClusterD.Daemon.Admin;

namespace ClusterD.Daemon.Tests.Admin;

public sealed class AdminAccessPolicyTests
{
    private const uint DaemonUid = 990;
    private static readonly AdminGroup Admins = new("haclient", 1500);
    private static readonly AdminGroup Readers = new("hareaders", 1501);
    private static readonly AdminAccessPolicy Policy = new(DaemonUid, Admins, Readers);

    public static TheoryData<string, uint, uint, uint[], bool> Cases => new()
    {
        // method, uid, primary gid, supplementary groups, allowed
        { "/clusterd.admin.v1.ClusterAdmin/BenchMessaging", 0, 0, [], true },
        { "/clusterd.admin.v1.ClusterAdmin/BenchMessaging", DaemonUid, 990, [], true },
        { "/clusterd.admin.v1.ClusterAdmin/BenchMessaging", 1000, 1000, [Admins.Gid], true },
        { "/clusterd.admin.v1.ClusterAdmin/BenchMessaging", 1000, Admins.Gid, [], true },
        { "/clusterd.admin.v1.ClusterAdmin/GetStatus", 1000, 1000, [Readers.Gid], true },
        { "/clusterd.admin.v1.ClusterAdmin/WatchEvents", 1000, Readers.Gid, [], true },
        { "/clusterd.admin.v1.ClusterAdmin/BenchMessaging", 1000, 1000, [Readers.Gid], false },
        { "/clusterd.admin.v1.ClusterAdmin/SomeFutureWrite", 1000, 1000, [Readers.Gid], false },
        { "/clusterd.admin.v1.ClusterAdmin/GetStatus", 1000, 1000, [4, 24, 27], false },
        { "/clusterd.admin.v1.ClusterAdmin/WatchEvents", 65534, 65534, [], false },
    };

    public static TheoryData<string> FullAccessMethods => [.. AdminAccessPolicy.FullAccessMethods];

    [Theory]
    [MemberData(nameof(FullAccessMethods))]
    public void Refusal_FullAccessMethod_ReaderRefusedAdminAllowed(string name)
    {
        var method = "/clusterd.admin.v1.ClusterAdmin/" + name;

        Assert.NotNull(Policy.Refusal(new PeerCredentials(1, 1000, 1000, [Readers.Gid]), method));
        Assert.NotNull(Policy.Refusal(new PeerCredentials(1, 1000, 1000, []), method));
        Assert.Null(Policy.Refusal(new PeerCredentials(1, 1000, 1000, [Admins.Gid]), method));
    }

    [Fact]
    public void Methods_EveryRpcOfTheService_ClassifiedExactlyOnce()
    {
        var rpcs = ClusterD.Admin.V1.ClusterAdmin.Descriptor.Methods.Select(m => m.Name).Order(StringComparer.Ordinal);

        Assert.Equal(rpcs, AdminAccessPolicy.ReadOnlyMethods.Concat(AdminAccessPolicy.FullAccessMethods).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Refusal_ReaderCallingStandby_SaysReadOnlyAndWhatIsNeeded()
    {
        var refusal = Policy.Refusal(new PeerCredentials(1, 1234, 1234, [Readers.Gid]), "/clusterd.admin.v1.ClusterAdmin/Standby");

        Assert.Equal("uid 1234 (read-only group 'hareaders') may only call GetStatus and WatchEvents; Standby needs root or membership of group 'haclient'", refusal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refusal_CallerAndMethod_AllowedExactlyAsTheGroupsSay(string method, uint uid, uint gid, uint[] groups, bool allowed)
    {
        var refusal = Policy.Refusal(new PeerCredentials(4242, uid, gid, groups), method);

        Assert.Equal(allowed, refusal is null);
    }

    [Fact]
    public void Refusal_Outsider_NamesUidAndWhatIsNeeded()
    {
        var refusal = Policy.Refusal(new PeerCredentials(1, 1234, 1234, []), "/clusterd.admin.v1.ClusterAdmin/GetStatus");

        Assert.Equal("uid 1234 may not use the admin API: GetStatus needs root or membership of group 'haclient'; reading status needs group 'hareaders'", refusal);
    }

    [Fact]
    public void Refusal_ReaderCallingAdminRpc_SaysReadOnlyAndWhatIsNeeded()
    {
        var refusal = Policy.Refusal(new PeerCredentials(1, 1234, 1234, [Readers.Gid]), "/clusterd.admin.v1.ClusterAdmin/BenchMessaging");

        Assert.Equal("uid 1234 (read-only group 'hareaders') may only call GetStatus and WatchEvents; BenchMessaging needs root or membership of group 'haclient'", refusal);
    }

    [Fact]
    public void Refusal_NoGroupsConfigured_OnlyRootAndDaemonUser()
    {
        var policy = new AdminAccessPolicy(DaemonUid, null, null);

        Assert.Null(policy.Refusal(new PeerCredentials(1, 0, 0, []), "GetStatus"));
        Assert.Null(policy.Refusal(new PeerCredentials(1, DaemonUid, 0, []), "GetStatus"));
        Assert.Equal("uid 1000 may not use the admin API: GetStatus needs root", policy.Refusal(new PeerCredentials(1, 1000, 1500, [1501]), "GetStatus"));
    }

    [Fact]
    public void Refusal_CredentialsUnknown_Refused()
    {
        Assert.Equal("GetStatus: the caller's credentials could not be read from the admin socket", Policy.Refusal(null, "/clusterd.admin.v1.ClusterAdmin/GetStatus"));
    }
}
