using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DecisionRouting.Tests.Server;

/// <summary>
/// The officers' page served by the service, in headless Chromium (Debian's, through Playwright): what an officer
/// reads on it. Screenshots go to artifacts/screenshots/server-*.png for review.
/// </summary>
public sealed class OfficerPageTests : IClassFixture<ChromiumBrowser>
{
    private const string Hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
    private readonly ChromiumBrowser _chromium;

    public OfficerPageTests(ChromiumBrowser chromium) => _chromium = chromium;

    [Fact]
    public async Task A_plan_shows_by_stages_with_dates_reasons_sources_and_its_diagram()
    {
        await using var host = await ServerHost.StartAsync();
        var page = await OpenAsync(host);
        try
        {
            await page.FillAsync("#proposal", ServerHost.Sample());
            await page.ClickAsync("#route");
            await Expect(page.Locator("#plan-title")).ToHaveTextAsync("Integrated Commissioning Unit for Health and Social Care");

            var stages = await page.Locator("#plan .stage h4").AllInnerTextsAsync();
            Assert.True(stages.Count >= 3, string.Join(", ", stages));
            Assert.Equal(Enumerable.Range(1, stages.Count).Select(i => $"Stage {i}"), stages);
            var decision = page.Locator("#plan [data-step=cabinet-decision]");
            await Expect(decision).ToContainTextAsync("Cabinet decides");
            await Expect(decision.Locator(".dates")).ToContainTextAsync("2013-07-15");
            await Expect(decision.Locator(".reason").First).ToContainTextAsync("source: ");
            await Expect(page.Locator("#plan [data-step=call-in-window] .dates")).ToContainTextAsync("closes 2013-07-22T13:00:00+01:00");
            var graphviz = JsonNode.Parse(await host.Client.GetStringAsync(new Uri("api/server", UriKind.Relative)))!["diagrams"]!.GetValue<string>() == "svg";
            if (graphviz)
            {
                // Drawn by Graphviz and shown as an image: its source is the plan's SVG, a column per stage.
                var source = Uri.UnescapeDataString((await page.Locator("img#plan-diagram").GetAttributeAsync("src"))!);
                Assert.StartsWith("data:image/svg+xml;charset=utf-8,", source);
                Assert.Contains(">Stage 1", source);
                Assert.Contains("closes 13:00 on Mon 22 Jul 2013", source);
                await Expect(page.Locator("#plan-diagram-note")).ToContainTextAsync("Drawn on the server by Graphviz");
            }
            else
            {
                await Expect(page.Locator("pre#plan-diagram")).ToContainTextAsync("flowchart LR");
                await Expect(page.Locator("#plan-diagram-note")).ToContainTextAsync("not installed");
            }

            await ChromiumBrowser.SaveScreenshotAsync(page, "server-plan-by-stages");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task An_officer_sees_why_triggers_are_blocked_signs_off_and_reads_the_history()
    {
        await using var host = await ServerHost.StartAsync();
        var page = await OpenAsync(host);
        try
        {
            await page.FillAsync("#role", "democratic-services");
            await page.FillAsync("#actor", "Dee Services");
            await page.FillAsync("#proposal", ServerHost.Sample());
            await page.ClickAsync("#create");
            await Expect(page.Locator("#case-state")).ToContainTextAsync("State: Draft (version 0)");

            await page.FillAsync("#trigger", "start");
            await page.FillAsync("#step", string.Empty);
            await page.ClickAsync("#fire");
            await Expect(page.Locator("#fire-result")).ToContainTextAsync("Accepted: the case is now InProgress");
            await Expect(page.Locator("#case-state")).ToContainTextAsync("State: InProgress (version 1)");
            var blocked = page.Locator("#blocked > li[data-step=cabinet-decision]");
            await Expect(blocked).ToContainTextAsync("must be completed first");
            await Expect(page.Locator("#permitted > li[data-step=finance-sign-off]")).ToContainTextAsync("s151-officer");
            await ChromiumBrowser.SaveScreenshotAsync(page, "server-case-blocked-reasons");

            // The sign-off as the s151 officer: the status and the history change.
            await page.FillAsync("#role", "s151-officer");
            await page.FillAsync("#actor", "Fi Nance");
            await page.FillAsync("#trigger", "complete-step");
            await page.FillAsync("#step", "finance-sign-off");
            await page.ClickAsync("#fire");
            await Expect(page.Locator("#fire-result")).ToContainTextAsync("Accepted");
            await Expect(page.Locator("#case-state")).ToContainTextAsync("version 2");
            await Expect(page.Locator("#permitted > li[data-step=finance-sign-off]")).ToHaveCountAsync(0);
            Assert.DoesNotContain("finance-sign-off", await page.Locator("#outstanding").InnerTextAsync(), StringComparison.Ordinal);
            var rows = page.Locator("#history tbody tr");
            await Expect(rows).ToHaveCountAsync(3);
            var last = await rows.Nth(2).Locator("td").AllInnerTextsAsync();
            Assert.Equal(new[] { "3", "Fi Nance", "s151-officer", "CompleteStep", "finance-sign-off", "InProgress → InProgress", "accepted" }, new[] { last[0], last[2], last[3], last[4], last[5], last[6], last[7] });

            // A refusal shows its reasons and is in the history as refused.
            await page.FillAsync("#step", "cabinet-decision");
            await page.ClickAsync("#fire");
            await Expect(page.Locator("#fire-result")).ToContainTextAsync("Not done: The rules refuse this trigger now");
            await Expect(page.Locator("#problem")).ToContainTextAsync("must be completed first");
            await Expect(rows).ToHaveCountAsync(4);
            await Expect(rows.Nth(3).Locator("td.refused")).ToHaveTextAsync("refused");

            var graphviz = JsonNode.Parse(await host.Client.GetStringAsync(new Uri("api/server", UriKind.Relative)))!["diagrams"]!.GetValue<string>() == "svg";
            if (graphviz)
            {
                await Expect(page.Locator("#case-diagram img")).ToHaveCountAsync(1);
                await Expect(page.Locator("#diagram-note")).ToContainTextAsync("Graphviz");
            }
            else
            {
                await Expect(page.Locator("#case-diagram pre")).ToContainTextAsync("digraph");
                await Expect(page.Locator("#diagram-note")).ToContainTextAsync("not installed");
            }

            await ChromiumBrowser.SaveScreenshotAsync(page, "server-case-signed-off-history");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Hostile_text_in_a_title_or_an_actor_name_shows_as_text_and_never_runs()
    {
        await using var host = await ServerHost.StartAsync();
        var proposal = JsonNode.Parse(ServerHost.Sample())!;
        proposal["title"] = Hostile;
        proposal["id"] = "xss-case";
        var page = await OpenAsync(host);
        try
        {
            await page.FillAsync("#proposal", proposal.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            await page.ClickAsync("#route");
            await Expect(page.Locator("#plan-title")).ToHaveTextAsync(Hostile);

            await page.FillAsync("#role", "democratic-services");
            await page.FillAsync("#actor", "<img src=x onerror=\"window.__xss=3\">");
            await page.ClickAsync("#create");
            await Expect(page.Locator("#case-title")).ToHaveTextAsync(Hostile);
            await Expect(page.Locator("#history tbody tr td").Nth(2)).ToHaveTextAsync("<img src=x onerror=\"window.__xss=3\">");

            Assert.Equal(0, await page.Locator("main img:not(#case-diagram img):not(#plan-diagram), main script").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
            await ChromiumBrowser.SaveScreenshotAsync(page, "server-xss-as-text");
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private async Task<IPage> OpenAsync(ServerHost host)
    {
        var browser = await _chromium.BrowserAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 1600 } });
        var response = await page.GotoAsync(host.Address.ToString());
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("body[data-ready=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#identity")).ToBeVisibleAsync();
        return page;
    }
}
