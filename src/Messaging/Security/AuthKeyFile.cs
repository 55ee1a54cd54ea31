using System.Security.Cryptography;

namespace ClusterD.Messaging.Security;

/// <summary>
/// Reads and writes authkey files. Two formats are accepted:
/// <list type="bullet">
/// <item>ClusterD's own: the 4 ASCII bytes <c>CDK1</c>, one key id byte, then the secret;</item>
/// <item>a raw corosync authkey (any other content of 32..4096 bytes), whose key id is 0.</item>
/// </list>
/// </summary>
public static class AuthKeyFile
{
    private static ReadOnlySpan<byte> Magic => "CDK1"u8;

    public static AuthKey Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AuthKeyFileException(path, $"cannot read the cluster key: {e.Message} (create one with 'clusterd keygen -k {path}')", e);
        }

        var hasMagic = bytes.Length > Magic.Length && bytes.AsSpan().StartsWith(Magic);
        var secret = hasMagic ? bytes.AsSpan(Magic.Length + 1) : bytes;
        var id = hasMagic ? bytes[Magic.Length] : (byte)0;
        if (secret.Length is < AuthKey.MinSecretBytes or > AuthKey.MaxSecretBytes)
        {
            throw new AuthKeyFileException(path,
                $"the cluster key has {secret.Length} secret bytes, expected {AuthKey.MinSecretBytes} to {AuthKey.MaxSecretBytes}");
        }

        return new AuthKey(id, secret);
    }

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

    /// <summary>True when group or others may read the file (a key must be 0600 or 0400).</summary>
    public static bool IsTooOpen(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;
}
