using ClusterD.Membership.Configuration;
using ClusterD.Messaging.Security;

namespace ClusterD.Daemon;

/// <summary>Builds the key ring from <c>clusterd.authkey</c> (sending) and every <c>clusterd.authkey_accept</c> file.</summary>
internal static class KeyRingLoader
{
    /// <summary>Reads every key file; a file that is not exactly a private key is an <see cref="AuthKeyFileException"/> (see <see cref="AuthKeyFile"/>).</summary>
    public static AuthKeyRing Load(ClusterDOptions options)
    {
        var paths = new[] { options.AuthKey }.Concat(options.AuthKeyAccept).ToArray();
        var keys = paths.Select(AuthKeyFile.Read).ToArray();

        try
        {
            return new AuthKeyRing(keys[0], keys.Skip(1));
        }
        catch (ArgumentException e)
        {
            throw new AuthKeyFileException(string.Join(", ", paths), e.Message);
        }
    }
}
