using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DecisionRouting.LiveReload
{
    /// <summary>How a <see cref="WatchedRuleSet"/> watches and reports.</summary>
    public sealed class WatchedRuleSetOptions
    {
        /// <summary>
        /// How long to wait after the last change before reloading, so an editor's save (often several writes) is
        /// read once, complete. Defaults to 300 ms.
        /// </summary>
        public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(300);

        /// <summary>Where reloads and rejected edits are logged; rejected edits log every diagnostic as a warning.</summary>
        public ILogger Logger { get; init; } = NullLogger.Instance;
    }
}
