using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Documentation;

/// <summary>
/// The README's CLI reference against the real <c>--help</c> of every command: the same commands, arguments and
/// options, the same required and optional ones, the same <c>--format</c> values and defaults, and the same exit codes.
/// Either side changing alone fails here, naming the command and what differs.
/// </summary>
public sealed class CliReferenceTests
{
    private static readonly string Readme = File.ReadAllText(Repository.PathOf("README.md")).Replace("\r\n", "\n");

    public static TheoryData<string> DocumentedCommands()
    {
        var data = new TheoryData<string>();
        foreach (var row in ReadmeRows())
        {
            data.Add(row.Command);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedCommands))]
    public void The_readme_row_matches_the_commands_help(string command)
    {
        var row = ReadmeRows().Single(r => r.Command == command);
        var help = Help(command.Split(' '));

        Assert.True(
            row.Arguments.Count == help.Arguments.Count,
            $"{command}: README shows {row.Arguments.Count} argument(s) ({string.Join(" ", row.Arguments)}), --help {help.Arguments.Count} ({string.Join(" ", help.Arguments)})");

        var documented = row.Options.Keys.OrderBy(o => o, System.StringComparer.Ordinal).ToList();
        var actual = help.Options.Keys.OrderBy(o => o, System.StringComparer.Ordinal).ToList();
        Assert.True(
            documented.SequenceEqual(actual),
            $"{command}: README options [{string.Join(" ", documented)}] but --help has [{string.Join(" ", actual)}]; missing from README: [{string.Join(" ", actual.Except(documented))}], not in --help: [{string.Join(" ", documented.Except(actual))}]");

        foreach (var (name, option) in help.Options)
        {
            var shown = row.Options[name];
            Assert.True(option.Required == !shown.Optional, $"{command} {name}: --help says {(option.Required ? "required" : "optional")}, README shows it {(shown.Optional ? "in [ ]" : "without [ ]")}");
            Assert.True(option.TakesValue == (shown.Value is not null), $"{command} {name}: --help says it {(option.TakesValue ? "takes a value" : "is a flag")}, README shows {(shown.Value is null ? "no value" : shown.Value)}");
            if (option.Choices is { } choices)
            {
                var listed = shown.Value!.Split('|');
                Assert.True(
                    listed.OrderBy(v => v, System.StringComparer.Ordinal).SequenceEqual(choices.OrderBy(v => v, System.StringComparer.Ordinal)),
                    $"{command} {name}: README lists {shown.Value}, --help accepts {string.Join("|", choices)}");
                if (option.Default is { } first)
                {
                    Assert.True(listed[0] == first, $"{command} {name}: the default is {first}, so README must list it first, not {listed[0]}");
                }
            }
            else if (option.Default is { } value)
            {
                Assert.True(row.Text.Contains($"default `{value}`", System.StringComparison.Ordinal), $"{command} {name}: README must say \"default `{value}`\", as --help does");
            }
        }

        Assert.True(
            row.ExitCodes.SequenceEqual(help.ExitCodes),
            $"{command}: README exit codes {string.Join(", ", row.ExitCodes)}, --help {string.Join(", ", help.ExitCodes)}");
    }

    [Fact]
    public void Every_command_is_in_the_readme_table()
    {
        var documented = ReadmeRows().Select(r => r.Command).ToHashSet();
        var commands = Leaves(new List<string>()).ToList();
        Assert.NotEmpty(commands);
        Assert.Empty(commands.Except(documented));
        Assert.Empty(documented.Except(commands));
    }

    [Fact]
    public void The_readme_exit_code_table_matches_the_top_level_help()
    {
        var table = Regex.Match(Readme, @"\nExit codes:\n\n\| Code \| Meaning \|\n\|---\|---\|\n((?:\|.*\n)+)");
        Assert.True(table.Success, "README has no exit-code table after the CLI table");
        var documented = Regex.Matches(table.Groups[1].Value, @"^\| (\d+) \|", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Help(System.Array.Empty<string>()).ExitCodes, documented);
    }

    [Fact]
    public void Every_command_help_ends_with_its_exit_codes_and_always_lists_2_and_3()
    {
        foreach (var command in Leaves(new List<string>()))
        {
            var codes = Help(command.Split(' ')).ExitCodes;
            Assert.True(codes.Contains(0) && codes.Contains(2) && codes.Contains(3), $"{command} --help lists exit codes {string.Join(", ", codes)}");
        }
    }

    private static IEnumerable<string> Leaves(List<string> path)
    {
        var help = InProcessCli.Run(path.Append("--help").ToArray());
        Assert.Equal(0, help.Exit);
        var commands = Section(help.Out, "Commands:").Select(l => Regex.Match(l, @"^  (\S+)")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        if (commands.Count == 0)
        {
            yield return string.Join(' ', path);
            yield break;
        }

        foreach (var sub in commands)
        {
            foreach (var leaf in Leaves(path.Append(sub).ToList()))
            {
                yield return leaf;
            }
        }
    }

    private static List<string> Section(string help, string heading)
    {
        var lines = help.Split('\n');
        var start = System.Array.IndexOf(lines, heading);
        return start < 0 ? new List<string>() : lines.Skip(start + 1).TakeWhile(l => l.Length > 0).ToList();
    }

    private sealed record HelpOption(bool Required, bool TakesValue, IReadOnlyList<string>? Choices, string? Default);

    private sealed record CommandHelp(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, HelpOption> Options, IReadOnlyList<int> ExitCodes);

    private static CommandHelp Help(string[] command)
    {
        var run = InProcessCli.Run(command.Append("--help").ToArray());
        Assert.True(run.Exit == 0, $"{string.Join(' ', command)} --help exited {run.Exit}: {run.Error}");
        var arguments = Section(run.Out, "Arguments:").Select(l => Regex.Match(l, @"^  <([^>]+)>")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        // An option's entry runs from its line to the next option's line (long descriptions may wrap).
        var options = new Dictionary<string, HelpOption>();
        var entries = new List<(string Head, string Text)>();
        foreach (var line in Section(run.Out, "Options:"))
        {
            if (Regex.IsMatch(line, @"^  -"))
            {
                entries.Add((line, line));
            }
            else if (entries.Count > 0)
            {
                entries[^1] = (entries[^1].Head, entries[^1].Text + " " + line.Trim());
            }
        }

        foreach (var (head, text) in entries)
        {
            var names = Regex.Match(head, @"^  ((?:-[^\s,]+(?:, )?)+)(?: <([^>]+)>)?( \(REQUIRED\))?");
            var longName = names.Groups[1].Value.Split(", ").Single(n => n.StartsWith("--", System.StringComparison.Ordinal));
            if (longName is "--help" or "--version")
            {
                continue;
            }

            var value = names.Groups[2].Success ? names.Groups[2].Value : null;
            var choices = value is not null && value.Contains('|', System.StringComparison.Ordinal) ? value.Split('|') : null;
            var dflt = Regex.Match(text, @"\[default: ([^\]]+)\]");
            options[longName] = new HelpOption(names.Groups[3].Success, value is not null, choices, dflt.Success ? dflt.Groups[1].Value : null);
        }

        var codes = Section(run.Out, "Exit codes:").Select(l => Regex.Match(l, @"^  (\d+)  ")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new CommandHelp(arguments, options, codes);
    }

    private sealed record ShownOption(bool Optional, string? Value);

    private sealed record ReadmeRow(string Command, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, ShownOption> Options, IReadOnlyList<int> ExitCodes, string Text);

    /// <summary>The rows of the README's CLI table, with its shorthands (<c>[rule-tree options]</c>, …) expanded as the README defines them.</summary>
    private static List<ReadmeRow> ReadmeRows()
    {
        var section = Readme[Readme.IndexOf("\n## CLI reference\n", System.StringComparison.Ordinal)..];
        var shorthands = Regex.Matches(section, @"`\[([a-z-]+ options)\]` (?:stands )?for `([^`]+)`").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.True(shorthands.ContainsKey("rule-tree options") && shorthands.ContainsKey("store options"), "README's CLI reference no longer defines [rule-tree options] and [store options]");

        var rows = new List<ReadmeRow>();
        var table = section.Split('\n').SkipWhile(l => !l.StartsWith("| Command | Exit codes |", System.StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.NotEmpty(table);
        foreach (var line in table)
        {
            var cells = Regex.Split(line.Trim('|'), @"(?<!\\)\|").Select(c => c.Trim()).ToList();
            var usage = cells[0].Trim('`').Replace("\\|", "|", System.StringComparison.Ordinal);
            foreach (var (name, expansion) in shorthands)
            {
                usage = usage.Replace($"[{name}]", expansion, System.StringComparison.Ordinal);
            }

            var tokens = usage.Split(' ', System.StringSplitOptions.RemoveEmptyEntries);
            var words = tokens.TakeWhile(t => Regex.IsMatch(t, "^[a-z][a-z-]*$")).ToList();
            var arguments = tokens.Skip(words.Count).TakeWhile(t => t.StartsWith('<')).ToList();
            var options = new Dictionary<string, ShownOption>();
            var depth = 0;
            for (var i = words.Count + arguments.Count; i < tokens.Length; i++)
            {
                var token = tokens[i];
                var opening = token.TakeWhile(c => c is '[' or '(').Count();
                depth += opening;
                var bare = token[opening..].TrimEnd(']', ')');
                if (bare.StartsWith("--", System.StringComparison.Ordinal))
                {
                    string? value = null;
                    if (i + 1 < tokens.Length && !Regex.IsMatch(tokens[i + 1], @"^[\[(|]|^--"))
                    {
                        value = tokens[i + 1].TrimEnd(']', ')');
                    }

                    // Inside [ ] or ( ) an option is optional on its own: ( ) lists alternatives.
                    Assert.False(options.ContainsKey(bare), $"{string.Join(' ', words)}: README lists {bare} twice");
                    options[bare] = new ShownOption(depth > 0, value);
                }

                depth -= token.Reverse().TakeWhile(c => c is ']' or ')').Count();
                if (i + 1 < tokens.Length && options.TryGetValue(bare, out var o) && o.Value is not null)
                {
                    i++;
                    depth -= tokens[i].Reverse().TakeWhile(c => c is ']' or ')').Count();
                }
            }

            var codes = cells[1].Split(',').Select(c => int.Parse(c.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            rows.Add(new ReadmeRow(string.Join(' ', words), arguments, options, codes, cells[2]));
        }

        return rows;
    }
}
