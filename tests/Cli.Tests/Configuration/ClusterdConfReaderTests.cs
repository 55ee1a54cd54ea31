using ClusterD.Cli.Configuration;

namespace ClusterD.Cli.Tests.Configuration;

public sealed class ClusterdConfReaderTests
{
    private const string FullConf = """
        # ClusterD configuration, corosync.conf syntax
        totem {
            version: 2
            cluster_name: mysql-ha
            interface {
                linknumber: 0
                # admin_socket: /wrong/in-interface.sock
            }
        }

        nodelist {
            node {
                ring0_addr: 10.0.0.1
                name: node1
                nodeid: 1
            }
        }

        clusterd {
            state_dir: /var/lib/clusterd
            # admin_socket: /commented/out.sock
            admin_socket:   /run/custom/clusterd.sock
            messaging_port: 5406
        }

        other {
            admin_socket: /wrong/other-section.sock
        }
        """;

    [Fact]
    public void ReadAdminSocket_FullConf_TakesTheClusterdSection()
    {
        Assert.Equal("/run/custom/clusterd.sock", ClusterdConfReader.ReadAdminSocket(FullConf));
    }

    [Theory]
    [InlineData("")]
    [InlineData("clusterd {\n    state_dir: /var/lib/clusterd\n}\n")]
    [InlineData("totem {\n    admin_socket: /nested/elsewhere.sock\n}\n")]
    [InlineData("admin_socket: /top/level.sock\n")]
    [InlineData("clusterd {\n    sub {\n        admin_socket: /too/deep.sock\n    }\n}\n")]
    [InlineData("clusterd {\n    admin_socket:\n}\n")]
    public void ReadAdminSocket_NoKeyInClusterdSection_IsNull(string text)
    {
        Assert.Null(ClusterdConfReader.ReadAdminSocket(text));
    }

    [Fact]
    public void ReadKey_StateDir_TakesTheClusterdSectionOnly()
    {
        Assert.Equal("/srv/clusterd", ClusterdConfReader.ReadKey(FullConf.Replace("state_dir: /var/lib/clusterd", "state_dir: /srv/clusterd", StringComparison.Ordinal), ClusterdConfReader.StateDirKey));
        Assert.Null(ClusterdConfReader.ReadKey("totem {\n    state_dir: /wrong\n}\n", ClusterdConfReader.StateDirKey));
    }

    [Fact]
    public void ReadStateDirFromFile_MissingFile_IsTheDaemonDefault()
    {
        Assert.Equal("/var/lib/clusterd", ClusterdConfReader.ReadStateDirFromFile(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.conf")));
    }

    [Fact]
    public void ReadAdminSocket_CrLfAndTightBraces_StillParses()
    {
        Assert.Equal("/run/x.sock", ClusterdConfReader.ReadAdminSocket("clusterd{\r\nadmin_socket:/run/x.sock\r\n}\r\n"));
    }

    [Fact]
    public void ReadAdminSocketFromFile_MissingFile_IsNull()
    {
        Assert.Null(ClusterdConfReader.ReadAdminSocketFromFile(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.conf")));
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    [InlineData("/")]
    public void ReadAdminSocketFromFile_NotARegularFile_IsNull(string path)
    {
        Assert.Null(ClusterdConfReader.ReadAdminSocketFromFile(path));
    }

    [Fact]
    public async Task ReadAdminSocketFromFile_FifoWithoutWriter_IsNullWithoutBlocking()
    {
        var dir = Directory.CreateTempSubdirectory("clusterd-conf-fifo-");
        try
        {
            var fifo = Path.Combine(dir.FullName, "clusterd.conf");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
            {
                await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, mkfifo.ExitCode);
            }

            var read = Task.Run(() => ClusterdConfReader.ReadAdminSocketFromFile(fifo), TestContext.Current.CancellationToken);

            Assert.Null(await read.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
