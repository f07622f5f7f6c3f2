using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Tests.Server;

/// <summary>
/// Roles come from the authenticated identity. The development header is believed only in Development with its
/// setting on; in Production it is an unread header, whatever the configuration says.
/// </summary>
public sealed class ServerIdentityTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Outside_Development_the_role_header_is_ignored_even_when_the_setting_asks_for_it(string environment)
    {
        await using var host = await ServerHost.StartAsync(environment, developmentHeader: true);

        var create = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases", "democratic-services", ServerHost.Sample()));
        Assert.Equal("urn:decision-routing:problem:no-identity", (await ServerHost.ProblemAsync(create, 401)).GetProperty("type").GetString());
        var fire = await host.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases/any/fire", "s151-officer", """{"trigger":"start"}"""));
        await ServerHost.ProblemAsync(fire, 401);
        var info = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/server", UriKind.Relative)));
        Assert.False(info.GetProperty("developmentRoleHeader").GetBoolean());

        // Nothing was written: no case, no audit entry.
        var verify = await ServerHost.ReadAsync(await host.Client.GetAsync(new Uri("api/audit/verify", UriKind.Relative)));
        Assert.Equal(0, verify.GetProperty("entries").GetInt64());
    }

    [Fact]
    public async Task In_Development_the_header_is_ignored_unless_its_setting_is_on()
    {
        await using var off = await ServerHost.StartAsync("Development", developmentHeader: false);
        await ServerHost.ProblemAsync(await off.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases", "democratic-services", ServerHost.Sample())), 401);

        await using var on = await ServerHost.StartAsync("Development", developmentHeader: true);
        var created = await on.SendAsync(ServerHost.As(HttpMethod.Post, "api/cases", "democratic-services", ServerHost.Sample(), actor: "Dee Services"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var history = await ServerHost.ReadAsync(await on.Client.GetAsync(new Uri($"api/cases/{ServerHost.Croydon}/history", UriKind.Relative)));
        Assert.Equal("Dee Services", history[0].GetProperty("actor").GetString());
    }

    [Fact]
    public void The_production_configuration_never_enables_the_header()
    {
        var production = File.ReadAllText(Repository.PathOf("src/DecisionRouting.Server/appsettings.json"));
        Assert.DoesNotContain("DevelopmentRoleHeader", production, StringComparison.OrdinalIgnoreCase);
        var development = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("src/DecisionRouting.Server/appsettings.Development.json")));
        Assert.True(development.RootElement.GetProperty("DecisionRouting").GetProperty("DevelopmentRoleHeader").GetProperty("Enabled").GetBoolean());
    }

    [Fact]
    public async Task Role_claims_of_a_host_scheme_are_mapped_to_DecisionRouting_roles()
    {
        var settings = new Dictionary<string, string>
        {
            ["Roles:Map:Finance.Directors"] = "s151-officer",
            ["Roles:Map:Democratic.Services"] = "democratic-services",
        };
        await using var host = await ServerHost.StartAsync("Production", settings, builder =>
            builder.Services.AddAuthentication(TestScheme.Name).AddScheme<AuthenticationSchemeOptions, TestScheme>(TestScheme.Name, _ => { }));

        var created = await host.SendAsync(TestScheme.Signed(HttpMethod.Post, "api/cases", "Dee Services", "Democratic.Services", ServerHost.Sample()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var start = await host.SendAsync(TestScheme.Signed(HttpMethod.Post, $"api/cases/{ServerHost.Croydon}/fire", "Dee Services", "Democratic.Services", """{"trigger":"start"}"""));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);

        // A group the map does not name is no role at all, even one spelt like a DecisionRouting role.
        var unmapped = await host.SendAsync(TestScheme.Signed(HttpMethod.Post, $"api/cases/{ServerHost.Croydon}/fire", "Sam", "s151-officer", """{"trigger":"complete-step","step":"finance-sign-off"}"""));
        Assert.Equal("urn:decision-routing:problem:no-role", (await ServerHost.ProblemAsync(unmapped, 403)).GetProperty("type").GetString());

        // Asking to act in a role the identity does not hold.
        var notHeld = await host.SendAsync(TestScheme.Signed(HttpMethod.Post, $"api/cases/{ServerHost.Croydon}/fire", "Fi", "Finance.Directors", """{"trigger":"complete-step","step":"finance-sign-off","role":"monitoring-officer"}"""));
        Assert.Equal("urn:decision-routing:problem:role-not-held", (await ServerHost.ProblemAsync(notHeld, 403)).GetProperty("type").GetString());

        var signed = await host.SendAsync(TestScheme.Signed(HttpMethod.Post, $"api/cases/{ServerHost.Croydon}/fire", "Fi Nance", "Finance.Directors", """{"trigger":"complete-step","step":"finance-sign-off","role":"s151-officer"}"""));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var entry = (await ServerHost.ReadAsync(signed)).GetProperty("entry");
        Assert.Equal("Fi Nance", entry.GetProperty("actor").GetString());
        Assert.Equal(new[] { "s151-officer" }, entry.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        // The header means nothing here (Production), alongside a real scheme.
        var header = await host.SendAsync(ServerHost.As(HttpMethod.Post, $"api/cases/{ServerHost.Croydon}/fire", "monitoring-officer", """{"trigger":"complete-step","step":"legal-sign-off"}"""));
        await ServerHost.ProblemAsync(header, 401);
    }

    /// <summary>A stand-in for a host's real scheme (JWT, cookies): "Authorization: Test name|group,group".</summary>
    private sealed class TestScheme : AuthenticationHandler<AuthenticationSchemeOptions>
    {
        public const string Name = "Test";

        public TestScheme(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
            : base(options, logger, encoder)
        {
        }

        public static HttpRequestMessage Signed(HttpMethod method, string url, string name, string groups, string body)
        {
            var request = new HttpRequestMessage(method, url) { Content = ServerHost.Json(body) };
            request.Headers.TryAddWithoutValidation("Authorization", $"Test {name}|{groups}");
            return request;
        }

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Test ", StringComparison.Ordinal))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var parts = header["Test ".Length..].Split('|');
            var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
            claims.AddRange(parts[1].Split(',').Select(g => new Claim(ClaimTypes.Role, g)));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Name)), Name)));
        }
    }
}
