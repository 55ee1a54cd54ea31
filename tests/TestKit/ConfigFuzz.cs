using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ClusterD.Messaging.Security;

namespace ClusterD.TestKit;

/// <summary>
/// Seeded mutations of a valid clusterd.conf, as a careless or hostile administrator would write them, in a
/// temp directory holding the files a mutation may point at: a regular file, a directory, a FIFO and the
/// cluster key. None of them may be deleted or changed by whatever reads the mutated configuration.
/// </summary>
public sealed partial class ConfigFuzz : IDisposable
{
    private readonly Dictionary<string, byte[]?> _sentinels = [];

    public ConfigFuzz(string prefix)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
        KeyPath = Path.Combine(Root, "authkey");
        AuthKeyFile.Generate(KeyPath, 1);
        RegularFile = Path.Combine(Root, "regular");
        File.WriteAllText(RegularFile, "keep me\n");
        DirectoryPath = Directory.CreateDirectory(Path.Combine(Root, "dir")).FullName;
        FifoPath = Path.Combine(Root, "fifo");
        MakeFifo(FifoPath);
        foreach (var path in new[] { KeyPath, RegularFile, FifoPath })
        {
            _sentinels[path] = path == FifoPath ? null : File.ReadAllBytes(path);
        }

        HostileValues =
        [
            "", "-1", "0", "4294967296", "99999999999999999999999999", "1e3", "0x10", "1.5", "10.1", "010.0.0.1", "0.0.0.0", "::",
            "255.255.255.255", "224.0.0.1", "ff02::1", "[::1]:5405", "/dev/zero", "/dev/null", "/dev/full", "/proc/1", "/sys/kernel",
            "/etc/passwd", "/etc", RegularFile, DirectoryPath, FifoPath, KeyPath, Path.Combine(Root, new string('a', 300)),
            Path.Combine(Root, string.Concat(Enumerable.Repeat("long/", 900))), Path.Combine(Root, new string('s', 120) + ".sock"),
            "relative/path", "a\0b", "\u0001", "\u00e9t\u00e9", "\u65e5\u672c\u8a9e", "\ud83d\ude00", "{", "}", "x {", ": :", "yes", "on",
            "maybe", "udp", "knet", "udpu", "aes256", "none", new string('9', 5000), new string('\u00e9', 200), "localhost",
            "no-such-host.invalid", "node1", "1",
        ];
    }

    public string Root { get; }

    public string KeyPath { get; }

    public string RegularFile { get; }

    public string DirectoryPath { get; }

    public string FifoPath { get; }

    public IReadOnlyList<string> HostileValues { get; }

    /// <summary>A valid two-node configuration whose clusterd section lives under <see cref="Root"/>.</summary>
    public string BaseText(string address, string peerAddress, int port) =>
        TestConfigs.Text([[address], [peerAddress]], tokenMs: 1000, port: port, stateDirRoot: Root, authKey: KeyPath);

    /// <summary>One to three random edits of <paramref name="text"/>.</summary>
    public string Mutate(Random random, string text)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && lines.Count > 0; e++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(9))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[at]);
                    break;
                case 2:
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                case 4:
                case 5:
                    // Most edits keep the shape and change one value: that is where validation must hold. Half of
                    // them hit the clusterd section, whose paths reach the file system.
                    var paths = lines.FindIndex(l => l.StartsWith("clusterd {", StringComparison.Ordinal));
                    if (paths >= 0 && paths + 5 < lines.Count && random.Next(2) == 0)
                    {
                        at = paths + random.Next(1, 6);
                    }

                    var colon = lines[at].IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        lines[at] = lines[at][..(colon + 1)] + " " + HostileValues[random.Next(HostileValues.Count)];
                    }

                    break;
                case 6:
                    var keys = lines.Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).ToArray();
                    lines.Insert(at, $"    {keys[random.Next(keys.Length)]}: {HostileValues[random.Next(HostileValues.Count)]}");
                    break;
                case 7:
                    lines.Insert(at, random.Next(3) switch { 0 => "}", 1 => "clusterd {", _ => "totem {" });
                    break;
                default:
                    var cut = random.Next(lines[at].Length + 1);
                    lines[at] = lines[at][..cut] + (char)random.Next(0, 0x3000) + lines[at][cut..];
                    break;
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Null when every file a mutation could point at is still there, unchanged; else what happened.</summary>
    public string? DamagedFiles()
    {
        var damage = new StringBuilder();
        foreach (var (path, content) in _sentinels)
        {
            if (content is null ? !File.Exists(path) : !File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                damage.Append(CultureInfo.InvariantCulture, $"{path} was deleted or changed; ");
            }
        }

        if (!Directory.Exists(DirectoryPath))
        {
            damage.Append(CultureInfo.InvariantCulture, $"{DirectoryPath} was deleted; ");
        }

        return damage.Length == 0 ? null : damage.ToString();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; not worth failing a test over.
        }
    }

    public static void MakeFifo(string path)
    {
        if (MkFifo(path, Convert.ToInt32("600", 8)) != 0)
        {
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, int mode);
}
