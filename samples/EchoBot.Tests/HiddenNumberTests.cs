using EchoBot;
using Waba.Client;
using Waba.Testing;

namespace EchoBot.Tests;

/// <summary>A user who hides their phone number is answered like everyone else, whichever dialect the bot speaks.</summary>
public sealed class HiddenNumberTests
{
    [Theory]
    [InlineData(WabaDialect.Cloud)]
    [InlineData(WabaDialect.OnPremise)]
    [InlineData(WabaDialect.Graph)]
    public async Task A_user_who_hides_their_number_gets_the_echo(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, TestContext.Current.CancellationToken);
        var settings = sandbox.ClientOptions;
        await using var bot = BotApplication.Create([
            "--urls=http://127.0.0.1:0",
            $"--Waba:Client:BaseAddress={settings.BaseAddress}",
            $"--Waba:Client:ApiKey={settings.ApiKey}",
            $"--Waba:Client:Dialect={settings.Dialect}",
            $"--Waba:Client:PhoneNumberId={settings.PhoneNumberId}",
            $"--Waba:Webhook:Secret={sandbox.WebhookSecret}",
        ]);
        await bot.StartAsync(TestContext.Current.CancellationToken);
        await sandbox.UseWebhookAsync(new Uri(new Uri(bot.Urls.First()), "/webhook"), TestContext.Current.CancellationToken);

        var noa = sandbox.User(name: "Noa");
        var profile = await noa.HideNumberAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("noa." + noa.PhoneNumber[^4..], profile.Username);
        Assert.False(profile.PhoneAvailable);

        var asked = await noa.SayAsync("Are you there?");
        var echo = await noa.WaitForMessageAsync("Are you there?");
        Assert.Equal("outbound", echo.Direction);

        // What the bot got named the user only by their BSUID, and that is what From holds.
        var deliveries = await sandbox.Admin.ListDeliveriesAsync(new Waba.Client.Gateway.DeliveryQuery { NumberId = sandbox.NumberId },
            TestContext.Current.CancellationToken);
        var inbound = deliveries.Data.Where(d => d.MessageId == asked)
            .SelectMany(d => Waba.Client.Webhooks.WebhookPayload.Parse(d.Payload.GetRawText())).Single(e => e.Message is not null).Message!;
        Assert.Equal(profile.UserId, inbound.From);
        Assert.Null(inbound.FromPhoneNumber);
        Assert.DoesNotContain(noa.PhoneNumber, deliveries.Data.Single(d => d.MessageId == asked).Payload.GetRawText(), StringComparison.Ordinal);
    }
}
