using System;

namespace DecisionRouting.Server
{
    /// <summary>
    /// The service's configuration cannot work (a missing or unusable audit key file, say). <c>Program</c> prints its
    /// message on one line and exits 2, as the CLI does for bad input, rather than dying with a stack trace.
    /// </summary>
    internal sealed class ServerConfigurationException : Exception
    {
        public ServerConfigurationException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
