using System.Security.Cryptography;
using System.Text;

namespace ClusterD.Messaging.Security;

/// <summary>
/// One cluster key: the operator's secret (from the authkey file) plus the key id that travels in
/// every datagram and frame, so that receivers can hold two keys during a rotation.
/// Per-purpose MAC keys are derived from the secret with HKDF-SHA256, so a key used for
/// heartbeats is never the same bytes as a key used for another protocol.
/// </summary>
public sealed class AuthKey
{
    /// <summary>Shortest secret accepted (256 bits).</summary>
    public const int MinSecretBytes = 32;

    /// <summary>Longest secret accepted; corosync-keygen writes at most 4096 bits, we allow its 4096 bytes limit.</summary>
    public const int MaxSecretBytes = 4096;

    /// <summary>Length of a secret written by <c>clusterd keygen</c> (2048 bits, as corosync-keygen).</summary>
    public const int GeneratedSecretBytes = 256;

    /// <summary>Length of every derived MAC key.</summary>
    public const int DerivedKeyBytes = 32;

    private readonly byte[] _heartbeatKey;
    private readonly byte[] _messagingKey;

    public AuthKey(byte id, ReadOnlySpan<byte> secret)
    {
        if (secret.Length is < MinSecretBytes or > MaxSecretBytes)
        {
            throw new ArgumentException(
                $"a cluster key must have {MinSecretBytes} to {MaxSecretBytes} bytes, this one has {secret.Length}", nameof(secret));
        }

        Id = id;
        _heartbeatKey = Derive(secret, "clusterd heartbeat v1");
        Heartbeat = new MacSigner(_heartbeatKey);
        _messagingKey = Derive(secret, "clusterd messaging v1");
    }

    /// <summary>The key id carried on the wire (0 for a raw corosync authkey).</summary>
    public byte Id { get; }

    /// <summary>The HMAC-SHA256 key for membership datagrams.</summary>
    public ReadOnlySpan<byte> HeartbeatKey => _heartbeatKey;

    /// <summary>Signs and verifies membership datagrams with <see cref="HeartbeatKey"/>.</summary>
    public MacSigner Heartbeat { get; }

    /// <summary>The long-term key of node-to-node links: signs Hello frames and seeds the per-session keys.</summary>
    public ReadOnlySpan<byte> MessagingKey => _messagingKey;

    public static AuthKey Generate(byte id) => new(id, RandomNumberGenerator.GetBytes(GeneratedSecretBytes));

    private static byte[] Derive(ReadOnlySpan<byte> secret, string purpose)
    {
        var key = new byte[DerivedKeyBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, salt: [], info: Encoding.ASCII.GetBytes(purpose));
        return key;
    }
}
