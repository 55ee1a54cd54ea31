using System.Diagnostics;
using ClusterD.Controller.Configuration;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Tests.Configuration;

public sealed class ConfigStoreTests : IDisposable
{
    private const string Crm = """
        node 1: hadb01
        node 2: hadb02
        primitive drbd_mysql ocf:linbit:drbd params drbd_resource=r0 \
            op monitor interval=29s role=Promoted op monitor interval=31s role=Unpromoted
        primitive mysqld lsb:mysql op monitor interval=10s
        clone ms_drbd_mysql drbd_mysql meta promotable=true promoted-max=1 clone-max=2
        colocation mysql_on_drbd inf: mysqld ms_drbd_mysql:Promoted
        order mysql_after_drbd Mandatory: ms_drbd_mysql:promote mysqld:start
        property stonith-enabled=true
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterd-configstore-");

    private string State => _dir.FullName;

    private string Current => Path.Combine(State, "cib.crm");

    private string Previous => Path.Combine(State, "cib.crm.1");

    public void Dispose() => _dir.Delete(recursive: true);

    internal static ClusterConfig Config(int epoch, string crm = Crm) =>
        CrmParser.Parse(crm).GetConfigOrThrow() with { Version = new ConfigVersion(0, epoch) };

    [Fact]
    public void Load_NothingOnDisk_IsTheEmptyConfigurationWithoutWarnings()
    {
        var load = new ConfigStore(State).Load();

        Assert.Equal(ClusterConfig.Empty, load.Config);
        Assert.Equal(new ConfigVersion(0, 0), load.Config.Version);
        Assert.Null(load.Source);
        Assert.Empty(load.Warnings);
    }

    [Fact]
    public void Save_ThenLoad_RoundTripsContentAndVersionAsReadableCrmText()
    {
        var store = new ConfigStore(State);

        store.Save(Config(6));
        var load = new ConfigStore(State).Load();

        Assert.Equal(Config(6), load.Config);
        Assert.Equal(Current, load.Source);
        Assert.Empty(load.Warnings);
        var lines = File.ReadAllLines(Current);
        Assert.Contains("# clusterd: admin_epoch=0 epoch=6", lines);
        Assert.Contains("primitive mysqld lsb:mysql \\", lines);
        Assert.Matches("^# clusterd-sha256: [0-9a-f]{64}$", lines[^1]);
        Assert.False(File.Exists(Previous));
    }

    [Fact]
    public void Save_Twice_KeepsTheFormerAsThePreviousGeneration()
    {
        var store = new ConfigStore(State);

        store.Save(Config(5));
        store.Save(Config(6));

        Assert.Equal(new ConfigVersion(0, 6), store.Load().Config.Version);
        File.Delete(Current);
        Assert.Equal(Config(5), store.Load().Config);
    }

    [Fact]
    public void Save_SameConfigurationAgain_DoesNotPushThePreviousGenerationOut()
    {
        var store = new ConfigStore(State);
        store.Save(Config(5));
        store.Save(Config(6));

        store.Save(Config(6));

        File.Delete(Current);
        Assert.Equal(new ConfigVersion(0, 5), store.Load().Config.Version);
    }

    [Fact]
    public void Load_CrashBetweenRotateAndWrite_LoadsTheLastGoodGenerationAndNextSaveRecovers()
    {
        var store = new ConfigStore(State);
        store.Save(Config(5));
        store.Save(Config(6));
        // The crash: the current generation was rotated, the new one never got past its temporary file.
        File.Move(Current, Previous, overwrite: true);
        var temporary = Path.Combine(State, ".cib.crm.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(temporary, "# clusterd: admin_epoch=0 epoch=7\nprimitive half");

        var load = store.Load();

        Assert.Equal(Config(6), load.Config);
        Assert.Equal(Previous, load.Source);
        Assert.Equal([$"{Current}: missing, using cib.crm.1 (admin_epoch=0 epoch=6)"], load.Warnings);

        store.Save(Config(7));
        Assert.Equal(Config(7), store.Load().Config);
        Assert.Empty(store.Load().Warnings);
        Assert.False(File.Exists(temporary));
        File.Delete(Current);
        Assert.Equal(new ConfigVersion(0, 6), store.Load().Config.Version);
    }

    [Fact]
    public void Load_FlippedByteThatStillParses_UsesThePreviousGenerationWithAWarning()
    {
        var store = new ConfigStore(State);
        store.Save(Config(6));
        store.Save(Config(7));
        var bytes = File.ReadAllBytes(Current);
        var at = Array.IndexOf(bytes, (byte)'0', Array.IndexOf(bytes, (byte)'r', Array.IndexOf(bytes, (byte)'=')));
        bytes[at] = (byte)'1'; // drbd_resource=r0 -> r1: still a valid configuration
        File.WriteAllBytes(Current, bytes);
        Assert.True(CrmParser.Parse(File.ReadAllText(Current)).Succeeded);

        var load = store.Load();

        Assert.Equal(Config(6), load.Config);
        Assert.Equal([$"{Current}: checksum mismatch, using cib.crm.1 (admin_epoch=0 epoch=6)"], load.Warnings);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    [InlineData(1.0)]
    public void Load_TruncatedFile_UsesThePreviousGeneration(double keep)
    {
        var store = new ConfigStore(State);
        store.Save(Config(6));
        store.Save(Config(7));
        var text = File.ReadAllText(Current);
        // 1.0 cuts exactly the checksum line: what is left is a complete, valid configuration.
        var length = keep < 1.0 ? (int)(text.Length * keep) : text.LastIndexOf("# clusterd-sha256", StringComparison.Ordinal);
        File.WriteAllText(Current, text[..length]);

        var load = store.Load();

        Assert.Equal(Config(6), load.Config);
        Assert.Equal([$"{Current}: has no checksum line at its end (truncated or not written by clusterd), using cib.crm.1 (admin_epoch=0 epoch=6)"], load.Warnings);
    }

    [Fact]
    public void Load_Garbage_IsRefusedAndTheEmptyConfigurationUsedWithWarnings()
    {
        File.WriteAllBytes(Current, [0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0x0a]);

        var load = new ConfigStore(State).Load();

        Assert.Equal(ClusterConfig.Empty, load.Config);
        Assert.Null(load.Source);
        Assert.Equal(
            [
                $"{Current}: has no checksum line at its end (truncated or not written by clusterd)",
                $"{Previous}: missing",
                $"no intact configuration in {State}: starting with the empty configuration (admin_epoch=0 epoch=0); any peer's configuration replaces it",
            ],
            load.Warnings);
    }

    [Fact]
    public void Load_IntactChecksumOverTextThatDoesNotParse_IsRefused()
    {
        var body = "# clusterd: admin_epoch=0 epoch=9\nprimitive broken\n";
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
        File.WriteAllText(Current, body + "# clusterd-sha256: " + digest + "\n");
        new ConfigStore(Path.Combine(State, "other")).Save(Config(4));
        File.Copy(Path.Combine(State, "other", "cib.crm"), Previous);

        var load = new ConfigStore(State).Load();

        Assert.Equal(Config(4), load.Config);
        Assert.StartsWith($"{Current}: does not parse (", load.Warnings.Single(), StringComparison.Ordinal);
        Assert.EndsWith("), using cib.crm.1 (admin_epoch=0 epoch=4)", load.Warnings.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NewerVersionInThePreviousFile_Wins()
    {
        var other = new ConfigStore(Path.Combine(State, "other"));
        other.Save(Config(3));
        File.Copy(Path.Combine(State, "other", "cib.crm"), Current);
        other.Save(Config(6));
        File.Copy(Path.Combine(State, "other", "cib.crm"), Previous);

        var load = new ConfigStore(State).Load();

        Assert.Equal(Config(6), load.Config);
        Assert.Equal([$"{Current}: older (admin_epoch=0 epoch=3), using cib.crm.1 (admin_epoch=0 epoch=6)"], load.Warnings);
    }

    [Fact]
    public void Load_CurrentNewerThanPrevious_TakesTheCurrentQuietly()
    {
        var store = new ConfigStore(State);
        store.Save(Config(6));
        store.Save(Config(8));

        var load = store.Load();

        Assert.Equal(Config(8), load.Config);
        Assert.Empty(load.Warnings);
    }

    [Fact]
    public void Save_OverDamagedCurrent_KeepsTheLastGoodPreviousGeneration()
    {
        var store = new ConfigStore(State);
        store.Save(Config(5));
        store.Save(Config(6));
        File.AppendAllText(Current, "primitive injected lsb:evil\n");

        store.Save(Config(7));

        Assert.Equal(Config(7), store.Load().Config);
        File.Delete(Current);
        Assert.Equal(Config(5), store.Load().Config);
    }

    [Fact]
    public async Task Load_FifoAtCurrentPath_IsRefusedWithoutBlockingAndSaveFailsClearly()
    {
        new ConfigStore(Path.Combine(State, "other")).Save(Config(4));
        File.Copy(Path.Combine(State, "other", "cib.crm"), Previous);
        using (var mkfifo = Process.Start("mkfifo", [Current]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var store = new ConfigStore(State);
        var load = store.Load();

        Assert.Equal(Config(4), load.Config);
        Assert.Equal([$"{Current}: is a FIFO, not a regular file; refused, using cib.crm.1 (admin_epoch=0 epoch=4)"], load.Warnings);
        var e = Assert.Throws<ConfigStoreException>(() => store.Save(Config(5)));
        Assert.IsAssignableFrom<IOException>(e);
        Assert.Equal($"{Current} is a FIFO, not a regular file; move it away so the configuration can be saved", e.Message);
        Assert.Equal(Config(4), store.Load().Config);
    }

    [Fact]
    public void Load_DirectoryAtCurrentPath_IsRefused()
    {
        Directory.CreateDirectory(Current);

        var store = new ConfigStore(State);
        var load = store.Load();

        Assert.Equal(ClusterConfig.Empty, load.Config);
        Assert.Equal($"{Current}: is a directory, not a regular file; refused", load.Warnings[0]);
        var e = Assert.Throws<ConfigStoreException>(() => store.Save(Config(1)));
        Assert.Contains("is a directory, not a regular file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SymbolicLinkToAnIntactFileElsewhere_IsNotFollowed()
    {
        var elsewhere = new ConfigStore(Path.Combine(State, "elsewhere"));
        elsewhere.Save(Config(9));
        File.CreateSymbolicLink(Current, Path.Combine(State, "elsewhere", "cib.crm"));

        var store = new ConfigStore(State);
        var load = store.Load();

        Assert.Equal(ClusterConfig.Empty, load.Config);
        Assert.Equal($"{Current}: is a symbolic link, not a regular file; refused", load.Warnings[0]);
        Assert.Throws<ConfigStoreException>(() => store.Save(Config(10)));
        Assert.Equal(Config(9), elsewhere.Load().Config);
    }

    [Fact]
    public void Save_StateDirIsAFile_ThrowsConfigStoreExceptionNamingTheFile()
    {
        var notADirectory = Path.Combine(State, "file");
        File.WriteAllText(notADirectory, "x");

        var e = Assert.Throws<ConfigStoreException>(() => new ConfigStore(notADirectory).Save(Config(1)));

        Assert.StartsWith(Path.Combine(notADirectory, "cib.crm") + ": ", e.Message, StringComparison.Ordinal);
    }
}
