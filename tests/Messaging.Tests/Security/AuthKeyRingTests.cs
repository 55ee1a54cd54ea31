using ClusterD.Messaging.Security;

namespace ClusterD.Messaging.Tests.Security;

public sealed class AuthKeyRingTests
{
    private static AuthKey Key(byte id, byte fill) => new(id, Enumerable.Repeat(fill, 64).ToArray());

    [Fact]
    public void TryGet_SendingId_ReturnsSendingKey()
    {
        var sending = Key(1, 0xA1);
        var ring = new AuthKeyRing(sending, []);

        Assert.True(ring.TryGet(1, out var key));
        Assert.Same(sending, key);
        Assert.Same(sending, ring.Sending);
    }

    [Fact]
    public void TryGet_AcceptedId_ReturnsThatKey()
    {
        var sending = Key(1, 0xA1);
        var old = Key(0, 0xB2);
        var next = Key(2, 0xC3);
        var ring = new AuthKeyRing(sending, [old, next]);

        Assert.True(ring.TryGet(0, out var gotOld));
        Assert.Same(old, gotOld);
        Assert.True(ring.TryGet(2, out var gotNext));
        Assert.Same(next, gotNext);
        Assert.Equal(new byte[] { 0, 1, 2 }, ring.AcceptedIds.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void TryGet_UnknownId_ReturnsFalse(byte id)
    {
        var ring = new AuthKeyRing(Key(1, 0xA1), [Key(2, 0xC3)]);

        Assert.False(ring.TryGet(id, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void Ctor_SameIdWithDifferentSecret_ThrowsNamingTheId()
    {
        var e = Assert.Throws<ArgumentException>(() => new AuthKeyRing(Key(4, 0xA1), [Key(4, 0xB2)]));

        Assert.Contains("key id 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_TwoAcceptedKeysShareIdWithDifferentSecrets_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AuthKeyRing(Key(1, 0xA1), [Key(9, 0xB2), Key(9, 0xC3)]));
    }

    [Fact]
    public void Ctor_SameIdWithSameSecret_KeepsTheSendingKey()
    {
        var sending = Key(4, 0xA1);
        var ring = new AuthKeyRing(sending, [Key(4, 0xA1)]);

        Assert.True(ring.TryGet(4, out var key));
        Assert.Same(sending, key);
        Assert.Equal(new byte[] { 4 }, ring.AcceptedIds.ToArray());
    }

    [Fact]
    public void Ctor_NullSending_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new AuthKeyRing(null!, []));
    }
}
