using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>Issue 3: a sent template or interactive message appears in the sandbox as the user would see it.</summary>
public sealed class PhoneViewTests
{
    [Fact]
    public async Task Chat_ShowsTemplateWithParametersFilledIn_AndInteractiveWithItsButtons()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var number = await gateway.CreateNumberAsync("cloud");
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/configs/templates", number.ApiKey, new
        {
            name = "payment_due",
            language = "en",
            category = "UTILITY",
            components = new object[]
            {
                new { type = "HEADER", format = "TEXT", text = "Invoice {{1}}" },
                new { type = "BODY", text = "Hi {{1}}, you owe {{2}} since {{3}}." },
                new { type = "FOOTER", text = "Acme Billing" },
                new { type = "BUTTONS", buttons = new[] { new { type = "QUICK_REPLY", text = "Pay now" } } },
            },
        }), 200);
        const string user = "4915188888888";
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = user, text = new { body = "Do I owe you?" } }), 202);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, new
        {
            messaging_product = "whatsapp",
            to = user,
            type = "template",
            template = new
            {
                name = "payment_due",
                language = new { code = "en" },
                components = new object[]
                {
                    new { type = "header", parameters = new object[] { new { type = "text", text = "#42" } } },
                    new
                    {
                        type = "body",
                        parameters = new object[]
                        {
                            new { type = "text", text = "Ada" },
                            new { type = "currency", currency = new { fallback_value = "$10.00", code = "USD", amount_1000 = 10000 } },
                            new { type = "date_time", date_time = new { fallback_value = "May 1" } },
                        },
                    },
                },
            },
        }), 200);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, new
        {
            messaging_product = "whatsapp",
            to = user,
            type = "interactive",
            interactive = new
            {
                type = "button",
                header = new { type = "text", text = "Quick question" },
                body = new { text = "Did that help?" },
                action = new { buttons = new[] { new { type = "reply", reply = new { id = "y", title = "Yes" } }, new { type = "reply", reply = new { id = "n", title = "No" } } } },
            },
        }), 200);

        var chat = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(
            GatewayServer.Request(HttpMethod.Get, $"/sandbox/v1/chats/{user}", number.ApiKey), TestContext.Current.CancellationToken), 200);
        var messages = chat.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["inbound", "outbound", "outbound"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.Equal("Do I owe you?", messages[0].GetProperty("text").GetString());
        Assert.Equal("Invoice #42\nHi Ada, you owe $10.00 since May 1.\nAcme Billing", messages[1].GetProperty("text").GetString());
        Assert.Equal(["Pay now"], messages[1].GetProperty("buttons").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal("Quick question\nDid that help?", messages[2].GetProperty("text").GetString());
        Assert.Equal(["Yes", "No"], messages[2].GetProperty("buttons").EnumerateArray().Select(b => b.GetString()));
    }
}
