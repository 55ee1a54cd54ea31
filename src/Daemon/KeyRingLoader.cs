using ClusterD.Membership.Configuration;
using ClusterD.Messaging.Security;

namespace ClusterD.Daemon;

/// <summary>Builds the key ring from <c>clusterd.authkey</c> (sending) and every <c>clusterd.authkey_accept</c> file.</summary>
internal static class KeyRingLoader
{
    public static AuthKeyRing Load(ClusterDOptions options, Action<string>? tooOpen = null)
    {
        var paths = new[] { options.AuthKey }.Concat(options.AuthKeyAccept).ToArray();
        var keys = paths.Select(AuthKeyFile.Read).ToArray();
        foreach (var path in paths.Where(AuthKeyFile.IsTooOpen))
        {
            tooOpen?.Invoke(path);
        }

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
