using System;
using System.Reflection;
using DecisionRouting.Evaluation;
using DecisionRouting.Routing;

namespace DecisionRouting.Tests.Security;

/// <summary>
/// The fault classification that exception filters ask while the heap is still full (see <c>HostFaults</c>): it must
/// not need a static constructor, which would run, allocate and fail inside the filter the first time memory ran out
/// before anything else had touched it (the load's JSON reader, since round 7 reads large files in less memory).
/// </summary>
public sealed class HostFaultsTests
{
    [Fact]
    public void The_classification_has_no_static_constructor_to_run_inside_a_filter()
    {
        Assert.Null(typeof(HostFaults).TypeInitializer);
        Assert.Empty(typeof(HostFaults).GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public));
    }

    [Fact]
    public void Faults_are_found_inside_every_wrapper_and_rule_errors_are_not_faults()
    {
        var oom = new OutOfMemoryException();
        Assert.True(HostFaults.IsFault(oom));
        Assert.True(HostFaults.IsFault(new TargetInvocationException(new TypeInitializationException("T", new InsufficientExecutionStackException()))));
        Assert.True(HostFaults.IsFault(new AggregateException(new InvalidOperationException(), new AggregateException(oom))));
        Assert.False(HostFaults.IsFault(new AggregateException(new InvalidOperationException(), new DivideByZeroException())));
        Assert.False(HostFaults.IsFault(new InvalidCastException()));
        Assert.False(HostFaults.IsFault(null));

        // The cause: the first fault among an aggregate's exceptions, else its first; unwrapped as far as it goes.
        Assert.Same(oom, HostFaults.Cause(new AggregateException(new InvalidOperationException(), new TargetInvocationException(oom))));
        var first = new InvalidOperationException();
        Assert.Same(first, HostFaults.Cause(new AggregateException(first, new DivideByZeroException())));
        Assert.Same(first, HostFaults.Cause(first));

        // The compiled catch filters' IsNotFault and the CLI's RoutingFaultException.IsFault answer the same.
        Assert.False(EvaluationGuard.IsNotFault(new AggregateException(oom)));
        Assert.True(EvaluationGuard.IsNotFault(new InvalidCastException()));
        Assert.True(RoutingFaultException.IsFault(new TypeInitializationException("T", oom)));
    }
}
