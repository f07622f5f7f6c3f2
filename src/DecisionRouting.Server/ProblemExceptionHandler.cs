using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DecisionRouting.Server
{
    /// <summary>
    /// Every exception an endpoint lets out becomes a ProblemDetails response: the library's own exceptions with the
    /// status that fits them and their (already plain-English) message, running out of memory or stack outside
    /// routing as a 503 (the host's limit), anything else as a 500 that says only that the log has it, under the
    /// trace id. No response ever carries a stack trace or an exception type, in any
    /// environment: the developer exception page never sees an exception, because this handler takes them all.
    /// </summary>
    internal sealed partial class ProblemExceptionHandler : IExceptionHandler
    {
        private readonly ServerSettings _settings;
        private readonly ILogger<ProblemExceptionHandler> _logger;

        public ProblemExceptionHandler(ServerSettings settings, ILogger<ProblemExceptionHandler> logger)
        {
            _settings = settings;
            _logger = logger;
        }

        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var result = Map(httpContext, exception);
            if (result is null && RoutingFaultException.IsFault(exception))
            {
                // Out of memory or stack outside routing (reading a large body, writing a plan): the host's limit, not
                // a fault in the service's code, so not "internal". Said as such, with a time to come back.
                LogHostFault(_logger, httpContext.Request.Method, httpContext.Request.Path, exception);
                result = HostFault(httpContext, exception);
            }
            else if (result is null)
            {
                Unexpected(_logger, httpContext.Request.Method, httpContext.Request.Path, exception);
            }

            result ??= Problems.Of(httpContext, StatusCodes.Status500InternalServerError, "internal", "The service failed", "Something went wrong inside the service; nothing about it is shown here. The service's log has it under this trace id.");
            await result.ExecuteAsync(httpContext).ConfigureAwait(false);
            return true;
        }

        private IResult? Map(HttpContext context, Exception exception) => exception switch
        {
            CaseNotFoundException e => Problems.Of(context, StatusCodes.Status404NotFound, "case-not-found", "No such case", e.Message, new Dictionary<string, object?> { ["caseId"] = e.CaseId }),
            CaseConflictException e => Conflict(context, e),
            CaseAlreadyExistsException e => Problems.Of(context, StatusCodes.Status409Conflict, "case-exists", "The case already exists", e.Message, new Dictionary<string, object?> { ["caseId"] = e.CaseId }),
            InvalidTriggerException e => Problems.Of(context, StatusCodes.Status400BadRequest, "invalid-trigger", "The request is not a well-formed trigger for this case", e.Problem),
            IncompletePlanException e => Problems.Of(context, StatusCodes.Status422UnprocessableEntity, "incomplete-plan", "The plan is incomplete", e.Message, new Dictionary<string, object?> { ["reasons"] = e.Reasons }),
            InvalidProposalException e => Problems.Diagnostics(context, StatusCodes.Status422UnprocessableEntity, "The rule set refuses the proposal", e.Diagnostics),
            InvalidRuleSetException e => Problems.Diagnostics(context, StatusCodes.Status503ServiceUnavailable, "The service's rule set did not load", e.Diagnostics),
            RoutingTimeBudgetExceededException e => Problems.Of(context, StatusCodes.Status422UnprocessableEntity, "time-budget", "Routing took too long", e.Message),
            RoutingFaultException e => Problems.Of(context, StatusCodes.Status422UnprocessableEntity, "routing-fault", "Routing failed", e.Message),
            ArgumentOutOfRangeException { ParamName: "at" } e => Problems.Of(context, StatusCodes.Status400BadRequest, "out-of-range", "The time asked about is out of range", e.Message.Split(" (Parameter")[0]),
            JsonException e => Problems.BadJson(context, e, "The request body"),
            BadHttpRequestException e => Problems.Of(context, e.StatusCode, "bad-request", "Bad request", e.Message),
            _ => null,
        };

        private IResult Conflict(HttpContext context, CaseConflictException e)
        {
            context.Response.Headers.RetryAfter = _settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Of(
                context,
                StatusCodes.Status409Conflict,
                "conflict",
                "Someone else changed the case",
                $"{e.Message} Re-read the case's status (GET /api/cases/{e.CaseId}) and fire again if the trigger is still permitted; it may already have been done.",
                new Dictionary<string, object?> { ["caseId"] = e.CaseId, ["expectedVersion"] = e.ExpectedVersion, ["retryAfterSeconds"] = _settings.RetryAfterSeconds });
        }

        private IResult HostFault(HttpContext context, Exception exception)
        {
            var what = exception.GetBaseException() switch
            {
                InsufficientExecutionStackException or StackOverflowException => "stack",
                RoutingTimeBudgetExceededException => "time", // only when wrapped: Map answers a bare one
                _ => "memory",
            };
            context.Response.Headers.RetryAfter = _settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Of(
                context,
                StatusCodes.Status503ServiceUnavailable,
                "host-fault",
                $"The service ran out of {what}",
                $"Handling {context.Request.Method} {context.Request.Path} ran out of {what} in the service, so it may not have been completed. Try again later; for a sign-off, re-read the case's status first, as it may already have been done. If it keeps happening, the request or the rule set asks for more than the service is given.",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = _settings.RetryAfterSeconds });
        }

        [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Out of memory or stack in {Method} {Path}")]
        private static partial void LogHostFault(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Unexpected failure in {Method} {Path}")]
        private static partial void Unexpected(ILogger logger, string method, string path, Exception exception);
    }
}
