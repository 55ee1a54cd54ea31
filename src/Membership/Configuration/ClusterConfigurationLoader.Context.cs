using System.Globalization;
using System.Net;

namespace ClusterD.Membership.Configuration;

public static partial class ClusterConfigurationLoader
{
    /// <summary>Reads typed values out of sections and records warnings, naming file, line and key.</summary>
    private sealed class Context(string file)
    {
        public List<ConfigWarning> Warnings { get; } = [];

        /// <summary>The line of each path key read, by "section.key", for errors found later on the file system.</summary>
        public Dictionary<string, int> KeyLines { get; } = [];

        public void Warn(int line, string key, string problem) => Warnings.Add(new ConfigWarning(file, line, key, problem));

        public void Warn(ConfSection section, string key, string problem) =>
            Warn(Entry(section, key)?.Line ?? section.Line, $"{section.Name}.{key}", problem);

        public void WarnUnknown(ConfSection section, string[] keys, string[] sections, string[] ignoredKeys)
        {
            var prefix = section.Name.Length == 0 ? "" : section.Name + ".";
            foreach (var entry in section.Entries)
            {
                if (ignoredKeys.Contains(entry.Key))
                {
                    Warn(entry.Line, prefix + entry.Key, "corosync setting has no effect in clusterd");
                }
                else if (!keys.Contains(entry.Key))
                {
                    Warn(entry.Line, prefix + entry.Key, "unknown key");
                }
            }

            foreach (var s in section.Sections.Where(s => !sections.Contains(s.Name)))
            {
                Warn(s.Line, prefix + s.Name, ignoredKeys.Contains(s.Name) ? "corosync setting has no effect in clusterd" : "unknown section");
            }
        }

        public ConfSection? Single(ConfSection parent, string name, bool required)
        {
            var found = parent.SectionsNamed(name).ToArray();
            if (found.Length > 1)
            {
                throw new ConfigException(file, found[1].Line, name, "section appears more than once");
            }

            if (found.Length == 0 && required)
            {
                throw new ConfigException(file, 0, name, "section is missing");
            }

            return found.FirstOrDefault();
        }

        public string? String(ConfSection section, string key)
        {
            var entry = Entry(section, key);
            if (entry is null)
            {
                return null;
            }

            if (entry.Value.Length == 0)
            {
                Fail(section, key, "has no value");
            }

            return entry.Value;
        }

        public string? Path(ConfSection section, string key, int maxBytes = MaxPathBytes)
        {
            var entry = Entry(section, key);
            if (entry is null)
            {
                return null;
            }

            CheckPath(section, entry, maxBytes);
            KeyLines[$"{section.Name}.{key}"] = entry.Line;
            return entry.Value;
        }

        /// <summary>Every value of a key that may repeat (<c>authkey_accept</c>), each checked as a path.</summary>
        public string[] Paths(ConfSection section, string key)
        {
            var entries = section.Entries.Where(e => e.Key == key).ToArray();
            foreach (var entry in entries)
            {
                CheckPath(section, entry, MaxPathBytes);
            }

            return entries.Select(e => e.Value).ToArray();
        }

        public uint? UInt(ConfSection section, string key, uint min, uint max)
        {
            var value = String(section, key);
            if (value is null)
            {
                return null;
            }

            if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                Fail(section, key, $"'{value}' is not a whole number from {min} to {max}");
            }

            return n;
        }

        public bool? Bool(ConfSection section, string key) => String(section, key) switch
        {
            null => null,
            "1" or "yes" or "on" or "true" => true,
            "0" or "no" or "off" or "false" => false,
            var other => Fail<bool>(section, key, $"'{other}' is not a boolean (use 1/0, yes/no or on/off)"),
        };

        public string OneOf(ConfSection section, string key, string fallback, string[] allowed)
        {
            var value = String(section, key) ?? fallback;
            if (!allowed.Contains(value))
            {
                Fail(section, key, $"'{value}' is not one of {string.Join(", ", allowed)}");
            }

            return value;
        }

        public IPAddress Address(ConfSection section, string key, string value) =>
            ParseNodeAddress(value, out var problem) ?? Fail<IPAddress>(section, key, problem);

        public uint FailMissing(ConfSection section, string key) =>
            throw new ConfigException(file, section.Line, $"{section.Name}.{key}", "is required");

        public void Fail(ConfSection section, string key, string problem) => Fail<bool>(section, key, problem);

        public T Fail<T>(ConfSection section, string key, string problem) =>
            throw new ConfigException(file, Entry(section, key)?.Line ?? section.Line, $"{section.Name}.{key}", problem);

        private void CheckPath(ConfSection section, ConfEntry entry, int maxBytes)
        {
            var key = $"{section.Name}.{entry.Key}";
            if (entry.Value.Length == 0)
            {
                throw new ConfigException(file, entry.Line, key, "has no value");
            }

            if (!System.IO.Path.IsPathRooted(entry.Value))
            {
                throw new ConfigException(file, entry.Line, key, $"'{entry.Value}' must be an absolute path");
            }

            var bytes = System.Text.Encoding.UTF8.GetByteCount(entry.Value);
            if (bytes > maxBytes)
            {
                throw new ConfigException(file, entry.Line, key, $"the path has {bytes} bytes; at most {maxBytes} are possible here");
            }
        }

        private static ConfEntry? Entry(ConfSection section, string key) => section.Entries.LastOrDefault(e => e.Key == key);
    }
}
