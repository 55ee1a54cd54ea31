using ClusterD.Cli.Configuration;

namespace ClusterD.Cli.Tests.Configuration;

public sealed class SocketPathResolverTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-conf-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Resolve_OptionGiven_WinsOverEverything()
    {
        var conf = WriteConf("/run/conf.sock");

        Assert.Equal("/run/option.sock", SocketPathResolver.Resolve("/run/option.sock", Env("/run/env.sock"), conf));
    }

    [Fact]
    public void Resolve_EnvironmentSet_WinsOverConfFile()
    {
        var conf = WriteConf("/run/conf.sock");

        Assert.Equal("/run/env.sock", SocketPathResolver.Resolve(null, Env("/run/env.sock"), conf));
    }

    [Fact]
    public void Resolve_ConfFileNamesSocket_UsesIt()
    {
        var conf = WriteConf("/run/conf.sock");

        Assert.Equal("/run/conf.sock", SocketPathResolver.Resolve(null, Env(null), conf));
    }

    [Fact]
    public void Resolve_ConfFileWithoutKey_FallsBackToDefault()
    {
        var conf = Path.Combine(_dir.FullName, "clusterd.conf");
        File.WriteAllText(conf, "clusterd {\n    state_dir: /var/lib/clusterd\n}\n");

        Assert.Equal(SocketPathResolver.DefaultSocketPath, SocketPathResolver.Resolve(null, Env(""), conf));
    }

    [Fact]
    public void Resolve_NoConfFile_IsTheDaemonDefault()
    {
        Assert.Equal("/run/clusterd/clusterd.sock",
            SocketPathResolver.Resolve(null, Env(null), Path.Combine(_dir.FullName, "absent.conf")));
    }

    private string WriteConf(string socket)
    {
        var path = Path.Combine(_dir.FullName, "clusterd.conf");
        File.WriteAllText(path, $"totem {{\n    cluster_name: t\n}}\nclusterd {{\n    admin_socket: {socket}\n}}\n");
        return path;
    }

    private static Func<string, string?> Env(string? socket) =>
        name => name == SocketPathResolver.EnvironmentVariable ? socket : null;
}
