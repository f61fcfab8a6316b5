using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>
/// Issue 21 (1): a <c>meta</c> number keeps its conversations like a sandbox number, so what bots do on every inbound
/// message — mark it read, show a typing indicator, answer it — works in every dialect.
/// </summary>
public sealed class MetaConversationTests : IAsyncLifetime
{
    private MetaGateway _meta = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _meta = await MetaGateway.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _meta.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> InboundAsync(TestNumber number, string text = "hi")
    {
        var messageId = "wamid.HBgL" + Guid.NewGuid().ToString("N");
        Assert.Equal(200, (int)(await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", messageId, text)))).StatusCode);
        return messageId;
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("graph")]
    public async Task ReadReceiptWithTypingIndicator_ForAMessageFromMeta_ReachesMeta(string dialect)
    {
        var number = await _meta.NumberAsync("cloud");
        var messageId = await InboundAsync(number);
        _meta.Graph.Calls.Clear();
        var receipt = $$$"""{"messaging_product":"whatsapp","status":"read","message_id":"{{{messageId}}}","typing_indicator":{"type":"text"}}""";

        var response = dialect == "cloud"
            ? await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, receipt)
            : await _meta.GraphAsync(HttpMethod.Post, $"/v22.0/{number.PhoneNumberId}/messages", number.ApiKey, receipt);

        Assert.True((await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("success").GetBoolean());
        var sent = JsonNode.Parse(_meta.Graph.LastBody("POST", $"/v26.0/{number.PhoneNumberId}/messages")!)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(receipt), sent), $"Meta got {sent}");
        Assert.Equal($"Bearer {MetaGateway.Token}", _meta.Graph.Calls.Single().Authorization);
    }

    [Fact]
    public async Task ReadReceipt_OnAnOnPremiseNumberOverMeta_ReachesMetaInTheCloudShape()
    {
        var number = await _meta.NumberAsync("on_premise");
        var messageId = await InboundAsync(number);
        _meta.Graph.Calls.Clear();

        var response = await _meta.SendAsync(HttpMethod.Put, $"/v1/messages/{messageId}", number.ApiKey, """{"status":"read"}""");

        Assert.Equal(200, (int)response.StatusCode);
        var sent = JsonNode.Parse(_meta.Graph.LastBody("POST", $"/v26.0/{number.PhoneNumberId}/messages")!)!;
        Assert.Equal("whatsapp", sent["messaging_product"]!.GetValue<string>());
        Assert.Equal("read", sent["status"]!.GetValue<string>());
        Assert.Equal(messageId, sent["message_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadReceipt_MetaRefuses_ComesBackWithMetasCode()
    {
        var number = await _meta.NumberAsync("cloud");
        _meta.Graph.Respond = async (context, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"error_data":{"messaging_product":"whatsapp","details":"Invalid message_id"},"fbtrace_id":"Trace42"}}""", Ct);
            return true;
        };

        var response = await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, """{"messaging_product":"whatsapp","status":"read","message_id":"wamid.unknown"}""");

        var error = (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("error");
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Equal("Trace42", error.GetProperty("fbtrace_id").GetString());
    }

    [Fact]
    public async Task TypingIndicator_OfAnotherType_IsRefusedBeforeMeta()
    {
        var number = await _meta.NumberAsync("cloud");
        var messageId = await InboundAsync(number);
        _meta.Graph.Calls.Clear();

        var response = await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey,
            $$$"""{"messaging_product":"whatsapp","status":"read","message_id":"{{{messageId}}}","typing_indicator":{"type":"audio"}}""");

        Assert.Equal(131009, (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(_meta.Graph.Calls);
    }

    /// <summary>Issue 21: a Cloud receiver gets Meta's statuses and messages with every field Meta sent, in Meta's envelope.</summary>
    [Fact]
    public async Task StatusesAndMessagesFromMeta_ReachACloudReceiverWithEveryField()
    {
        var number = await _meta.NumberAsync("cloud");
        await _meta.Gateway.SetWabaWebhookAsync(number, _receiver.Url());
        var values = new[]
        {
            """{"statuses":[{"id":"wamid.S1","status":"delivered","timestamp":"1764763300","recipient_id":"16505551234","recipient_user_id":"US.13491208655302741918","biz_opaque_callback_data":"order-42","pricing":{"billable":false,"pricing_model":"PMP","type":"free_customer_service","category":"service"}}],"contacts":[{"wa_id":"16505551234","user_id":"US.13491208655302741918"}]}""",
            """{"statuses":[{"id":"wamid.S2","status":"failed","timestamp":"1764763301","recipient_id":"16505551234","errors":[{"code":131049,"title":"This message was not delivered to maintain healthy ecosystem engagement.","message":"This message was not delivered to maintain healthy ecosystem engagement.","error_data":{"details":"In order to maintain a healthy ecosystem engagement, the message failed to be delivered."},"href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}]}""",
            """{"contacts":[{"profile":{"name":"Kai","username":"@kai"},"wa_id":"16505551234","user_id":"US.13491208655302741918"}],"messages":[{"from":"16505551234","from_user_id":"US.13491208655302741918","id":"wamid.M1","timestamp":"1764763302","type":"text","text":{"body":"I saw your ad"},"context":{"forwarded":true},"referral":{"source_url":"https://fb.me/x","source_id":"120","source_type":"ad","headline":"Pizza","body":"2 for 1","media_type":"image","ctwa_clid":"ARAk"}}]}""",
        };
        foreach (var value in values)
        {
            Assert.Equal(200, (int)(await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.Members(value)))).StatusCode);
        }

        var received = await _receiver.WaitForAsync(r => r.Count >= values.Length);
        foreach (var value in values)
        {
            var sent = JsonNode.Parse(value)!.AsObject();
            var id = (sent["statuses"] ?? sent["messages"])![0]!["id"]!.GetValue<string>();
            var webhook = received.Single(r => r.Body.Contains(id, StringComparison.Ordinal)).Json;
            var delivered = JsonNode.Parse(webhook.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value").GetRawText())!.AsObject();
            Assert.Equal(number.PhoneNumberId, delivered["metadata"]!["phone_number_id"]!.GetValue<string>());
            delivered.Remove("metadata");
            delivered.Remove("messaging_product");
            Assert.True(JsonNode.DeepEquals(sent, delivered), $"sent {sent}\ngot {delivered}");
        }
    }

    [Fact]
    public async Task AMessageMetaSendsTwice_IsDeliveredOnce()
    {
        var number = await _meta.NumberAsync("cloud");
        await _meta.Gateway.SetWabaWebhookAsync(number, _receiver.Url());
        var body = MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", "wamid.TWICE", "once please"));

        Assert.Equal(200, (int)(await _meta.PostWebhookAsync(body)).StatusCode);
        Assert.Equal(200, (int)(await _meta.PostWebhookAsync(body)).StatusCode);
        await _receiver.WaitForAsync(r => r.Count >= 1);
        await Task.Delay(500, Ct);

        Assert.Single(_receiver.Received);
        var log = await GatewayServer.ReadJsonAsync(await _meta.Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}"), 200);
        Assert.Single(log.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task ASendToMeta_IsKept_AndMetasAnswerComesBackAsItCame()
    {
        var number = await _meta.NumberAsync("cloud");
        var response = await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey,
            """{"messaging_product":"whatsapp","to":"4915112345678","type":"text","text":{"body":"hello"}}""");
        var answer = await GatewayServer.ReadJsonAsync(response, 200);
        var id = answer.GetProperty("messages")[0].GetProperty("id").GetString()!;
        Assert.StartsWith("wamid.FROM-META-", id, StringComparison.Ordinal);
        Assert.Equal("4915112345678", answer.GetProperty("contacts")[0].GetProperty("wa_id").GetString());

        // The user reacts to it: Meta's webhook names the message, and a reply to it can quote it.
        var reaction = $$$"""{"contacts":[{"profile":{"name":"Kai"},"wa_id":"4915112345678"}],"messages":[{"from":"4915112345678","id":"wamid.R1","timestamp":"1764763200","type":"reaction","reaction":{"message_id":"{{{id}}}","emoji":"\ud83d\udc4d"}}]}""";
        Assert.Equal(200, (int)(await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.Members(reaction)))).StatusCode);
        var reply = await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey,
            """{"messaging_product":"whatsapp","to":"4915112345678","context":{"message_id":"wamid.R1"},"type":"text","text":{"body":"thanks"}}""");
        Assert.Equal(200, (int)reply.StatusCode);
    }
}
