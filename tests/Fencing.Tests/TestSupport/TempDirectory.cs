namespace ClusterD.Fencing.Tests.TestSupport;

/// <summary>A scratch directory removed at dispose, with a helper to write executable scripts.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "clusterd-fencing-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="body"/> to <paramref name="name"/> with mode 0755.</summary>
    public string WriteScript(string name, string body)
    {
        var path = Combine(name);
        File.WriteAllText(path, body.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
