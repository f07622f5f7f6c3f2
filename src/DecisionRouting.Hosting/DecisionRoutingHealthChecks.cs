using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DecisionRouting.Hosting
{
    /// <summary>Adds DecisionRouting's health checks to the host's health checks.</summary>
    public static class DecisionRoutingHealthChecksExtensions
    {
        /// <summary>The rule set loaded and valid, and no later edit rejected.</summary>
        public const string RuleSetCheck = "decision-routing-rules";

        /// <summary>The case store answers a read.</summary>
        public const string StoreCheck = "decision-routing-store";

        /// <summary>The audit trail's head row reads as the store writes it.</summary>
        public const string AuditHeadCheck = "decision-routing-audit-head";

        /// <summary>
        /// Adds three checks, all tagged <c>decision-routing</c> plus <paramref name="tags"/>:
        /// <see cref="RuleSetCheck"/> (unhealthy when the rules did not load, or when the latest edit of watched rules was
        /// rejected, so the rules routing are not the rules being edited; the description lists the errors);
        /// <see cref="StoreCheck"/> (unhealthy when the store cannot be read: unreachable server, a file that is not a
        /// database, a schema newer than this code); <see cref="AuditHeadCheck"/> (unhealthy when the head row of the
        /// audit trail is missing or damaged). Needs <see cref="DecisionRoutingServiceCollectionExtensions.AddDecisionRouting"/>.
        /// </summary>
        public static IHealthChecksBuilder AddDecisionRoutingHealthChecks(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
        {
            ArgumentNullException.ThrowIfNull(builder);
            var all = new[] { "decision-routing" }.Concat(tags ?? Array.Empty<string>()).ToArray();
            builder.Add(new HealthCheckRegistration(RuleSetCheck, sp => new RuleSetHealthCheck(sp.GetRequiredService<HostedRules>()), HealthStatus.Unhealthy, all));
            builder.Add(new HealthCheckRegistration(StoreCheck, sp => new StoreHealthCheck(sp.GetRequiredService<IProposalStore>()), HealthStatus.Unhealthy, all));
            builder.Add(new HealthCheckRegistration(AuditHeadCheck, sp => new AuditHeadHealthCheck(sp.GetRequiredService<IProposalStore>()), HealthStatus.Unhealthy, all));
            return builder;
        }
    }

    internal sealed class RuleSetHealthCheck : IHealthCheck
    {
        private readonly HostedRules _rules;

        public RuleSetHealthCheck(HostedRules rules) => _rules = rules;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var provider = _rules.Provider;
                var current = provider.Current;
                var data = new Dictionary<string, object> { ["ruleSet"] = current.Name, ["hash"] = current.Hash, ["source"] = _rules.Source };
                var rejected = provider.RejectedDiagnostics;
                if (rejected.Count > 0)
                {
                    return Task.FromResult(HealthCheckResult.Unhealthy(
                        $"The latest edit of the rules at {_rules.Source} was rejected with {rejected.Count} error(s), so routing still uses rule set '{current.Name}' (hash {current.Hash}) and not the rules as edited:{Environment.NewLine}{string.Join(Environment.NewLine, rejected)}",
                        data: data));
                }

                return Task.FromResult(HealthCheckResult.Healthy($"Rule set '{current.Name}' (hash {current.Hash}) loaded from {_rules.Source}", data));
            }
            catch (Exception e)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"The rules at {_rules.Source} did not load: {e.Message}", e));
            }
        }
    }

    internal sealed class StoreHealthCheck : IHealthCheck
    {
        /// <summary>No case has this id (ids never hold a space and a colon together); finding it reads the store without writing.</summary>
        private const string Probe = "decision-routing: health probe";

        private readonly IProposalStore _store;

        public StoreHealthCheck(IProposalStore store) => _store = store;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await _store.FindAsync(Probe, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy("The case store answers");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"The case store cannot be read: {e.Message}", e);
            }
        }
    }

    internal sealed class AuditHeadHealthCheck : IHealthCheck
    {
        private readonly IProposalStore _store;

        public AuditHeadHealthCheck(IProposalStore store) => _store = store;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var (sequence, hash) = await _store.HeadAsync(cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy(
                    "The audit trail's head row reads",
                    new Dictionary<string, object> { ["sequence"] = sequence, ["hash"] = hash });
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"The audit trail's head cannot be read: {e.Message}", e);
            }
        }
    }
}
