using System.Globalization;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Scheduling;

/// <summary>
/// One scenario folder: <c>config.crm</c> or <c>config.xml</c> (a CIB, which brings its own status),
/// an optional <c>status.json</c>, an optional <c>whatif</c> file (one simulate flag per line:
/// <c>--node-fail N</c>, <c>--node-down N</c>, <c>--node-up N</c>, <c>--standby N</c>,
/// <c>--fail RES:NODE:OP[:RC]</c>, <c>--now ISO-8601</c>), <c>expected.json</c> in the
/// <c>simulate --json</c> shape and an optional <c>expected-warnings.txt</c> (one fragment per line).
/// </summary>
internal sealed record Scenario(string Name, string Directory, ClusterConfig Config, ClusterStatus Status, DateTimeOffset? Now)
{
    /// <summary>The scenarios folder in the source tree, found by walking up from the test binary.</summary>
    public static string Root { get; } = FindRoot();

    public static IEnumerable<string> Names => System.IO.Directory.GetDirectories(Root)
        .Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public string ExpectedPath => Path.Combine(Directory, "expected.json");

    public IReadOnlyList<string> ExpectedWarnings
    {
        get
        {
            var path = Path.Combine(Directory, "expected-warnings.txt");
            return File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];
        }
    }

    /// <summary>The lines of <c>pacemaker-notify.txt</c> (node lists sorted), or null without one.</summary>
    public List<string>? PacemakerNotifications
    {
        get
        {
            var path = Path.Combine(Directory, "pacemaker-notify.txt");
            return File.Exists(path)
                ? [.. File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(SortLists).Order(StringComparer.Ordinal)]
                : null;

            // Pacemaker lists instances by their number; ClusterD numbers them differently, so the lists compare as sets.
            static string SortLists(string line) => System.Text.RegularExpressions.Regex.Replace(
                line, @"\[([^\]]*)\]", m => "[" + string.Join(' ', m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)) + "]");
        }
    }

    public TransitionGraph Schedule() => Scheduler.Schedule(Config, Status, Now);

    public static Scenario Load(string name)
    {
        var dir = Path.Combine(Root, name);
        var crm = Path.Combine(dir, "config.crm");
        ClusterConfig config;
        ClusterStatus? status = null;
        if (File.Exists(crm))
        {
            var parsed = CrmParser.ParseFile(crm);
            config = parsed.GetConfigOrThrow();
        }
        else
        {
            var imported = CibImporter.ImportFile(Path.Combine(dir, "config.xml"));
            Assert.True(imported.Succeeded, string.Join("\n", imported.Errors));
            config = imported.Config;
            status = imported.Status;
        }

        var statusPath = Path.Combine(dir, "status.json");
        if (File.Exists(statusPath))
        {
            var read = StatusJson.ReadFile(statusPath);
            Assert.True(read.Succeeded, string.Join("\n", read.Errors));
            status = read.Status;
        }

        status ??= ClusterStatus.AllOnline(config.Nodes.Select(n => n.Name));
        var whatIf = new WhatIf();
        DateTimeOffset? now = null;
        var whatIfPath = Path.Combine(dir, "whatif");
        foreach (var line in File.Exists(whatIfPath) ? File.ReadAllLines(whatIfPath) : [])
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || parts[0].StartsWith('#'))
            {
                continue;
            }

            var value = parts[1];
            whatIf = parts[0] switch
            {
                "--node-fail" => whatIf with { NodeFail = whatIf.NodeFail.Add(value) },
                "--node-down" => whatIf with { NodeDown = whatIf.NodeDown.Add(value) },
                "--node-up" => whatIf with { NodeUp = whatIf.NodeUp.Add(value) },
                "--standby" => whatIf with { Standby = whatIf.Standby.Add(value) },
                "--fail" => whatIf with { Failures = whatIf.Failures.Add(ParseFailure(value)) },
                "--now" => whatIf,
                _ => throw new InvalidDataException($"{whatIfPath}: unknown flag {parts[0]}"),
            };
            if (parts[0] == "--now")
            {
                now = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return new Scenario(name, dir, config, whatIf.Apply(status, config, now), now);
    }

    private static InjectedFailure ParseFailure(string text) =>
        InjectedFailure.TryParse(text, out var failure, out var error) ? failure! : throw new InvalidDataException(error);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "ResourceManager.Tests", "Scheduling", "Scenarios");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }

            candidate = Path.Combine(dir.FullName, "Scheduling", "Scenarios");
            if (System.IO.Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "ClusterD.ResourceManager.Tests.csproj")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/ResourceManager.Tests/Scheduling/Scenarios not found above " + AppContext.BaseDirectory);
    }

    public override string ToString() => Name;
}
