using System.Collections.Immutable;
using ClusterD.Platform.Files;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Configuration;

/// <summary>
/// The live resource configuration on disk, under the daemon's state dir, in two generations:
/// <c>cib.crm</c> (the current one) and <c>cib.crm.1</c> (the one before it). Each is canonical crm text
/// an operator can read, guarded by a SHA-256 line (<see cref="StoredConfigFile"/>).
/// <para>
/// <see cref="Save"/> renames an intact current file to <c>cib.crm.1</c> (rename(2), atomic), then writes the
/// new one atomically (<see cref="AtomicTextFile"/>: temporary file, fsync, rename, fsync of the directory),
/// so a crash at any instant leaves at least one intact generation holding the last acknowledged
/// configuration or the one before it. A damaged current file is overwritten without being rotated, so it
/// never pushes the last good generation out. <see cref="Load"/> takes the intact generation with the higher
/// version (the current one on a tie), skipping, with a warning, any that is missing, damaged, cut short,
/// unparsable or not a regular file (a symbolic link, FIFO or directory is never followed or opened).
/// </para>
/// </summary>
public sealed class ConfigStore
{
    /// <summary>The current generation's file name.</summary>
    public const string CurrentName = "cib.crm";

    /// <summary>The previous generation's file name.</summary>
    public const string PreviousName = "cib.crm.1";

    /// <summary>
    /// The largest generation read or written: what the crm parser accepts (<see cref="CrmParser.MaxFileBytes"/>),
    /// so that whatever was saved can be loaded. Anything larger on disk is not ours.
    /// </summary>
    public const long MaxFileBytes = CrmParser.MaxFileBytes;

    private readonly string _stateDir;

    public ConfigStore(string stateDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDir);
        _stateDir = stateDir;
    }

    private string CurrentPath => Path.Combine(_stateDir, CurrentName);

    private string PreviousPath => Path.Combine(_stateDir, PreviousName);

    /// <summary>The newest intact generation, or the empty configuration (version 0/0) when there is none.</summary>
    public ConfigLoad Load()
    {
        var current = Examine(CurrentPath);
        var previous = Examine(PreviousPath);
        var warnings = ImmutableArray.CreateBuilder<string>();
        if (current.Config is { } c && (previous.Config is not { } older || c.Version >= older.Version))
        {
            if (previous.Problem is { } damaged && !previous.Missing)
            {
                warnings.Add($"{PreviousPath}: {damaged}; ignored, the current generation is intact");
            }

            return new ConfigLoad(c, CurrentPath, warnings.ToImmutable());
        }

        if (previous.Config is { } p)
        {
            var why = current.Config is { } stale ? $"older ({stale.Version})" : current.Problem;
            warnings.Add($"{CurrentPath}: {why}, using {PreviousName} ({p.Version})");
            return new ConfigLoad(p, PreviousPath, warnings.ToImmutable());
        }

        if (current.Missing && previous.Missing)
        {
            return new ConfigLoad(ClusterConfig.Empty, null, []);
        }

        foreach (var g in new[] { current, previous })
        {
            warnings.Add($"{g.Path}: {g.Problem}");
        }

        warnings.Add($"no intact configuration in {_stateDir}: starting with the empty configuration ({ClusterConfig.Empty.Version}); any peer's configuration replaces it");
        return new ConfigLoad(ClusterConfig.Empty, null, warnings.ToImmutable());
    }

    /// <summary>Persists <paramref name="config"/> as the current generation; the intact current one becomes the previous.</summary>
    /// <exception cref="ConfigStoreException">It could not be written; the message names the file and why.</exception>
    public void Save(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = StoredConfigFile.Encode(config);
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxFileBytes)
        {
            throw new ConfigStoreException($"{CurrentPath}: the configuration is larger than {MaxFileBytes} bytes in crm syntax; not saved");
        }

        try
        {
            Directory.CreateDirectory(_stateDir);
            RequireRegularOrMissing(CurrentPath);
            RequireRegularOrMissing(PreviousPath);
            var current = Examine(CurrentPath);
            if (current.Config is not null)
            {
                if (current.Text == text)
                {
                    // Saved already: rotating would push the previous generation out for nothing.
                    return;
                }

                File.Move(CurrentPath, PreviousPath, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not ConfigStoreException)
        {
            throw new ConfigStoreException($"{CurrentPath}: cannot save: {e.Message}", e);
        }

        if (!AtomicTextFile.TryWrite(CurrentPath, text, out var error))
        {
            throw new ConfigStoreException($"{CurrentPath}: {error}");
        }

        RemoveLeftoverTemporaries();
    }

    /// <summary>Temporary files of saves a crash interrupted (<see cref="AtomicTextFile"/> names them <c>.cib.crm.*.tmp</c>): never read, never acknowledged.</summary>
    private void RemoveLeftoverTemporaries()
    {
        foreach (var file in Directory.EnumerateFiles(_stateDir, "." + CurrentName + ".*.tmp"))
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Harmless where it is; the next save tries again.
            }
        }
    }

    private static void RequireRegularOrMissing(string path)
    {
        if (FileStat.Of(path, followLinks: false) is { Kind: not FileKind.Regular } facts)
        {
            throw new ConfigStoreException($"{path} is {facts.Kind.Describe()}, not a regular file; move it away so the configuration can be saved");
        }
    }

    private static Generation Examine(string path)
    {
        byte[] bytes;
        try
        {
            // Not followed: the store reads only the regular files it wrote, never where a link points.
            switch (FileStat.Of(path, followLinks: false))
            {
                case null:
                    return new Generation(path, null, "missing", null, Missing: true);
                case { Kind: FileKind.SymbolicLink }:
                    return new Generation(path, null, "is a symbolic link, not a regular file; refused", null);
            }

            bytes = RegularFile.Read(path, MaxFileBytes);
        }
        catch (FileReadException e) when (e.Problem == FileReadProblem.Missing)
        {
            return new Generation(path, null, "missing", null, Missing: true);
        }
        catch (IOException e)
        {
            return new Generation(path, null, e.Message + "; refused", null);
        }

        var config = StoredConfigFile.Decode(bytes, path, out var problem);
        return config is null
            ? new Generation(path, null, problem, null)
            : new Generation(path, config, null, System.Text.Encoding.UTF8.GetString(bytes));
    }

    /// <summary>One generation on disk: its configuration when intact, else what is wrong with it.</summary>
    private sealed record Generation(string Path, ClusterConfig? Config, string? Problem, string? Text, bool Missing = false);
}
