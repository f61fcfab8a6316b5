using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Waba.Client;
using Waba.Client.Messages;

namespace Waba.Client.Tests;

/// <summary>The client retries only what cannot send a message twice.</summary>
public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(WebApplication App, Func<int> Requests)> ServerAsync(Func<HttpContext, int, Task> answer)
    {
        var app = LocalApps.Create();
        var requests = 0;
        app.Run(context => answer(context, Interlocked.Increment(ref requests)));
        await app.StartAsync(Ct);
        return (app, () => requests);
    }

    [Fact]
    public async Task A_send_the_server_answered_with_500_is_not_sent_again()
    {
        var (app, requests) = await ServerAsync((context, _) => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        await using var _ = app;
        using var client = new WabaClient(new WabaClientOptions { BaseAddress = new Uri(app.Urls.First()), ApiKey = "k" });

        var e = await Assert.ThrowsAsync<WabaApiException>(() => client.SendAsync(Message.Text("4915112345678", "once"), Ct));

        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.True(e.IsTransient is false);
        Assert.Equal(1, requests());
    }

    [Fact]
    public async Task A_read_answered_429_is_tried_again_after_retry_after()
    {
        var (app, requests) = await ServerAsync(async (context, n) =>
        {
            if (n == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "0";
                return;
            }
            await context.Response.WriteAsJsonAsync(new { waba_templates = Array.Empty<object>() }, Ct);
        });
        await using var _ = app;
        using var client = new WabaClient(new WabaClientOptions { BaseAddress = new Uri(app.Urls.First()), ApiKey = "k" });

        var templates = await client.ListTemplatesAsync(Ct);

        Assert.Empty(templates);
        Assert.Equal(2, requests());
    }

    [Fact]
    public async Task A_send_answered_429_is_not_repeated_but_reported_as_transient()
    {
        var (app, requests) = await ServerAsync((context, _) => { context.Response.StatusCode = 429; return Task.CompletedTask; });
        await using var _ = app;
        using var client = new WabaClient(new WabaClientOptions { BaseAddress = new Uri(app.Urls.First()), ApiKey = "k" });

        var e = await Assert.ThrowsAsync<WabaApiException>(() => client.SendAsync(Message.Text("4915112345678", "once"), Ct));

        Assert.True(e.IsTransient);
        Assert.Equal(1, requests());
    }

    [Fact]
    public async Task A_connection_that_cannot_open_is_tried_again_and_then_reported()
    {
        // A port nobody listens on, on this machine: the connection is refused, nothing was sent.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var (app, requests) = await ServerAsync((context, _) => context.Response.WriteAsJsonAsync(new { messages = new[] { new { id = "wamid.1" } } }, Ct));
        await using var _ = app;
        using var refused = new WabaClient(new WabaClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}"), ApiKey = "k", ConnectRetries = 2 });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => refused.SendAsync(Message.Text("4915112345678", "hi"), Ct));
        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);

        using var working = new WabaClient(new WabaClientOptions { BaseAddress = new Uri(app.Urls.First()), ApiKey = "k" });
        Assert.Equal("wamid.1", (await working.SendAsync(Message.Text("4915112345678", "hi"), Ct)).Id);
        Assert.Equal(1, requests());
    }

    [Fact]
    public void Named_clients_from_dependency_injection_carry_their_own_number()
    {
        var services = new ServiceCollection();
        services.AddWabaClient("sales", o => { o.BaseAddress = new Uri("http://127.0.0.1:5055"); o.ApiKey = "sales-key"; });
        services.AddWabaClient("support", o => { o.BaseAddress = new Uri("http://127.0.0.1:5055"); o.ApiKey = "support-key"; o.Dialect = WabaDialect.OnPremise; });
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IWabaClientFactory>();

        using var sales = factory.Create("sales");
        using var support = factory.Create("support");

        Assert.Equal("sales-key", sales.Options.ApiKey);
        Assert.Equal(WabaDialect.OnPremise, support.Options.Dialect);
        Assert.Equal("support-key", support.Options.ApiKey);
    }
}
