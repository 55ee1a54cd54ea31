namespace ClusterD.Messaging.Security;

/// <summary>
/// How node-to-node frames are protected after the handshake, named as corosync's
/// <c>totem.crypto_cipher</c>: <see cref="None"/> authenticates only (HMAC-SHA256-128); the others
/// encrypt and authenticate with AES-GCM under a session key of that many bits.
/// </summary>
public enum MessagingCipher
{
    None,
    Aes128,
    Aes192,
    Aes256,
}

/// <summary>Names and key sizes of <see cref="MessagingCipher"/>.</summary>
public static class MessagingCiphers
{
    /// <summary>What a configuration without <c>crypto_cipher</c> gets: encryption is on unless turned off explicitly.</summary>
    public const MessagingCipher Default = MessagingCipher.Aes256;

    /// <summary>The corosync name (<c>none</c>, <c>aes128</c>, <c>aes192</c>, <c>aes256</c>).</summary>
    public static string Name(this MessagingCipher cipher) => cipher switch
    {
        MessagingCipher.None => "none",
        MessagingCipher.Aes128 => "aes128",
        MessagingCipher.Aes192 => "aes192",
        MessagingCipher.Aes256 => "aes256",
        _ => throw new ArgumentOutOfRangeException(nameof(cipher), cipher, "not a messaging cipher"),
    };

    /// <summary>Parses a corosync name; false for anything else.</summary>
    public static bool TryParse(string? name, out MessagingCipher cipher)
    {
        foreach (var candidate in Enum.GetValues<MessagingCipher>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.Ordinal))
            {
                cipher = candidate;
                return true;
            }
        }

        cipher = default;
        return false;
    }

    /// <summary>Bytes of session key: the AES key size, or 32 for the HMAC-SHA256 key of <see cref="MessagingCipher.None"/>.</summary>
    public static int KeyBytes(this MessagingCipher cipher) => cipher switch
    {
        MessagingCipher.Aes128 => 16,
        MessagingCipher.Aes192 => 24,
        _ => 32,
    };
}
