using ClusterD.Membership.Configuration;
using ClusterD.TestKit;

namespace ClusterD.Membership.Tests.Configuration;

public sealed class DaemonPathsTests : IDisposable
{
    private const string FileName = "paths.conf";
    private readonly ConfigFuzz _files = new("clusterd-paths-");

    public void Dispose() => _files.Dispose();

    private ClusterConfiguration Config(string? stateDir = null, string? socket = null) =>
        ClusterConfigurationLoader.Parse($$"""
            nodelist {
                node {
                    nodeid: 1
                    ring0_addr: 127.0.0.1
                }
            }
            clusterd {
                state_dir: {{stateDir ?? Path.Combine(_files.Root, "state")}}
                admin_socket: {{socket ?? Path.Combine(_files.Root, "run", "clusterd.sock")}}
            }
            """, FileName);

    [Fact]
    public void Prepare_MissingDirectories_CreatesThem()
    {
        var config = Config();

        DaemonPaths.Prepare(config);

        Assert.True(Directory.Exists(config.ClusterD.StateDir));
        Assert.True(Directory.Exists(Path.GetDirectoryName(config.ClusterD.AdminSocket)));
        Assert.Empty(Directory.GetFileSystemEntries(config.ClusterD.StateDir));
    }

    [Theory]
    [InlineData("/dev/null", "'/dev/null' is a character device, not a directory")]
    [InlineData("regular", "is a regular file, not a directory")]
    [InlineData("fifo", "is a FIFO, not a directory")]
    [InlineData("/proc/1", "'/proc/1' is not a directory clusterd can write to")]
    [InlineData("/sys/kernel", "'/sys/kernel' is not a directory clusterd can write to")]
    [InlineData("long", "File name too long")]
    public void Prepare_StateDirUnusable_FailsAtItsLineAndKeepsFiles(string stateDir, string problem)
    {
        stateDir = stateDir switch
        {
            "regular" => _files.RegularFile,
            "fifo" => _files.FifoPath,
            "long" => Path.Combine(_files.Root, new string('d', 300)),
            _ => stateDir,
        };

        var e = Assert.Throws<ConfigException>(() => DaemonPaths.Prepare(Config(stateDir)));

        Assert.Equal((FileName, 8, "clusterd.state_dir"), (e.File, e.Line, e.Key));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Null(_files.DamagedFiles());
    }

    [Theory]
    [InlineData("dir", "is a directory; it must name a socket or nothing yet")]
    [InlineData("regular", "is a regular file; it must name a socket or nothing yet")]
    [InlineData("authkey", "is a regular file; it must name a socket or nothing yet")]
    [InlineData("fifo", "is a FIFO; it must name a socket or nothing yet")]
    [InlineData("/dev/null", "is a character device; it must name a socket or nothing yet")]
    [InlineData("/proc/1/clusterd.sock", "'/proc/1' is not a directory clusterd can write to")]
    public void Prepare_AdminSocketUnusable_FailsAtItsLineAndKeepsFiles(string socket, string problem)
    {
        socket = socket switch
        {
            "dir" => _files.DirectoryPath,
            "regular" => _files.RegularFile,
            "authkey" => _files.KeyPath,
            "fifo" => _files.FifoPath,
            _ => socket,
        };

        var e = Assert.Throws<ConfigException>(() => DaemonPaths.Prepare(Config(socket: socket)));

        Assert.Equal((FileName, 9, "clusterd.admin_socket"), (e.File, e.Line, e.Key));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Null(_files.DamagedFiles());
        Assert.True(File.Exists("/dev/null"));
    }

    [Fact]
    public void Prepare_DefaultsNotInFile_FailWithoutLine()
    {
        var config = ClusterConfigurationLoader.Parse("nodelist {\n node {\n nodeid: 1\n ring0_addr: 127.0.0.1\n }\n}\n", FileName) with
        {
            ClusterD = Config().ClusterD with { StateDir = "/dev/null" },
        };

        var e = Assert.Throws<ConfigException>(() => DaemonPaths.Prepare(config));

        Assert.Equal($"{FileName}: clusterd.state_dir: '/dev/null' is a character device, not a directory", e.Message);
    }
}
