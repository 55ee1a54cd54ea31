using System.Security.Cryptography;

namespace ClusterD.Messaging.Security;

/// <summary>
/// HMAC-SHA256 with one reused context. The one-shot <c>HMACSHA256.HashData</c> sets up a new
/// OpenSSL MAC context on every call, which costs more than hashing a heartbeat; resetting a kept
/// context does not. Thread-safe (a short lock); allocation-free.
/// </summary>
public sealed class MacSigner : IDisposable
{
    public const int MacLength = 32;

    private readonly IncrementalHash _hmac;
    private readonly Lock _gate = new();

    public MacSigner(ReadOnlySpan<byte> key) => _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

    /// <summary>Writes the MAC of <paramref name="data"/> into the first 32 bytes of <paramref name="mac"/>.</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        lock (_gate)
        {
            _hmac.AppendData(data);
            _hmac.GetHashAndReset(mac[..MacLength]);
        }
    }

    /// <summary>Checks <paramref name="mac"/> against the MAC of <paramref name="data"/> in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[MacLength];
        Sign(data, expected);
        return mac.Length == MacLength && CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    public void Dispose() => _hmac.Dispose();
}
