using System;
using System.Threading.Tasks;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Readies a process that runs under a GC heap limit (<c>DOTNET_GCHeapHardLimit</c>, a container's memory limit) so
    /// that running out of memory stays a <see cref="RoutingFaultException"/> its caller can report, rather than an abort
    /// of the whole process. The CLI and the reference service call it first thing in <c>Main</c>; a host of your own
    /// that runs under a heap limit should too.
    /// </summary>
    /// <remarks>
    /// Two of the runtime's own threads allocate on the GC heap the first time they do their work: the finalizer thread
    /// (its thread-local storage) and a thread-pool worker (the pool's thread-count tuning, whose type initializer
    /// allocates). When that first time comes while a load or an evaluation has filled a capped heap, the allocation
    /// fails on a thread that runs none of the caller's code, and the runtime ends the process: "Out of memory." or an
    /// unhandled <see cref="TypeInitializationException"/>, exit 134. Doing that work once on an empty heap makes those
    /// allocations while there is room. Measured with the CLI (<c>OutOfMemoryFaultTests</c>): 7 aborts in 100 capped
    /// runs of <c>validate</c> on one core and 12 in 30 at a 4 MiB heap before; none after.
    /// </remarks>
    public static class HeapLimit
    {
        /// <summary>
        /// Runs the finalizer thread once and one empty thread-pool work item, waiting for both. Call it once, at the
        /// start of <c>Main</c>, before anything large is loaded; it costs a thread wake-up and the pool's first worker,
        /// which any routing starts anyway. Calling it again does no harm. It does not raise any limit: a rule set that
        /// needs more than the heap still stops with <see cref="RoutingFaultException"/>.
        /// </summary>
        public static void PrepareProcess()
        {
            GC.WaitForPendingFinalizers();
            Task.Run(static () => { }).Wait();
        }
    }
}
