using System.Runtime.InteropServices;

namespace ClusterD.Platform;

/// <summary>
/// Users and groups by name, through the C library's name service switch (getpwnam, getgrnam), so
/// accounts from LDAP or sssd count as well as those in /etc/passwd and /etc/group; and chown.
/// Struct layouts are glibc's on LP64 Linux (x86_64 and arm64 alike).
/// </summary>
public static partial class Accounts
{
    /// <summary>The uid of user <paramref name="name"/>, or null when there is no such user.</summary>
    public static uint? UserId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var entry = GetPwNam(name);
        return entry == 0 ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size); // struct passwd: name, passwd, uid
    }

    /// <summary>The gid of group <paramref name="name"/>, or null when there is no such group.</summary>
    public static uint? GroupId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var entry = GetGrNam(name);
        return entry == 0 ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size); // struct group: name, passwd, gid
    }

    /// <summary>chown(2); a null id is left as it is. False with errno (<see cref="Marshal.GetLastPInvokeError"/>) set on failure.</summary>
    public static bool ChangeOwner(string path, uint? uid, uint? gid) =>
        Chown(path, uid ?? uint.MaxValue, gid ?? uint.MaxValue) == 0; // (uid_t)-1: unchanged

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetPwNam(string name);

    [LibraryImport("libc", EntryPoint = "getgrnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetGrNam(string name);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint uid, uint gid);
}
