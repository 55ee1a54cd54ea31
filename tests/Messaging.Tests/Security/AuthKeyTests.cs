using ClusterD.Messaging.Security;

namespace ClusterD.Messaging.Tests.Security;

public sealed class AuthKeyTests
{
    private static byte[] Secret(int length, byte seed = 0) => Enumerable.Range(0, length).Select(i => (byte)(i + seed)).ToArray();

    [Fact]
    public void HeartbeatKey_FixedSecret_MatchesHkdfSha256GoldenValue()
    {
        // HKDF-SHA256 (RFC 5869), empty salt, info "clusterd heartbeat v1", secret 0x00..0x1f.
        // Computed independently; pins the derivation so that nodes of different versions agree.
        var key = new AuthKey(7, Secret(32));

        Assert.Equal("9b0d3f020b30f4f79b0c1bab4b041eda29d775838765c9f3649d6fc2145bc077", Convert.ToHexStringLower(key.HeartbeatKey));
    }

    [Fact]
    public void Ctor_SameSecretTwice_DerivesSameHeartbeatKey()
    {
        var a = new AuthKey(1, Secret(256));
        var b = new AuthKey(1, Secret(256));

        Assert.Equal(a.HeartbeatKey.ToArray(), b.HeartbeatKey.ToArray());
    }

    [Fact]
    public void Ctor_SameSecretDifferentIds_DerivesSameHeartbeatKey()
    {
        var a = new AuthKey(1, Secret(64));
        var b = new AuthKey(2, Secret(64));

        Assert.Equal(a.HeartbeatKey.ToArray(), b.HeartbeatKey.ToArray());
        Assert.Equal(1, a.Id);
        Assert.Equal(2, b.Id);
    }

    [Fact]
    public void Ctor_DifferentSecrets_DeriveDifferentKeys()
    {
        var a = new AuthKey(1, Secret(256, seed: 0));
        var b = new AuthKey(1, Secret(256, seed: 1));

        Assert.NotEqual(a.HeartbeatKey.ToArray(), b.HeartbeatKey.ToArray());
    }

    [Fact]
    public void Ctor_SecretsDifferingInLastByteOnly_DeriveDifferentKeys()
    {
        var secret = Secret(256);
        var other = secret.ToArray();
        other[^1] ^= 0x01;

        Assert.NotEqual(new AuthKey(0, secret).HeartbeatKey.ToArray(), new AuthKey(0, other).HeartbeatKey.ToArray());
    }

    [Fact]
    public void HeartbeatKey_AnySecret_Is32BytesAndNotTheSecretItself()
    {
        var secret = Secret(32);
        var key = new AuthKey(0, secret);

        Assert.Equal(AuthKey.DerivedKeyBytes, key.HeartbeatKey.Length);
        Assert.Equal(32, AuthKey.DerivedKeyBytes);
        Assert.NotEqual(secret, key.HeartbeatKey.ToArray());
    }

    [Theory]
    [InlineData(AuthKey.MinSecretBytes)]
    [InlineData(AuthKey.GeneratedSecretBytes)]
    [InlineData(AuthKey.MaxSecretBytes)]
    public void Ctor_SecretWithinLimits_KeepsIdAndDerivesKey(int length)
    {
        var key = new AuthKey(200, Secret(length));

        Assert.Equal(200, key.Id);
        Assert.Equal(AuthKey.DerivedKeyBytes, key.HeartbeatKey.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AuthKey.MinSecretBytes - 1)]
    [InlineData(AuthKey.MaxSecretBytes + 1)]
    public void Ctor_SecretOutsideLimits_ThrowsNamingTheLength(int length)
    {
        var e = Assert.Throws<ArgumentException>(() => new AuthKey(0, Secret(length)));

        Assert.Equal("secret", e.ParamName);
        Assert.Contains($"this one has {length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_MatchCorosyncKeygen_32To4096Bytes256Generated()
    {
        Assert.Equal(32, AuthKey.MinSecretBytes);
        Assert.Equal(4096, AuthKey.MaxSecretBytes);
        Assert.Equal(256, AuthKey.GeneratedSecretBytes);
    }

    [Fact]
    public void Generate_TwoCalls_KeepIdAndGiveDifferentKeys()
    {
        var a = AuthKey.Generate(3);
        var b = AuthKey.Generate(3);

        Assert.Equal(3, a.Id);
        Assert.Equal(3, b.Id);
        Assert.NotEqual(a.HeartbeatKey.ToArray(), b.HeartbeatKey.ToArray());
    }
}
