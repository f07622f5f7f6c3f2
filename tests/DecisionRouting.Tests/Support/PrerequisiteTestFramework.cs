using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("DecisionRouting.Tests.Support.PrerequisiteTestFramework", "DecisionRouting.Tests")]

namespace DecisionRouting.Tests.Support;

/// <summary>
/// xunit's own framework, with one change: any test that throws <see cref="MissingPrerequisiteException"/> is
/// reported as skipped, with the exception's message as the reason, instead of failed. So a test needs no special
/// attribute to skip on a machine without PostgreSQL or Chromium, however it reaches them: directly, through a
/// helper, or through an abstract contract class (the store contract runs on PostgreSQL in one subclass).
/// </summary>
/// <remarks>
/// Why not Xunit.SkippableFact: it does the same, but only for tests marked <c>[SkippableFact]</c>, and a plain
/// <c>[Fact]</c> that reaches a database through a helper then fails instead of skipping. Every store test and every
/// future test would have to remember the attribute; this way none has to.
/// </remarks>
public sealed class PrerequisiteTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <inheritdoc/>
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions) =>
            base.RunTestCases(testCases.Select(c => (IXunitTestCase)new SkippingTestCase(c)).ToList(), executionMessageSink, executionOptions);
    }
}

/// <summary>A test case that runs as <paramref name="inner"/> does, reporting a <see cref="MissingPrerequisiteException"/> as a skip.</summary>
#pragma warning disable xUnit3001 // Never deserialized: the executor wraps test cases after xunit has deserialized them.
public sealed class SkippingTestCase(IXunitTestCase inner) : LongLivedMarshalByRefObject, IXunitTestCase
#pragma warning restore xUnit3001
{
    /// <summary>The test case that runs.</summary>
    public IXunitTestCase Inner { get; } = inner;

    /// <inheritdoc/>
    public string DisplayName => Inner.DisplayName;

    /// <inheritdoc/>
    public string SkipReason => Inner.SkipReason;

    /// <inheritdoc/>
    public ISourceInformation SourceInformation { get => Inner.SourceInformation; set => Inner.SourceInformation = value; }

    /// <inheritdoc/>
    public ITestMethod TestMethod => Inner.TestMethod;

    /// <inheritdoc/>
    public object[] TestMethodArguments => Inner.TestMethodArguments;

    /// <inheritdoc/>
    public Dictionary<string, List<string>> Traits => Inner.Traits;

    /// <inheritdoc/>
    public string UniqueID => Inner.UniqueID;

    /// <inheritdoc/>
    public Exception InitializationException => Inner.InitializationException;

    /// <inheritdoc/>
    public IMethodInfo Method => Inner.Method;

    /// <inheritdoc/>
    public int Timeout => Inner.Timeout;

    /// <inheritdoc/>
    public void Deserialize(IXunitSerializationInfo info) => Inner.Deserialize(info);

    /// <inheritdoc/>
    public void Serialize(IXunitSerializationInfo info) => Inner.Serialize(info);

    /// <inheritdoc/>
    public async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        using var skipping = new SkippingMessageBus(messageBus);
        var summary = await Inner.RunAsync(diagnosticMessageSink, skipping, constructorArguments, aggregator, cancellationTokenSource);
        summary.Failed -= skipping.Skipped;
        summary.Skipped += skipping.Skipped;
        return summary;
    }

    /// <summary>Passes every message on, turning a test failed by <see cref="MissingPrerequisiteException"/> into a skip.</summary>
    private sealed class SkippingMessageBus(IMessageBus inner) : IMessageBus
    {
        private static readonly string Missing = typeof(MissingPrerequisiteException).FullName!;

        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.Length > 0 && failed.ExceptionTypes[0] == Missing)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages[0]));
            }

            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
            // The bus is the runner's: it disposes it.
        }
    }
}
