using ClusterD.Messaging.Security;

namespace ClusterD.TestKit.Processes;

/// <summary>
/// A cluster of real clusterd processes on distinct 127.x.y.z addresses (unique per test), with its
/// configs, keys and state under a temp directory that is removed afterwards.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    private static int _nextCluster;
    private readonly ClusterdProcess?[] _processes;

    private LoopbackCluster(int nodes, int tokenMs, string? extraQuorum, string? binary, string? extraTotem)
    {
        Binary = binary;
        ExtraTotem = extraTotem;
        Root = Directory.CreateTempSubdirectory("clusterd-it-").FullName;
        var cluster = Interlocked.Increment(ref _nextCluster);
        var second = 100 + (Environment.ProcessId % 100);
        Addresses = Enumerable.Range(0, nodes).Select(i => $"127.{second}.{cluster}.{i + 1}").ToArray();
        KeyPath = Path.Combine(Root, "authkey");
        AuthKeyFile.Generate(KeyPath, 1);
        Names = Enumerable.Range(1, nodes).Select(i => $"node{i}").ToArray();
        _processes = new ClusterdProcess?[nodes];
        for (var i = 0; i < nodes; i++)
        {
            Directory.CreateDirectory(Path.Combine(Root, Names[i]));
            File.WriteAllText(ConfigPath(i), ConfigText(i, tokenMs, extraQuorum, KeyPath, []));
        }

        TokenMs = tokenMs;
        ExtraQuorum = extraQuorum;
    }

    public string Root { get; }

    public string[] Addresses { get; }

    public string[] Names { get; }

    public string KeyPath { get; }

    public int TokenMs { get; }

    public string? ExtraQuorum { get; }

    /// <summary>Lines added to every node's totem section (e.g. <c>crypto_cipher: none</c>).</summary>
    public string? ExtraTotem { get; }

    public TimeSpan Token => TimeSpan.FromMilliseconds(TokenMs);

    public ClusterdProcess this[int index] => _processes[index] ?? throw new InvalidOperationException($"{Names[index]} is not running");

    /// <summary>A native clusterd binary to run instead of the built clusterd.dll (null: the build output).</summary>
    public string? Binary { get; }

    public static LoopbackCluster Create(int nodes, int tokenMs = 1000, string? extraQuorum = null, string? binary = null, string? extraTotem = null) =>
        new(nodes, tokenMs, extraQuorum, binary, extraTotem);

    public string ConfigPath(int index) => Path.Combine(Root, Names[index], "clusterd.conf");

    public string SocketPath(int index) => Path.Combine(Root, Names[index], "node" + (index + 1), "clusterd.sock");

    /// <summary>Writes node <paramref name="index"/>'s config with other key files.</summary>
    public void RewriteConfig(int index, string authKey, params string[] acceptKeys) =>
        File.WriteAllText(ConfigPath(index), ConfigText(index, TokenMs, ExtraQuorum, authKey, acceptKeys));

    public ClusterdProcess Start(int index)
    {
        var process = ClusterdProcess.Start(Names[index], ConfigPath(index), SocketPath(index), Binary);
        _processes[index] = process;
        return process;
    }

    public void StartAll()
    {
        for (var i = 0; i < _processes.Length; i++)
        {
            Start(i);
        }
    }

    /// <summary>Waits until each listed node reports exactly the listed nodes online, all in the same ring.</summary>
    public async Task<string> WaitForViewAsync(int[] members, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var names = members.Select(i => Names[i]).Order().ToArray();
        var rings = new List<string>();
        foreach (var i in members)
        {
            var status = await this[i].WaitForAsync(
                s => s.Nodes.Where(n => n.Online).Select(n => n.Name).Order().SequenceEqual(names), limit ?? TimeSpan.FromSeconds(20), cancellationToken);
            rings.Add(status.RingId);
        }

        // The members may install a moment apart: re-read until they name the same ring.
        for (var attempt = 0; attempt < 40 && rings.Distinct().Count() > 1; attempt++)
        {
            await Task.Delay(50, cancellationToken);
            rings.Clear();
            foreach (var i in members)
            {
                rings.Add((await this[i].StatusAsync(cancellationToken)).RingId);
            }
        }

        if (rings.Distinct().Count() > 1)
        {
            throw new InvalidOperationException($"members report different rings: {string.Join(", ", rings)}");
        }

        return rings[0];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; not worth failing a test over.
        }
    }

    private string ConfigText(int index, int tokenMs, string? extraQuorum, string authKey, string[] acceptKeys)
    {
        var text = TestConfigs.Text(Addresses.Select(a => new[] { a }).ToArray(), tokenMs, stateDirRoot: Path.Combine(Root, Names[index]),
            nodeIndexForClusterD: index, authKey: authKey, extraTotem: ExtraTotem, extraQuorum: extraQuorum);
        var accept = string.Concat(acceptKeys.Select(k => $"    authkey_accept: {k}\n"));
        return text.Replace("    messaging_port:", accept + "    messaging_port:", StringComparison.Ordinal);
    }
}
