using System;
using System.IO;
using System.Threading.Tasks;
using DecisionRouting.Hosting;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DecisionRouting.Tests.Embedding;

/// <summary>A real generic host with AddDecisionRouting and its health checks, its content root a temporary folder.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(IHost host, string contentRoot)
    {
        Host = host;
        ContentRoot = contentRoot;
    }

    public IHost Host { get; }

    public string ContentRoot { get; }

    public IServiceProvider Services => Host.Services;

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Builds (does not start) a host; <paramref name="configure"/> sets the options.</summary>
    public static TestHost Build(Action<DecisionRoutingOptions> configure, string? contentRoot = null)
    {
        contentRoot ??= Directory.CreateTempSubdirectory("dr-host-").FullName;
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Services.AddDecisionRouting(configure);
        builder.Services.AddHealthChecks().AddDecisionRoutingHealthChecks();
        return new TestHost(builder.Build(), contentRoot);
    }

    public async Task<HealthReport> HealthAsync() => await Get<HealthCheckService>().CheckHealthAsync();

    public async ValueTask DisposeAsync()
    {
        // A host whose start failed has nothing to stop (and the generic host throws when asked to).
        if (Get<IHostApplicationLifetime>().ApplicationStarted.IsCancellationRequested)
        {
            await Host.StopAsync();
        }

        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(ContentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temp folder is cleaned by the OS.
        }
    }

    /// <summary>The Croydon partnership's shipped rules.</summary>
    public static string Croydon => Repository.PathOf("rules/partnerships/croydon");
}
