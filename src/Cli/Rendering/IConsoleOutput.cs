namespace ClusterD.Cli.Rendering;

/// <summary>
/// Where <c>clusterctl</c> writes: data to <see cref="Out"/>, diagnostics to <see cref="Error"/>.
/// Plain text over <see cref="TextWriter"/>, so tests capture it with <see cref="StringWriter"/>.
/// </summary>
internal interface IConsoleOutput
{
    TextWriter Out { get; }

    TextWriter Error { get; }

    /// <summary>True when <see cref="Out"/> is a terminal, so redrawing the screen makes sense.</summary>
    bool IsInteractive { get; }

    void WriteLine(string text);

    void WriteError(string text);

    /// <summary>Clears the terminal before a redraw; does nothing when output is redirected.</summary>
    void ClearScreen();
}
