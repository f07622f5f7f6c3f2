using System;
using System.Reflection;
using DecisionRouting.Routing;

namespace DecisionRouting.Evaluation
{
    /// <summary>
    /// Which exceptions are faults of the host (out of memory or stack, the time budget), however the runtime wrapped
    /// them. Asked in exception filters, which run before the stack unwinds, so while the heap is still as full as it
    /// was when memory ran out: this class has no static state and these methods allocate nothing. They lived on
    /// <see cref="EvaluationGuard"/>, whose static constructor allocates; a load that ran out of memory before anything
    /// had touched that class (in the JSON reader, say) failed in the filter instead, the filter read as false, and
    /// the fault escaped as an internal error.
    /// </summary>
    internal static class HostFaults
    {
        /// <summary>Whether an exception is a fault of the host, never a rule's outcome.</summary>
        public static bool IsFault(Exception? exception)
        {
            switch (exception)
            {
                case OutOfMemoryException or InsufficientExecutionStackException or StackOverflowException or RoutingTimeBudgetExceededException or RoutingFaultException:
                    return true;
                case TargetInvocationException { InnerException: { } inner }:
                    return IsFault(inner);
                case TypeInitializationException { InnerException: { } inner }:
                    return IsFault(inner);
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        if (IsFault(inner))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }

        /// <summary>
        /// The fault inside the wrappers the runtime puts around it: parallel loops and PLINQ (<see cref="AggregateException"/>),
        /// reflection (<see cref="TargetInvocationException"/>) and static constructors (<see cref="TypeInitializationException"/>).
        /// </summary>
        public static Exception Cause(Exception exception)
        {
            switch (exception)
            {
                case TargetInvocationException { InnerException: { } inner }:
                    return Cause(inner);
                case TypeInitializationException { InnerException: { } inner }:
                    return Cause(inner);
                case AggregateException { InnerExceptions.Count: > 0 } aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        if (IsFault(inner))
                        {
                            return Cause(inner);
                        }
                    }

                    return Cause(aggregate.InnerExceptions[0]);
                default:
                    return exception;
            }
        }
    }
}
