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

    /// <summary>
    /// The protection of frames sent by <paramref name="sender"/> to <paramref name="receiver"/>. The cipher is
    /// part of the derivation, so two sides that disagree on it can never verify each other's frames.
    /// </summary>
    public static FrameProtection ForDirection(
        AuthKey senderKey, ReadOnlySpan<byte> senderNonce, ReadOnlySpan<byte> receiverNonce, uint sender, uint receiver, MessagingCipher cipher)
    {
        ArgumentNullException.ThrowIfNull(senderKey);
        Span<byte> salt = stackalloc byte[NonceBytes * 2];
        senderNonce.CopyTo(salt);
        receiverNonce.CopyTo(salt[NonceBytes..]);
        Span<byte> key = stackalloc byte[cipher.KeyBytes()];
        var info = cipher == MessagingCipher.None ? $"clusterd session v1 {sender}>{receiver}" : $"clusterd session v1 {cipher.Name()} {sender}>{receiver}";
        HKDF.DeriveKey(HashAlgorithmName.SHA256, senderKey.MessagingKey, key, salt, Encoding.ASCII.GetBytes(info));
        try
        {
            return cipher == MessagingCipher.None ? new FrameProtection.Hmac(senderKey.Id, key) : new FrameProtection.AesGcmSealed(senderKey.Id, key, sender);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
