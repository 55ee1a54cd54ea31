using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ClusterD.Messaging.Framing;

/// <summary>
/// Authenticates (and optionally encrypts) frames of one direction of one link session. A frame's
/// header (length, version, type, key id, flags, sequence) is always authenticated; the body is
/// authenticated, or encrypted and authenticated when the cluster has <c>crypto_cipher</c> set.
/// Not thread-safe: one reader or one writer owns it.
/// </summary>
public abstract class FrameProtection : IDisposable
{
    public const int TagSize = 16;

    /// <summary>Key id written into frames sealed with this protection.</summary>
    public abstract byte KeyId { get; }

    public abstract bool Encrypts { get; }

    /// <summary>Seals in place: <paramref name="header"/> as written, <paramref name="body"/> (encrypted in place if <see cref="Encrypts"/>), then the tag.</summary>
    public abstract void Seal(ReadOnlySpan<byte> header, Span<byte> body, Span<byte> tag, ulong seq);

    /// <summary>Verifies and, if encrypted, decrypts <paramref name="body"/> in place.</summary>
    public bool Open(ReadOnlySpan<byte> header, Span<byte> body, ReadOnlySpan<byte> tag, ulong seq) => Open(header, body, tag, seq, body);

    /// <summary>
    /// Verifies a frame where it lies (e.g. in a pipe's buffer). When <see cref="Encrypts"/>, the plaintext
    /// goes to <paramref name="decrypted"/> (as long as the body, and either the body itself or not
    /// overlapping it); otherwise <paramref name="decrypted"/> is untouched and the body is the plaintext.
    /// </summary>
    public abstract bool Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tag, ulong seq, Span<byte> decrypted);

    public abstract void Dispose();

    /// <summary>HMAC-SHA256 truncated to 128 bits (RFC 2104, truncation as RFC 4868) over header and body.</summary>
    public sealed class Hmac(byte keyId, ReadOnlySpan<byte> key) : FrameProtection
    {
        private readonly IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

        public override byte KeyId => keyId;

        public override bool Encrypts => false;

        public override void Seal(ReadOnlySpan<byte> header, Span<byte> body, Span<byte> tag, ulong seq)
        {
            Span<byte> full = stackalloc byte[32];
            Compute(header, body, full);
            full[..TagSize].CopyTo(tag);
        }

        public override bool Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tag, ulong seq, Span<byte> decrypted)
        {
            Span<byte> full = stackalloc byte[32];
            Compute(header, body, full);
            return CryptographicOperations.FixedTimeEquals(full[..TagSize], tag);
        }

        public override void Dispose() => _hmac.Dispose();

        private void Compute(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, Span<byte> mac)
        {
            _hmac.AppendData(header);
            _hmac.AppendData(body);
            _hmac.GetHashAndReset(mac);
        }
    }

    /// <summary>
    /// AES-GCM with a 128-, 192- or 256-bit key (<c>crypto_cipher</c> aes128/aes192/aes256). The 96-bit nonce is a 4-byte per-direction salt and the 64-bit frame sequence, which
    /// never repeats within a session (the session key is fresh per connection), so a nonce is never reused.
    /// </summary>
    public sealed class AesGcmSealed(byte keyId, ReadOnlySpan<byte> key, uint nonceSalt) : FrameProtection
    {
        private readonly AesGcm _aes = new(key, TagSize);

        public override byte KeyId => keyId;

        public override bool Encrypts => true;

        public override void Seal(ReadOnlySpan<byte> header, Span<byte> body, Span<byte> tag, ulong seq)
        {
            Span<byte> nonce = stackalloc byte[12];
            Nonce(nonce, seq);
            _aes.Encrypt(nonce, body, body, tag, header);
        }

        public override bool Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tag, ulong seq, Span<byte> decrypted)
        {
            Span<byte> nonce = stackalloc byte[12];
            Nonce(nonce, seq);
            try
            {
                _aes.Decrypt(nonce, body, tag, decrypted[..body.Length], header);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        public override void Dispose() => _aes.Dispose();

        private void Nonce(Span<byte> nonce, ulong seq)
        {
            BinaryPrimitives.WriteUInt32BigEndian(nonce, nonceSalt);
            BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], seq);
        }
    }
}
