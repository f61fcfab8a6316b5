using EchoBot;
using Microsoft.AspNetCore.Builder;
using Waba.Testing;

namespace EchoBot.Tests;

public sealed class BotTests : IAsyncLifetime
{
    private WabaSandbox _sandbox = null!;
    private WebApplication _bot = null!;

    public async ValueTask InitializeAsync()
    {
        // The gateway with simulated users, and the bot pointed at it, the way it runs in production.
        _sandbox = await WabaSandbox.StartAsync();
        var settings = _sandbox.ClientOptions;
        _bot = BotApplication.Create([
            "--urls=http://127.0.0.1:0",
            $"--Waba:Client:BaseAddress={settings.BaseAddress}",
            $"--Waba:Client:ApiKey={settings.ApiKey}",
            $"--Waba:Client:Dialect={settings.Dialect}",
            $"--Waba:Webhook:Secret={_sandbox.WebhookSecret}",
        ]);
        await _bot.StartAsync(TestContext.Current.CancellationToken);
        await _sandbox.UseWebhookAsync(new Uri(new Uri(_bot.Urls.First()), "/webhook"), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Menu_offers_a_list_and_the_chosen_row_is_confirmed()
    {
        var kai = _sandbox.User(name: "Kai");

        await kai.SayAsync("menu");
        var menu = await kai.WaitForMessageAsync("What would you like today?");
        Assert.Equal(["Choose", "Margherita", "Carbonara", "Caesar salad"], menu.Buttons);

        await kai.TapAsync("Carbonara");
        var confirmation = await kai.WaitForMessageAsync();
        Assert.Equal("You chose Carbonara. It is on its way!", confirmation.Text);
    }

    [Fact]
    public async Task Every_other_text_comes_back_and_the_user_sees_it_read()
    {
        var ana = _sandbox.User(name: "Ana");

        var hello = await ana.SayAsync("Hello there");
        var echo = await ana.WaitForMessageAsync();
        Assert.Equal("Hello there", echo.Text);

        // The bot marked the user's message as read, and its own message reached the user's phone and was read.
        var chat = await ana.ChatAsync();
        Assert.Contains(chat, m => m.Id == hello && m.Direction == "inbound");
        await _sandbox.Webhooks.WaitForStatusAsync(echo.Id, "read");
    }

    public async ValueTask DisposeAsync()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
