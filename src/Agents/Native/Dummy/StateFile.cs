using ClusterD.Platform.Files;

namespace ClusterD.Agents.Native.Dummy;

/// <summary>
/// The state file of a Dummy or Stateful instance: its existence means "started", its content
/// is the role. Written to a temporary name and renamed, so a reader never sees half a state.
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

    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the file; true when it is gone afterwards (stop succeeds only then).</summary>
    public static bool Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
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
