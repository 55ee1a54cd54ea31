using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace ClusterD.Agents.Native.Filesystem;

/// <summary>
/// The mounts of this process's mount namespace, parsed from <c>/proc/self/mountinfo</c>. Pure
/// parsing in <see cref="Parse"/>; <see cref="Read"/> reads the live table. Malformed lines are
/// skipped (the kernel writes this file, but a reader must never crash on it).
/// </summary>
public sealed class MountTable
{
    public const string SelfMountInfo = "/proc/self/mountinfo";

    private MountTable(ImmutableArray<MountEntry> entries) => Entries = entries;

    /// <summary>Every mount, in the kernel's order (a later mount on the same point hides an earlier one).</summary>
    public ImmutableArray<MountEntry> Entries { get; }

    /// <summary>Reads the live table of this process.</summary>
    public static MountTable Read(string path = SelfMountInfo) => Parse(File.ReadAllText(path));

    public static MountTable Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = ImmutableArray.CreateBuilder<MountEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (TryParseLine(line, out var entry))
            {
                entries.Add(entry);
            }
        }

        return new MountTable(entries.ToImmutable());
    }

    /// <summary>The visible (last) mount on <paramref name="mountPoint"/>, or null when nothing is mounted there.</summary>
    public MountEntry? At(string mountPoint)
    {
        ArgumentNullException.ThrowIfNull(mountPoint);
        for (var i = Entries.Length - 1; i >= 0; i--)
        {
            if (Entries[i].MountPoint == mountPoint)
            {
                return Entries[i];
            }
        }

        return null;
    }

    /// <summary>Mounts below <paramref name="mountPoint"/> (which must be unmounted first).</summary>
    public IEnumerable<MountEntry> Below(string mountPoint)
    {
        var prefix = mountPoint == "/" ? "/" : mountPoint + "/";
        return Entries.Where(e => e.MountPoint.StartsWith(prefix, StringComparison.Ordinal));
    }

    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    private static bool TryParseLine(string line, out MountEntry entry)
    {
        entry = null!;
        var fields = line.Split(' ');
        var separator = fields.Length < 10 ? -1 : Array.IndexOf(fields, "-", 6);
        if (separator < 0 || fields.Length < separator + 4)
        {
            return false;
        }

        var device = fields[2].Split(':');
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
            || device.Length != 2
            || !int.TryParse(device[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(device[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        entry = new MountEntry(id, parent, major, minor, Unescape(fields[3]), Unescape(fields[4]), fields[5],
            Unescape(fields[separator + 1]), Unescape(fields[separator + 2]), fields[separator + 3]);
        return true;
    }

    /// <summary>The kernel escapes space, tab, newline and backslash as three octal digits (<c>\040</c>).</summary>
    public static string Unescape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1) && IsOctal(field, i + 2) && IsOctal(field, i + 3))
            {
                text.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string s, int i) => i < s.Length && s[i] is >= '0' and <= '7';
}
