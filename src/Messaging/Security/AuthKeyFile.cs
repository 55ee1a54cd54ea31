using System.Security.Cryptography;
using ClusterD.Platform;
using ClusterD.Platform.Files;

namespace ClusterD.Messaging.Security;

/// <summary>
/// Reads and writes authkey files. A key file must be exactly a key, and private:
/// <list type="bullet">
/// <item>ClusterD's own format: the 4 ASCII bytes <c>CDK1</c>, one key id byte, then a secret of
/// <see cref="AuthKey.GeneratedSecretBytes"/> bytes: exactly <see cref="OwnFormatBytes"/> bytes;</item>
/// <item>a raw corosync authkey (key id 0): <see cref="MinRawBytes"/> to <see cref="MaxRawBytes"/> bytes, the sizes
/// corosync itself loads (corosync-keygen writes 128 bytes in corosync 2, 256 by default in corosync 3, up to 512
/// with <c>-s 4096</c>), and not text: a file of printable characters (a password file, a config) is refused.</item>
/// </list>
/// Only a regular file is read (a symbolic link to one is followed), owned by root or by the user clusterd
/// runs as, with no permission for group or others (0600 or 0400); see docs/security.md, "Key files".
/// </summary>
public static class AuthKeyFile
{
    /// <summary>Size of a <c>clusterd keygen</c> file: magic, key id, secret.</summary>
    public const int OwnFormatBytes = 4 + 1 + AuthKey.GeneratedSecretBytes;

    /// <summary>Smallest raw corosync key: corosync refuses keys under 1024 bits (TOTEM_PRIVATE_KEY_LEN_MIN).</summary>
    public const int MinRawBytes = 128;

    /// <summary>Largest raw corosync key: corosync reads at most 4096 bytes (TOTEM_PRIVATE_KEY_LEN_MAX).</summary>
    public const int MaxRawBytes = AuthKey.MaxSecretBytes;

    /// <summary>A random key has about as many distinct byte values as bytes (128 bytes: about 100); text or a pattern has few.</summary>
    private const int MinDistinctBytes = 16;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private static ReadOnlySpan<byte> Magic => "CDK1"u8;

    public static AuthKey Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = RegularFile.Read(path, Math.Max(OwnFormatBytes, MaxRawBytes), facts => RequirePrivate(path, facts));
        }
        catch (FileReadException e) when (e.Problem == FileReadProblem.Missing)
        {
            throw new AuthKeyFileException(path, $"cannot read the cluster key: no such file (create one with 'clusterd keygen -k {path}')", e);
        }
        catch (FileReadException e)
        {
            throw new AuthKeyFileException(path, $"cannot read the cluster key: the file {e.Message}", e);
        }

        try
        {
            return Parse(path, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static AuthKey Parse(string path, byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith(Magic))
        {
            if (bytes.Length != OwnFormatBytes)
            {
                throw new AuthKeyFileException(path,
                    $"the cluster key file has {bytes.Length} bytes; a clusterd key file (CDK1) has exactly {OwnFormatBytes}");
            }

            return new AuthKey(bytes[Magic.Length], bytes.AsSpan(Magic.Length + 1));
        }

        if (bytes.Length is < MinRawBytes or > MaxRawBytes)
        {
            throw new AuthKeyFileException(path,
                $"the cluster key file has {bytes.Length} bytes; a corosync authkey has {MinRawBytes} to {MaxRawBytes} " +
                $"and a clusterd key file exactly {OwnFormatBytes} (create one with 'clusterd keygen')");
        }

        if (bytes.All(b => b is (>= 0x20 and < 0x7f) or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            throw new AuthKeyFileException(path, "the file is text, not a key: a key file must hold exactly a key (create one with 'clusterd keygen')");
        }

        if (bytes.Distinct().Count() < MinDistinctBytes)
        {
            throw new AuthKeyFileException(path, "the file does not hold random bytes, so it is not a key (create one with 'clusterd keygen')");
        }

        return new AuthKey(0, bytes);
    }

    /// <summary>Refuses a key others may read or change, or one that another user could replace.</summary>
    private static void RequirePrivate(string path, FileFacts facts)
    {
        if ((facts.Mode & GroupOrOthers) != 0)
        {
            throw new AuthKeyFileException(path,
                $"the cluster key is readable or writable by group or others (mode {Octal(facts.Mode)}); make it 0600 (chmod 600 {path})");
        }

        var self = ProcessIdentity.EffectiveUserId;
        if (facts.OwnerId != 0 && facts.OwnerId != self)
        {
            throw new AuthKeyFileException(path,
                $"the cluster key is owned by uid {facts.OwnerId}; it must be owned by root or by the user clusterd runs as (uid {self})");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    /// <summary>Writes a new random key with mode 0600, refusing to overwrite an existing file.</summary>
    public static void Generate(string path, byte id)
    {
        var secret = RandomNumberGenerator.GetBytes(AuthKey.GeneratedSecretBytes);
        var content = new byte[Magic.Length + 1 + secret.Length];
        Magic.CopyTo(content);
        content[Magic.Length] = id;
        secret.CopyTo(content.AsSpan(Magic.Length + 1));

        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        CryptographicOperations.ZeroMemory(secret);
        CryptographicOperations.ZeroMemory(content);
    }
}
