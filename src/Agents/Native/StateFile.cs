using ClusterD.Platform.Files;

namespace ClusterD.Agents.Native;

/// <summary>
/// The state file of a native agent instance (Dummy, Stateful, the DRBD stop marker): its existence
/// means "started", its content is the role or a marker. Read bounded and only as a regular file;
/// written atomically (a temporary file renamed over it), so a reader never sees half a state. A file
/// that cannot be read or written ends the action with an <see cref="AgentInputException"/>, which
/// <see cref="NativeAgent"/> turns into a result, never an exception to the caller.
/// </summary>
internal static class StateFile
{
    /// <summary>Largest state file read: it holds a role or a marker.</summary>
    private const int MaxStateBytes = 4096;

    /// <summary>The <c>state</c> parameter if given, else <c>STATE_DIR/TYPE-INSTANCE.state</c>.</summary>
    public static string PathFor(NativeAgentOptions options, AgentName name, AgentRequest request) =>
        request.Parameters.TryGetValue("state", out var explicitPath) && explicitPath.Length > 0
            ? explicitPath
            : Path.Combine(options.StateDirectory, $"{name.Type}-{request.ResourceInstance}.state");

    /// <summary>The content, or null when the file does not exist (stopped).</summary>
    public static Task<string?> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(Read(path, cancellationToken));

    private static string? Read(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // The path may be a parameter: a regular file of a few bytes, never a FIFO or a device.
            return System.Text.Encoding.UTF8.GetString(RegularFile.Read(path, MaxStateBytes)).Trim();
        }
        catch (FileReadException e) when (e.Problem == FileReadProblem.Missing)
        {
            return null;
        }
        catch (FileReadException e)
        {
            // Not a state file this agent could have written: the configuration points somewhere wrong.
            throw new AgentInputException(
                e.Problem is FileReadProblem.NotRegular or FileReadProblem.TooLarge or FileReadProblem.NotAFileName ? OcfExitCode.NotConfigured : OcfExitCode.GenericError,
                $"state file {path} {e.Message}", e);
        }
    }

    /// <summary>Replaces the content with <paramref name="content"/> and a newline; never writes through a FIFO or device.</summary>
    public static Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentInputException(OcfExitCode.GenericError, $"state file {path}: cannot create its directory: {e.Message}", e);
        }

        if (!AtomicTextFile.TryWrite(path, content + "\n", out var error))
        {
            throw new AgentInputException(OcfExitCode.GenericError, $"state file {path}: {error}");
        }

        return Task.CompletedTask;
    }

    /// <summary>Removes the file; true when it is gone afterwards (stop succeeds only then).</summary>
    public static bool Delete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reported by the check below: the file is still there.
        }

        return !File.Exists(path);
    }

    /// <summary>Null when the directory for <paramref name="path"/> can be created and written, else why not.</summary>
    public static string? CheckWritable(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(directory))
        {
            return $"state file '{path}' has no directory";
        }

        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"state directory '{directory}' is not writable: {e.Message}";
        }
    }
}
