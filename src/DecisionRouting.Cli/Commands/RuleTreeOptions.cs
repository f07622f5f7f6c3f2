using System.CommandLine;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary><c>--rules-root</c>, <c>--allow-absolute-extends</c> and <c>--allow-hard-links</c>: where a rule set's <c>extends</c> and links may lead.</summary>
    internal sealed class RuleTreeOptions
    {
        public Option<string?> Root { get; } = new("--rules-root") { Description = "The folder every rule set read, and everything it extends, must be inside. Default: the nearest enclosing folder named 'rules', else the folder containing the rule set." };

        public Option<bool> AllowAbsolute { get; } = new("--allow-absolute-extends") { Description = "Allow \"extends\" to be an absolute path (still inside the root)." };

        public Option<bool> AllowHardLinks { get; } = new("--allow-hard-links") { Description = "Read rule files that have other hard links (refused by default: another name for the same file may be outside the root)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Root);
            command.Options.Add(AllowAbsolute);
            command.Options.Add(AllowHardLinks);
        }

        public RuleSetReadOptions Read(ParseResult parse) => new()
        {
            ExtendsRoot = parse.GetValue(Root),
            AllowAbsoluteExtends = parse.GetValue(AllowAbsolute),
            AllowHardLinks = parse.GetValue(AllowHardLinks),
        };
    }
}
