using System;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// Thrown by <see cref="Prerequisite.Require()"/> when this machine cannot provide what a test needs and CI is not
/// set. <see cref="PrerequisiteTestFramework"/> reports the test as skipped, with this message as the one-line reason.
/// </summary>
public sealed class MissingPrerequisiteException(string message) : Exception(message);
