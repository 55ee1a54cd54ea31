using System.Security.Cryptography;
using System.Text;
using ClusterD.Messaging.Framing;

namespace ClusterD.Messaging.Security;

/// <summary>
/// Keys of one link session, one per direction, from HKDF-SHA256 over the long-term messaging key
/// of the direction's sender, salted with both Hello nonces (sender's first) and bound to the
/// sender and receiver node ids. A fresh pair per connection means sequence numbers (and AES-GCM
/// nonces) start over safely, and a frame recorded in one session never verifies in another.
/// </summary>
public static class SessionKeys
{
    public const int NonceBytes = 16;

    public static FrameProtection.Hmac HelloProtection(AuthKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new FrameProtection.Hmac(key.Id, key.MessagingKey);
    }

    /// <summary>The protection of frames sent by <paramref name="sender"/> to <paramref name="receiver"/>.</summary>
    public static FrameProtection ForDirection(
        AuthKey senderKey, ReadOnlySpan<byte> senderNonce, ReadOnlySpan<byte> receiverNonce, uint sender, uint receiver, bool encrypt)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        Span<byte> salt = stackalloc byte[NonceBytes * 2];
        senderNonce.CopyTo(salt);
        receiverNonce.CopyTo(salt[NonceBytes..]);
        Span<byte> key = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, senderKey.MessagingKey, key, salt,
            Encoding.ASCII.GetBytes($"clusterd session v1 {sender}>{receiver}"));
        try
        {
            return encrypt ? new FrameProtection.AesGcmSealed(senderKey.Id, key, sender) : new FrameProtection.Hmac(senderKey.Id, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
