using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DecisionRouting.Tests.Infrastructure;

/// <summary>
/// The suite's test framework, run on real xunit test cases: a test that throws <see cref="MissingPrerequisiteException"/>
/// (from anywhere in its helpers) is reported skipped with the one line; any other failure stays a failure.
/// </summary>
public sealed class PrerequisiteTestFrameworkTests
{
    [Fact]
    public void This_assembly_runs_on_the_prerequisite_framework()
    {
        var framework = Assert.Single(typeof(PrerequisiteTestFrameworkTests).Assembly.GetCustomAttributesData(), a => a.AttributeType == typeof(TestFrameworkAttribute));
        Assert.Equal(typeof(PrerequisiteTestFramework).FullName, framework.ConstructorArguments[0].Value);
    }

    [Fact]
    public async Task A_test_missing_a_prerequisite_deep_in_a_helper_is_reported_skipped_with_the_line()
    {
        var (summary, messages) = await RunAsync(nameof(Probes.NeedsADatabase));

        Assert.Equal((1, 0, 1), (summary.Total, summary.Failed, summary.Skipped));
        var skipped = Assert.Single(messages.OfType<ITestSkipped>());
        Assert.Equal("PostgreSQL tests skipped: no server here", skipped.Reason);
        Assert.Empty(messages.OfType<ITestFailed>());
    }

    [Fact]
    public async Task Any_other_failure_is_still_a_failure()
    {
        var (summary, messages) = await RunAsync(nameof(Probes.Broken));

        Assert.Equal((1, 1, 0), (summary.Total, summary.Failed, summary.Skipped));
        Assert.Equal(typeof(InvalidOperationException).FullName, Assert.Single(messages.OfType<ITestFailed>()).ExceptionTypes[0]);
        Assert.Empty(messages.OfType<ITestSkipped>());
    }

    private static async Task<(RunSummary Summary, List<IMessageSinkMessage> Messages)> RunAsync(string method)
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(Probes).Assembly));
        var testClass = new TestClass(new TestCollection(assembly, null, "probes"), Reflector.Wrap(typeof(Probes)));
        var testMethod = new TestMethod(testClass, Reflector.Wrap(typeof(Probes).GetMethod(method)!));
        var sink = new QuietSink();
        var inner = new XunitTestCase(sink, TestMethodDisplay.Method, TestMethodDisplayOptions.None, testMethod);
        var bus = new CollectingBus();

        var summary = await new SkippingTestCase(inner).RunAsync(sink, bus, Array.Empty<object>(), new ExceptionAggregator(), new CancellationTokenSource());

        return (summary, bus.Messages);
    }

    /// <summary>
    /// The tests the framework runs above. Private, so xunit's discovery (public types only) never runs them as tests of
    /// the suite; their [Fact] is what xunit's test case reads when it runs them.
    /// </summary>
#pragma warning disable xUnit1000 // Private on purpose, see above.
    private sealed class Probes
#pragma warning restore xUnit1000
    {
        [Fact]
        public void NeedsADatabase() => OpenDatabase();

        [Fact]
        public void Broken() => throw new InvalidOperationException("scripts/postgres.sh start failed (exit 1)");

        private static void OpenDatabase() => throw new MissingPrerequisiteException("PostgreSQL tests skipped: no server here");
    }

    private sealed class QuietSink : LongLivedMarshalByRefObject, IMessageSink
    {
        public bool OnMessage(IMessageSinkMessage message) => true;
    }

    private sealed class CollectingBus : IMessageBus
    {
        public List<IMessageSinkMessage> Messages { get; } = new();

        public bool QueueMessage(IMessageSinkMessage message)
        {
            lock (Messages)
            {
                Messages.Add(message);
            }

            return true;
        }

        public void Dispose()
        {
        }
    }
}
