using System.Diagnostics;
using ClusterD.Platform.Files;
using ClusterD.Platform.Watchdog;

namespace ClusterD.Platform.Tests.Watchdog;

/// <summary>
/// The watchdog protocol against stand-ins the test observes (a regular file, a FIFO) and /dev/null, a
/// character device that knows no watchdog ioctl. The host's own /dev/watchdog is never opened.
/// </summary>
public sealed class WatchdogDeviceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("watchdog-");

    [Fact]
    public void Open_RegularFile_FeedsAppendAndDisarmEndsWithTheMagicCharacter()
    {
        var path = Path.Combine(_dir.FullName, "wd");
        File.WriteAllText(path, "");

        using var device = WatchdogDevice.Open(path, 10);
        device.Feed();
        device.Feed();
        Assert.Equal("..", File.ReadAllText(path));
        device.Disarm();

        Assert.Equal("..V", File.ReadAllText(path));
        Assert.True(device.IsClosed);
        Assert.Equal(FileKind.Regular, device.Kind);
        Assert.Null(device.TimeoutSeconds);
        Assert.Contains("timeout ioctls skipped", device.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_FifoWithReader_TheReaderSeesEveryFeedThenTheMagicClose()
    {
        var path = Path.Combine(_dir.FullName, "wd.fifo");
        await MkFifoAsync(path);

        // Read-write never blocks on a FIFO (Linux), so the reader exists before the watchdog opens it.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
        using var device = WatchdogDevice.Open(path, 10);
        device.Feed();
        device.Feed();
        device.Disarm();

        var seen = new byte[3];
        await reader.ReadExactlyAsync(seen, TestContext.Current.CancellationToken);
        Assert.Equal("..V"u8.ToArray(), seen);
        Assert.Equal(FileKind.Fifo, device.Kind);
    }

    [Fact]
    public async Task Open_FifoNobodyReads_IsRefusedWithoutBlocking()
    {
        var path = Path.Combine(_dir.FullName, "wd.fifo");
        await MkFifoAsync(path);

        var e = Assert.Throws<WatchdogException>(() => WatchdogDevice.Open(path, 10));

        Assert.Equal($"watchdog {path} is a FIFO nobody reads", e.Message);
    }

    [Fact]
    public void Open_CharacterDeviceWithoutWatchdogIoctls_IsOpenedAndSaysSo()
    {
        using var device = WatchdogDevice.Open("/dev/null", 10);
        device.Feed();

        Assert.Equal(FileKind.CharacterDevice, device.Kind);
        Assert.Null(device.TimeoutSeconds);
        Assert.StartsWith("character device that neither sets nor reports its timeout", device.Detail, StringComparison.Ordinal);
        device.Disarm();
    }

    [Fact]
    public void Open_Directory_IsRefused()
    {
        var e = Assert.Throws<WatchdogException>(() => WatchdogDevice.Open(_dir.FullName, 10));

        Assert.Equal($"watchdog {_dir.FullName} is a directory, not a character device (nor a FIFO or regular file)", e.Message);
    }

    [Fact]
    public void Open_Missing_IsRefused()
    {
        var path = Path.Combine(_dir.FullName, "none");

        var e = Assert.Throws<WatchdogException>(() => WatchdogDevice.Open(path, 10));

        Assert.StartsWith($"watchdog {path} does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feed_AfterDisarm_Throws()
    {
        var path = Path.Combine(_dir.FullName, "wd");
        File.WriteAllText(path, "");
        var device = WatchdogDevice.Open(path, 10);
        device.Disarm();

        Assert.Throws<ObjectDisposedException>(device.Feed);
        Assert.Equal("V", File.ReadAllText(path));
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static async Task MkFifoAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
