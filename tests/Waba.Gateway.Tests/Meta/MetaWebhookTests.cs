using System.Security.Cryptography;
using System.Text;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>Issue 6 (inbound from Meta): verification, signature check, and routing to each number's webhook in its shape.</summary>
public sealed class MetaWebhookTests : IAsyncLifetime
{
    private const string AppSecret = "meta-app-secret-for-tests";
    private GatewayServer _gateway = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Meta:AppSecret"] = AppSecret, ["Meta:VerifyToken"] = "verify-me" });
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static string MessageChange(string phoneNumberId, string text) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{{phoneNumberId}}}"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"{{{text}}}"}}]},"field":"messages"}]}]}""";

    private async Task<HttpResponseMessage> PostSignedAsync(string body, string? secret = AppSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/meta/webhook") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexString(hmac.ComputeHash(bytes)).ToLowerInvariant());
        }
        return await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Verification_AnswersTheChallengeOnlyForTheRightToken()
    {
        var ok = await _gateway.Http.GetAsync("/meta/webhook?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var wrong = await _gateway.Http.GetAsync("/meta/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1", TestContext.Current.CancellationToken);
        Assert.Equal(403, (int)wrong.StatusCode);
    }

    [Fact]
    public async Task SignedMessage_ForACloudNumber_ReachesItsWebhookInMetasShape()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        await _gateway.SetWabaWebhookAsync(number, _receiver.Url());

        var response = await PostSignedAsync(MessageChange(number.PhoneNumberId, "Grüße 😀"));
        Assert.Equal(200, (int)response.StatusCode);

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        var entry = webhook.Json.GetProperty("entry")[0];
        Assert.Equal(number.WabaId, entry.GetProperty("id").GetString());
        var value = entry.GetProperty("changes")[0].GetProperty("value");
        Assert.Equal(number.PhoneNumberId, value.GetProperty("metadata").GetProperty("phone_number_id").GetString());
        Assert.Equal("Grüße 😀", value.GetProperty("messages")[0].GetProperty("text").GetProperty("body").GetString());
        Assert.All(webhook.Body, c => Assert.True(c < 128));
    }

    [Fact]
    public async Task SignedMessage_ForAnOnPremiseNumber_IsConvertedToTheOnPremiseShape()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url());

        Assert.Equal(200, (int)(await PostSignedAsync(MessageChange(number.PhoneNumberId, "hello"))).StatusCode);

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        Assert.False(webhook.Json.TryGetProperty("entry", out _));
        Assert.Equal("hello", webhook.Json.GetProperty("messages")[0].GetProperty("text").GetProperty("body").GetString());
        Assert.Equal("Sheena Nelson", webhook.Json.GetProperty("contacts")[0].GetProperty("profile").GetProperty("name").GetString());
    }

    /// <summary>
    /// Issue 11 (the On-Premise API lives on): every kind of event Meta sends for a number reaches an On-Premise receiver
    /// in the On-Premise shape: statuses (with Meta's errors and callback data) and each inbound type.
    /// </summary>
    [Fact]
    public async Task EveryEventFromMeta_ReachesAnOnPremiseReceiver_InTheOnPremiseShape()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url());
        string Change(string value) =>
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{{number.PhoneNumberId}}}"},{{{value}}}},"field":"messages"}]}]}""";
        const string Contact = """ "contacts":[{"profile":{"name":"Kai"},"wa_id":"16505551234"}]""";
        var bodies = new[]
        {
            """ "statuses":[{"id":"wamid.A","status":"sent","timestamp":"1749416383","recipient_id":"16505551234","biz_opaque_callback_data":"order-42","conversation":{"id":"c1","origin":{"type":"service"}},"pricing":{"billable":true,"pricing_model":"PMP","category":"service"}}]""",
            """ "statuses":[{"id":"wamid.A","status":"delivered","timestamp":"1749416384","recipient_id":"16505551234","biz_opaque_callback_data":"order-42"}]""",
            """ "statuses":[{"id":"wamid.A","status":"read","timestamp":"1749416385","recipient_id":"16505551234"}]""",
            """ "statuses":[{"id":"wamid.B","status":"failed","timestamp":"1749416386","recipient_id":"16505551234","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]}]""",
            Contact + ""","messages":[{"from":"16505551234","id":"wamid.C","timestamp":"1749416387","type":"image","image":{"id":"1234","mime_type":"image/jpeg","sha256":"abc","caption":"receipt"}}]""",
            Contact + ""","messages":[{"from":"16505551234","id":"wamid.D","timestamp":"1749416388","type":"location","location":{"latitude":52.5,"longitude":13.4,"name":"Home"}}]""",
            Contact + ""","messages":[{"from":"16505551234","id":"wamid.E","timestamp":"1749416389","type":"interactive","context":{"from":"15550783881","id":"wamid.A"},"interactive":{"type":"list_reply","list_reply":{"id":"r1","title":"Pasta"}}}]""",
            Contact + ""","messages":[{"from":"16505551234","id":"wamid.F","timestamp":"1749416390","type":"button","button":{"text":"Pay now","payload":"pay"}}]""",
            Contact + ""","messages":[{"from":"16505551234","id":"wamid.G","timestamp":"1749416391","type":"reaction","reaction":{"message_id":"wamid.A","emoji":"\ud83d\udc4d"}}]""",
        };
        foreach (var body in bodies)
        {
            Assert.Equal(200, (int)(await PostSignedAsync(Change(body))).StatusCode);
        }

        var received = await _receiver.WaitForAsync(r => r.Count >= bodies.Length);
        Assert.All(received, r => Assert.False(r.Json.TryGetProperty("entry", out _)));
        var statuses = received.Where(r => r.Json.TryGetProperty("statuses", out _)).Select(r => r.Json.GetProperty("statuses")[0]).ToList();
        Assert.Equal(["delivered", "failed", "read", "sent"], statuses.Select(s => s.GetProperty("status").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("order-42", statuses.Single(s => s.GetProperty("status").GetString() == "sent").GetProperty("biz_opaque_callback_data").GetString());
        Assert.Equal(131047, statuses.Single(s => s.GetProperty("status").GetString() == "failed").GetProperty("errors")[0].GetProperty("code").GetInt32());
        var messages = received.Where(r => r.Json.TryGetProperty("messages", out _)).Select(r => r.Json.GetProperty("messages")[0]).ToList();
        Assert.Equal(["button", "image", "interactive", "location", "reaction"], messages.Select(m => m.GetProperty("type").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(received.Where(r => r.Json.TryGetProperty("messages", out _)), r => Assert.Equal("Kai", r.Json.GetProperty("contacts")[0].GetProperty("profile").GetProperty("name").GetString()));
        Assert.Equal("Pasta", messages.Single(m => m.GetProperty("type").GetString() == "interactive").GetProperty("interactive").GetProperty("list_reply").GetProperty("title").GetString());
        Assert.Equal("\U0001F44D", messages.Single(m => m.GetProperty("type").GetString() == "reaction").GetProperty("reaction").GetProperty("emoji").GetString());
    }

    /// <summary>Issue 15: Meta's BSUID fields reach both shapes untouched.</summary>
    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task BsuidFieldsFromMeta_PassThroughUntouched(string hosting)
    {
        var number = await _gateway.CreateNumberAsync(hosting);
        if (hosting == "cloud")
        {
            await _gateway.SetWabaWebhookAsync(number, _receiver.Url());
        }
        else
        {
            await _gateway.SetNumberWebhookAsync(number, _receiver.Url());
        }
        var body = $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{{number.PhoneNumberId}}}"},"contacts":[{"profile":{"name":"Kai","username":"@kai"},"user_id":"US.13491208655302741918","parent_user_id":"US.ENT.11815799212886844830"}],"messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.H","timestamp":"1749416390","type":"text","text":{"body":"hi"}}]},"field":"messages"}]}]}""";
        Assert.Equal(200, (int)(await PostSignedAsync(body)).StatusCode);
        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1)).Json;
        var value = hosting == "cloud" ? received.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value") : received;
        var contact = value.GetProperty("contacts")[0];
        Assert.Equal("US.13491208655302741918", contact.GetProperty("user_id").GetString());
        Assert.Equal("US.ENT.11815799212886844830", contact.GetProperty("parent_user_id").GetString());
        Assert.False(contact.TryGetProperty("wa_id", out _));
        Assert.Equal("US.13491208655302741918", value.GetProperty("messages")[0].GetProperty("from_user_id").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-app-secret")]
    public async Task BadSignature_Is401_AndNothingIsKept(string? secret)
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url());

        Assert.Equal(401, (int)(await PostSignedAsync(MessageChange(number.PhoneNumberId, "forged"), secret)).StatusCode);

        var log = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}"), 200);
        Assert.Equal(0, log.GetProperty("data").GetArrayLength());
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task UnknownNumber_IsAcceptedAndKept()
    {
        Assert.Equal(200, (int)(await PostSignedAsync(MessageChange("999999999999999", "for nobody"))).StatusCode);
        Assert.Equal(200, (int)(await PostSignedAsync("""{"object":"whatsapp_business_account","entry":[]}""")).StatusCode);
    }
}
