using System.Text.Json;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Conversations;

/// <summary>Issue 21: the history of every number — the users it talks with and their messages with latest status — for both upstreams.</summary>
public sealed class ConversationApiTests : IAsyncLifetime
{
    private MetaGateway _meta = null!;

    public async ValueTask InitializeAsync() => _meta = await MetaGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _meta.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<JsonElement> AdminAsync(string path) => _meta.Gateway.AdminAsync(HttpMethod.Get, path).ContinueWith(t => GatewayServer.ReadJsonAsync(t.Result, 200), Ct).Unwrap();

    private static string Status(string messageId, string status, string recipient, string extra = "") =>
        MetaGateway.Members($$$"""{"statuses":[{"id":"{{{messageId}}}","status":"{{{status}}}","timestamp":"1764763300","recipient_id":"{{{recipient}}}"{{{extra}}}}]}""");

    [Fact]
    public async Task MetaNumber_ConversationHoldsBothDirections_WithTheLatestStatusMetaReported()
    {
        var number = await _meta.NumberAsync("cloud");
        await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", "wamid.IN1", "table for two?")));
        var sent = await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey,
            """{"messaging_product":"whatsapp","to":"16505551234","context":{"message_id":"wamid.IN1"},"type":"text","text":{"body":"Yes, at 8"}}"""), 200);
        var sentId = sent.GetProperty("messages")[0].GetProperty("id").GetString()!;
        var failed = await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey,
            """{"messaging_product":"whatsapp","to":"16505551234","type":"text","text":{"body":"late"}}"""), 200);
        var failedId = failed.GetProperty("messages")[0].GetProperty("id").GetString()!;
        // Meta's statuses, the last two out of order: a late "delivered" does not undo "read".
        foreach (var status in new[] { Status(sentId, "sent", "16505551234"), Status(sentId, "read", "16505551234"), Status(sentId, "delivered", "16505551234"),
            Status(failedId, "failed", "16505551234", ""","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"More than 24 hours have passed."}}]""") })
        {
            Assert.Equal(200, (int)(await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, status))).StatusCode);
        }

        var list = await AdminAsync($"/admin/v1/phone_numbers/{number.Id}/conversations");
        var conversation = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("16505551234", conversation.GetProperty("user").GetString());
        Assert.Equal(3, conversation.GetProperty("messages").GetInt32());

        var messages = (await AdminAsync($"/admin/v1/phone_numbers/{number.Id}/conversations/+16505551234")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([failedId, sentId, "wamid.IN1"], messages.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(["outbound", "outbound", "inbound"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.Equal("read", messages[1].GetProperty("status").GetString());
        Assert.Equal("wamid.IN1", messages[1].GetProperty("reply_to").GetString());
        Assert.Equal("failed", messages[0].GetProperty("status").GetString());
        Assert.Equal(131047, messages[0].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("table for two?", messages[2].GetProperty("body").GetProperty("text").GetProperty("body").GetString());
        Assert.Equal("Sheena Nelson", messages[2].GetProperty("body").GetProperty("name").GetString());
        Assert.False(messages[2].TryGetProperty("status", out _));
    }

    [Fact]
    public async Task MetaNumber_AUserWhoHidesTheirNumber_IsOneConversation_FoundByBsuid()
    {
        var number = await _meta.NumberAsync("cloud");
        const string Bsuid = "US.13491208655302741918";
        await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.Members($$$$"""
            {"contacts":[{"profile":{"name":"Kai","username":"@kai"},"user_id":"{{{{Bsuid}}}}"}],"messages":[{"from_user_id":"{{{{Bsuid}}}}","id":"wamid.B1","timestamp":"1764763200","type":"text","text":{"body":"hi"}}]}
            """)));
        await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey,
            $$$"""{"messaging_product":"whatsapp","recipient":"{{{Bsuid}}}","type":"text","text":{"body":"hello Kai"}}"""), 200);

        var conversation = Assert.Single((await AdminAsync($"/admin/v1/phone_numbers/{number.Id}/conversations")).GetProperty("data").EnumerateArray());
        Assert.Equal(Bsuid, conversation.GetProperty("user").GetString());
        Assert.Equal(Bsuid, conversation.GetProperty("user_id").GetString());
        var messages = (await AdminAsync($"/admin/v1/phone_numbers/{number.Id}/conversations/{Bsuid}")).GetProperty("data");
        Assert.Equal(2, messages.GetArrayLength());
    }

    [Fact]
    public async Task SandboxNumber_TheSameApi_PagesNewestFirst_AndFindsTheUserByBsuid()
    {
        var number = await _meta.Gateway.CreateNumberAsync("cloud");
        var said = await GatewayServer.ReadJsonAsync(await _meta.Gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "hi" } }), 202);
        for (var i = 0; i < 3; i++)
        {
            await GatewayServer.ReadJsonAsync(await _meta.Gateway.PostAsync("/messages", number.ApiKey,
                new { messaging_product = "whatsapp", to = "4915199999999", text = new { body = $"answer {i}" } }), 200);
        }
        var user = await AdminAsync($"/admin/v1/wabas/{number.WabaId}/users/4915199999999");
        var bsuid = user.GetProperty("user_id").GetString()!;

        var first = await AdminAsync($"/admin/v1/phone_numbers/{number.Id}/conversations/{bsuid}?limit=3");
        Assert.Equal(3, first.GetProperty("data").GetArrayLength());
        Assert.Equal("answer 2", first.GetProperty("data")[0].GetProperty("body").GetProperty("text").GetProperty("body").GetString());
        var rest = await AdminAsync($"/admin/v1/phone_numbers/{number.Id}/conversations/4915199999999?limit=3&cursor={Uri.EscapeDataString(first.GetProperty("next_cursor").GetString()!)}");
        Assert.Equal(said.GetProperty("messages")[0].GetProperty("id").GetString(), Assert.Single(rest.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.False(rest.TryGetProperty("next_cursor", out _));

        var bad = await _meta.Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/conversations/not-a-user");
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal(404, (int)(await _meta.Gateway.AdminAsync(HttpMethod.Get, "/admin/v1/phone_numbers/pn_nobody/conversations")).StatusCode);
    }
}
