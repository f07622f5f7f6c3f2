using System;
using Microsoft.Extensions.Hosting;

namespace DecisionRouting.Hosting
{
    /// <summary>
    /// The folder relative paths in the options are read from: the host's content root when there is a host, else
    /// the current directory (a bare <c>ServiceCollection</c> in a test or a tool).
    /// </summary>
    internal sealed class ContentRoot
    {
        public ContentRoot(IServiceProvider services)
        {
            Path = (services.GetService(typeof(IHostEnvironment)) as IHostEnvironment)?.ContentRootPath is { Length: > 0 } root
                ? root
                : Environment.CurrentDirectory;
        }

        public string Path { get; }
    }
}
