using System.Net.Sockets;
using System.Runtime.InteropServices;
using ClusterD.Admin.V1;
using Grpc.Net.Client;

namespace ClusterD.Integration.Tests.Daemon;

/// <summary>
/// Connects to a Unix socket with another user's credentials from inside the test process. The
/// kernel records the connecting thread's credentials at connect() (SO_PEERCRED, SO_PEERGROUPS);
/// Linux credentials are per thread, and glibc's setresuid would change every thread of the process,
/// so a dedicated thread changes only its own with the raw system calls, connects, and ends.
/// Needs root.
/// </summary>
internal sealed partial record CallerCredentials(uint Uid, uint Gid, uint[] Groups)
{
    public Socket Connect(string path) => ConnectMany(path, 1)[0];

    /// <summary>Opens <paramref name="count"/> connections with these credentials, on one short-lived thread.</summary>
    public IReadOnlyList<Socket> ConnectMany(string path, int count)
    {
        var connected = new List<Socket>(count);
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                SwitchThisThread();
                for (var i = 0; i < count; i++)
                {
                    connected.Add(ConnectOnThisThread(path));
                }
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            connected.ForEach(s => s.Dispose());
            throw failure;
        }

        return connected;
    }

    /// <summary>A gRPC admin client whose every connection carries these credentials.</summary>
    public ClusterAdmin.ClusterAdminClient Client(string path)
    {
        var handler = new SocketsHttpHandler { ConnectCallback = (_, _) => ValueTask.FromResult<Stream>(new NetworkStream(Connect(path), ownsSocket: true)) };
        return new ClusterAdmin.ClusterAdminClient(GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true }));
    }

    private void SwitchThisThread()
    {
        var (setGroups, setResGid, setResUid) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (116L, 119L, 117L),
            Architecture.Arm64 => (159L, 149L, 147L),
            var other => throw new InvalidOperationException($"no system call numbers for {other}"),
        };
        // Only this thread changes, and it ends after the connect: nothing needs restoring.
        Check(SysCall(setGroups, Groups.Length, Groups), "setgroups");
        Check(SysCall(setResGid, -1, Gid, -1), "setresgid");
        Check(SysCall(setResUid, -1, Uid, -1), "setresuid");
    }

    private static Socket ConnectOnThisThread(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Check(long result, string call)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{call} failed: errno {Marshal.GetLastPInvokeError()} (the test must run as root)");
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long SysCall(long number, long count, uint[] groups);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long SysCall(long number, long real, long effective, long saved);
}
