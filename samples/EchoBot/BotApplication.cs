using Waba.Client;
using Waba.Client.AspNetCore;

namespace EchoBot;

/// <summary>The bot's composition: a WhatsApp client from <c>Waba:Client</c>, the webhook at <c>/webhook</c>.</summary>
public static class BotApplication
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddWabaClient(builder.Configuration.GetSection("Waba:Client"));
        builder.Services.AddTransient<Bot>();
        var app = builder.Build();
        // Secret from Waba:Webhook:Secret: the signing_secret the gateway answered when the webhook was set.
        app.MapWabaWebhook("/webhook", (e, services, ct) => services.GetRequiredService<Bot>().HandleAsync(e, ct));
        return app;
    }
}
