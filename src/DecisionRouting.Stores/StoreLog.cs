using System;
using Microsoft.Extensions.Logging;

namespace DecisionRouting.Stores
{
    /// <summary>The stores' log lines (event ids 4xxx; the library uses 1xxx–3xxx, hosting 5xxx).</summary>
    internal static partial class StoreLog
    {
        [LoggerMessage(4001, LogLevel.Information, "Store {Store} ready at schema version {Version} (found version {Found}; 0 is a new store)")]
        internal static partial void SchemaReady(ILogger logger, string store, int found, int version);

        [LoggerMessage(4002, LogLevel.Warning, "A write to {Store} failed after taking sequence {Sequence}; recorded it as a writer void so verify can tell the gap from a deletion ({Reason})")]
        internal static partial void WriterVoid(ILogger logger, string store, long sequence, string reason);

        [LoggerMessage(4003, LogLevel.Error, "A write to {Store} failed after taking sequence {Sequence}, and recording the void failed too; audit verify will report the gap")]
        internal static partial void WriterVoidLost(ILogger logger, Exception exception, string store, long sequence);

        [LoggerMessage(4004, LogLevel.Warning, "Store {Store} can only be read; the {Trigger} entry for case {CaseId} was not written")]
        internal static partial void ReadOnlyRefused(ILogger logger, string store, string caseId, string trigger);
    }
}
