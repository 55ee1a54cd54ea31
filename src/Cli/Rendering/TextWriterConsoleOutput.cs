namespace ClusterD.Cli.Rendering;

/// <summary><see cref="IConsoleOutput"/> over two writers: the process's console, or strings in tests.</summary>
internal sealed class TextWriterConsoleOutput(TextWriter output, TextWriter error, bool isInteractive = false) : IConsoleOutput
{
    /// <summary>ANSI "cursor home" followed by "erase display".</summary>
    private const string ClearSequence = "\u001b[H\u001b[2J";

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool IsInteractive { get; } = isInteractive;

    public static TextWriterConsoleOutput ForConsole() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected);

    public void WriteLine(string text) => Out.WriteLine(text);

    public void WriteError(string text) => Error.WriteLine(text);

    public void ClearScreen()
    {
        if (IsInteractive)
        {
            Out.Write(ClearSequence);
        }
    }
}
