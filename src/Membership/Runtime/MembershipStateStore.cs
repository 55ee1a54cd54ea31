using System.Globalization;
using ClusterD.Platform.Files;

namespace ClusterD.Membership.Runtime;

/// <summary>
/// The two numbers membership keeps across restarts, under the state dir: the incarnation (boot
/// id, strictly increasing per start) and the highest ring sequence ever proposed. Each is a small
/// text file written atomically (temp file, fsync, rename).
/// </summary>
public sealed class MembershipStateStore(string stateDir)
{
    /// <summary>A number file holds at most 20 digits and a newline; anything longer is not one.</summary>
    private const int MaxNumberFileBytes = 64;

    private string IncarnationFile => Path.Combine(stateDir, "incarnation");

    private string RingSeqFile => Path.Combine(stateDir, "ring-seq");

    /// <summary>
    /// The next incarnation: the wall clock in milliseconds, or the previous incarnation plus one
    /// when the clock is behind it (a clock step back must not reuse a boot id).
    /// </summary>
    public ulong NextIncarnation(DateTimeOffset wallClock)
    {
        Directory.CreateDirectory(stateDir);
        var previous = ReadNumber(IncarnationFile);
        var next = Math.Max((ulong)Math.Max(1, wallClock.ToUnixTimeMilliseconds()), previous + 1);
        WriteNumber(IncarnationFile, next);
        return next;
    }

    public ulong ReadRingSeq() => ReadNumber(RingSeqFile);

    public void WriteRingSeq(ulong seq) => WriteNumber(RingSeqFile, seq);

    private static ulong ReadNumber(string path)
    {
        string text;
        try
        {
            // Bounded and regular files only: a FIFO or a link to /dev/zero here must not hang or fill memory.
            text = System.Text.Encoding.ASCII.GetString(RegularFile.Read(path, MaxNumberFileBytes)).Trim();
        }
        catch (FileReadException e) when (e.Problem == FileReadProblem.Missing)
        {
            return 0;
        }
        catch (FileReadException e)
        {
            throw new InvalidDataException($"{path} {e.Message}; fix or remove it (remove only if no peer is running)", e);
        }

        // A corrupt file must not read as 0: that would reuse ring sequences or incarnations.
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new InvalidDataException($"{path}: '{text}' is not a number; fix or remove it (remove only if no peer is running)");
    }

    private static void WriteNumber(string path, ulong value)
    {
        var temp = path + ".tmp";
        if (FileStat.Of(temp, followLinks: false) is { Kind: not FileKind.Regular } other)
        {
            // Opening a FIFO for writing would block; anything but our own leftover temp file is not ours to replace.
            throw new InvalidDataException($"{temp} is {other.Kind.Describe()}; remove it");
        }

        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
