using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Dialects;

/// <summary>Issue 11: what real WhatsApp clients hit, in every dialect it concerns.</summary>
public sealed class WireFidelityTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private WebhookReceiver _receiver = null!;
    private TestNumber _cloud = null!;
    private TestNumber _onPremise = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:EnforceCustomerServiceWindow"] = "false" });
        _receiver = await WebhookReceiver.StartAsync();
        var waba = await _gateway.CreateWabaAsync();
        _cloud = await _gateway.CreateNumberAsync("cloud", waba);
        _onPremise = await _gateway.CreateNumberAsync("on_premise", waba);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? d360Key, string? body = null, string? bearer = null)
    {
        var request = GatewayServer.Request(method, path, d360Key, rawBody: body);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return _gateway.Http.SendAsync(request, Ct);
    }

    // 1. Strings .NET cannot hold, and the last line of defence.

    [Theory]
    [InlineData("/messages", "cloud", "text.body")]
    [InlineData("/v1/messages", "on_premise", "text.body")]
    [InlineData("graph", "cloud", "text.body")]
    public async Task LoneSurrogate_InAString_Is400NamingTheField(string path, string hosting, string field)
    {
        var number = hosting == "cloud" ? _cloud : _onPremise;
        var body = """{"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "broken \ud800 here"}}""";
        var response = path == "graph"
            ? await SendRawAsync(HttpMethod.Post, $"/{number.PhoneNumberId}/messages", null, body, bearer: number.ApiKey)
            : await SendRawAsync(HttpMethod.Post, path, number.ApiKey, body);

        var error = await GatewayServer.ReadJsonAsync(response, 400);
        var details = hosting == "cloud"
            ? error.GetProperty("error").GetProperty("error_data").GetProperty("details").GetString()
            : error.GetProperty("errors")[0].GetProperty("details").GetString();
        Assert.StartsWith(field + ":", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoneSurrogate_InAPropertyName_OrAnotherRoute_Is400NotA500()
    {
        var key = await SendRawAsync(HttpMethod.Post, "/messages", _cloud.ApiKey,
            """{"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "hi"}, "\udfff": 1}""");
        await GatewayServer.ReadJsonAsync(key, 400);
        var inbound = await SendRawAsync(HttpMethod.Post, "/sandbox/v1/inbound", _onPremise.ApiKey, """{"from": "4915199999999", "text": {"body": "\ud83d"}}""");
        Assert.Contains("text.body", (await GatewayServer.ReadJsonAsync(inbound, 400)).GetProperty("errors")[0].GetProperty("details").GetString(), StringComparison.Ordinal);
        var profile = await SendRawAsync(HttpMethod.Post, "/whatsapp_business_profile", _cloud.ApiKey, """{"messaging_product": "whatsapp", "about": "\udc00"}""");
        await GatewayServer.ReadJsonAsync(profile, 400);
        var admin = await _gateway.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/v1/wabas")
        {
            Content = new StringContent("""{"name": "\ud800"}""", Encoding.UTF8, "application/json"),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", GatewayServer.AdminToken) },
        }, Ct);
        Assert.InRange((int)admin.StatusCode, 200, 499);
    }

    private sealed class BrokenProfileStore : Waba.Gateway.Profiles.IBusinessProfileStore
    {
        public Task<Waba.Gateway.Profiles.BusinessProfile?> FindAsync(string channelId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("disk on fire");

        public Task SaveAsync(string channelId, Waba.Gateway.Profiles.BusinessProfile profile, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("disk on fire");
    }

    [Fact]
    public async Task UnexpectedFailure_IsAnsweredInTheCallersShape_WithATraceId()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "None" },
            services => services.AddSingleton<Waba.Gateway.Profiles.IBusinessProfileStore, BrokenProfileStore>());
        var cloud = await gateway.CreateNumberAsync("cloud");
        var onPremise = await gateway.CreateNumberAsync("on_premise");

        var cloudAnswer = await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/whatsapp_business_profile", cloud.ApiKey), Ct);
        var error = (await GatewayServer.ReadJsonAsync(cloudAnswer, 500)).GetProperty("error");
        Assert.Equal(131000, error.GetProperty("code").GetInt32());
        var trace = error.GetProperty("fbtrace_id").GetString()!;
        Assert.Contains(trace, error.GetProperty("error_data").GetProperty("details").GetString(), StringComparison.Ordinal);

        var graph = new HttpRequestMessage(HttpMethod.Get, $"/{cloud.PhoneNumberId}/whatsapp_business_profile");
        graph.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cloud.ApiKey);
        Assert.Equal(131000, (await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(graph, Ct), 500)).GetProperty("error").GetProperty("code").GetInt32());

        var onPremiseAnswer = await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/v1/settings/profile/about", onPremise.ApiKey), Ct);
        var errors = (await GatewayServer.ReadJsonAsync(onPremiseAnswer, 500)).GetProperty("errors")[0];
        Assert.Equal(1014, errors.GetProperty("code").GetInt32());
        Assert.Contains("trace id", errors.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    // 2. Media kind by the file part.

    private static MultipartFormDataContent Upload(byte[] bytes, string fileType, string? typeField)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileType);
        var form = new MultipartFormDataContent { { new StringContent("whatsapp"), "messaging_product" } };
        if (typeField is not null)
        {
            form.Add(new StringContent(typeField), "type");
        }
        form.Add(file, "file", "upload.bin");
        return form;
    }

    [Theory]
    [InlineData("/media", "image", "image/png")]
    [InlineData("graph", "image", "image/png")]
    [InlineData("/media", null, "image/jpeg")]
    [InlineData("/media", "document", "application/pdf")]
    public async Task Upload_IsJudgedByTheFilePartsContentType(string path, string? typeField, string fileType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path == "graph" ? $"/v21.0/{_cloud.PhoneNumberId}/media" : "/media")
        {
            Content = Upload([1, 2, 3, 4], fileType, typeField),
        };
        if (path == "graph")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _cloud.ApiKey);
        }
        else
        {
            request.Headers.Add("D360-API-KEY", _cloud.ApiKey);
        }
        var id = (await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(request, Ct), 200)).GetProperty("id").GetString()!;
        var metadata = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"/{id}", _cloud.ApiKey), 200);
        Assert.Equal(fileType, metadata.GetProperty("mime_type").GetString());
    }

    [Fact]
    public async Task Stickers_StaticUpTo100KB_AnimatedUpTo500KB()
    {
        static byte[] Webp(int size, bool animated)
        {
            var bytes = new byte[size];
            "RIFF"u8.CopyTo(bytes);
            "WEBP"u8.CopyTo(bytes.AsSpan(8));
            "VP8X"u8.CopyTo(bytes.AsSpan(12));
            bytes[20] = animated ? (byte)0x02 : (byte)0x00;
            return bytes;
        }
        async Task<int> UploadAsync(byte[] bytes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/media") { Content = Upload(bytes, "image/webp", "sticker") };
            request.Headers.Add("D360-API-KEY", _cloud.ApiKey);
            return (int)(await _gateway.Http.SendAsync(request, Ct)).StatusCode;
        }
        Assert.Equal(200, await UploadAsync(Webp(100 * 1024, animated: false)));
        Assert.Equal(400, await UploadAsync(Webp(200 * 1024, animated: false)));
        Assert.Equal(200, await UploadAsync(Webp(400 * 1024, animated: true)));
        Assert.Equal(400, await UploadAsync(Webp(501 * 1024, animated: true)));
    }

    // 4. biz_opaque_callback_data in every status.

    [Fact]
    public async Task BizOpaqueCallbackData_IsEchoedInEveryCloudStatus_AndNotInOnPremiseStatuses()
    {
        await _gateway.SetWabaWebhookAsync(_cloud, _receiver.Url("/cloud"));
        await _gateway.SetNumberWebhookAsync(_onPremise, _receiver.Url("/onprem"));
        await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/messages", _cloud.ApiKey,
            """{"messaging_product": "whatsapp", "to": "4915100000001", "type": "text", "text": {"body": "hi"}, "biz_opaque_callback_data": "campaign=7;step=2"}"""), 200);
        await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/v1/messages", _onPremise.ApiKey,
            """{"to": "4915100000002", "type": "text", "text": {"body": "hi"}, "biz_opaque_callback_data": "campaign=7"}"""), 200);

        var received = await _receiver.WaitForAsync(r => r.Count(x => x.Path == "/cloud") >= 3 && r.Count(x => x.Path == "/onprem") >= 3);
        foreach (var hook in received.Where(r => r.Path == "/cloud"))
        {
            var status = hook.Json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value").GetProperty("statuses")[0];
            Assert.Equal("campaign=7;step=2", status.GetProperty("biz_opaque_callback_data").GetString());
        }
        Assert.All(received.Where(r => r.Path == "/onprem"), hook => Assert.DoesNotContain("biz_opaque_callback_data", hook.Body, StringComparison.Ordinal));
    }

    // 5 and 7. Graph paths without a version; /{media-id} decided by the credential; 360dialog's download recipe.

    [Fact]
    public async Task GraphPaths_WithoutAVersion_SendUploadAndFetchMedia()
    {
        var sent = await SendRawAsync(HttpMethod.Post, $"/{_cloud.PhoneNumberId}/messages", null,
            """{"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "hi"}}""", bearer: _cloud.ApiKey);
        Assert.StartsWith("wamid.", (await GatewayServer.ReadJsonAsync(sent, 200)).GetProperty("messages")[0].GetProperty("id").GetString(), StringComparison.Ordinal);

        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/{_cloud.PhoneNumberId}/media") { Content = Upload("PNGDATA"u8.ToArray(), "image/png", "image/png") };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _cloud.ApiKey);
        var id = (await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(upload, Ct), 200)).GetProperty("id").GetString()!;

        // Bearer: Graph semantics, a direct URL fetched with the same token.
        var graph = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"/{id}", null, bearer: _cloud.ApiKey), 200);
        var url = new Uri(graph.GetProperty("url").GetString()!);
        Assert.Equal(_gateway.BaseAddress.Authority, url.Authority);
        var bytes = await SendRawAsync(HttpMethod.Get, url.PathAndQuery, null, bearer: _cloud.ApiKey);
        Assert.Equal("PNGDATA", await bytes.Content.ReadAsStringAsync(Ct));

        // D360-API-KEY: 360dialog's lookaside URL; swapping its host for the gateway's downloads it.
        var d360 = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"/{id}", _cloud.ApiKey), 200);
        var lookaside = d360.GetProperty("url").GetString()!;
        Assert.StartsWith("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=", lookaside, StringComparison.Ordinal);
        var swapped = lookaside.Replace("https://lookaside.fbsbx.com", string.Empty, StringComparison.Ordinal);
        var download = await SendRawAsync(HttpMethod.Get, swapped, _cloud.ApiKey);
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal("PNGDATA", await download.Content.ReadAsStringAsync(Ct));

        // Bad credentials: each dialect's own 401.
        var badBearer = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"/{id}", null, bearer: "wrong-token-that-is-long-enough-for-a-prefix"), 401);
        Assert.Equal(190, badBearer.GetProperty("error").GetProperty("code").GetInt32());
        var badKey = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"/{id}", "wrong-key-that-is-long-enough-for-a-prefix"), 401);
        Assert.Equal(401, badKey.GetProperty("meta").GetProperty("httpCode").GetInt32());
        Assert.Equal(401, (int)(await SendRawAsync(HttpMethod.Post, $"/{_cloud.PhoneNumberId}/messages", null, "{}")).StatusCode);
    }

    // 6. Template sends answer message_status.

    [Fact]
    public async Task TemplateSend_AnswersMessageStatusAccepted_OtherSendsDoNot()
    {
        var template = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/messages", _cloud.ApiKey,
            """{"messaging_product": "whatsapp", "to": "4915112345678", "type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}}}"""), 200);
        Assert.Equal("accepted", template.GetProperty("messages")[0].GetProperty("message_status").GetString());
        var text = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/messages", _cloud.ApiKey,
            """{"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "hi"}}"""), 200);
        Assert.False(text.GetProperty("messages")[0].TryGetProperty("message_status", out _));
    }

    // 8. On-Premise gaps.

    [Fact]
    public async Task OnPremise_HealthNamespaceAndTemplateCreation()
    {
        var health = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/v1/health", _onPremise.ApiKey), 200);
        Assert.Equal("connected", health.GetProperty("health").GetProperty("gateway_status").GetString());

        var created = await SendRawAsync(HttpMethod.Post, "/v1/configs/templates", _onPremise.ApiKey,
            """{"name": "receipt", "language": "en", "category": "UTILITY", "components": [{"type": "BODY", "text": "Thanks {{1}}, paid."}]}""");
        Assert.Equal(200, (int)created.StatusCode);
        var list = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/v1/configs/templates", _onPremise.ApiKey), 200);
        var ns = list.GetProperty("waba_templates")[0].GetProperty("namespace").GetString()!;
        Assert.Matches("^[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$", ns);
        Assert.All(list.GetProperty("waba_templates").EnumerateArray(), t => Assert.Equal(ns, t.GetProperty("namespace").GetString()));

        var withNamespace = await SendRawAsync(HttpMethod.Post, "/v1/messages", _onPremise.ApiKey,
            $$$$"""{"to": "4915112345678", "type": "template", "template": {"namespace": "{{{{ns}}}}", "name": "hello_world", "language": {"policy": "deterministic", "code": "en_US"}}}""");
        await GatewayServer.ReadJsonAsync(withNamespace, 200);
        var wrong = await SendRawAsync(HttpMethod.Post, "/v1/messages", _onPremise.ApiKey,
            """{"to": "4915112345678", "type": "template", "template": {"namespace": "00000000_0000_0000_0000_000000000000", "name": "hello_world", "language": {"policy": "deterministic", "code": "en_US"}}}""");
        Assert.Equal(2001, (await GatewayServer.ReadJsonAsync(wrong, 404)).GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    // Corrected facts.

    [Fact]
    public async Task OnPremise_UnsupportedType_Is501Code()
    {
        var response = await SendRawAsync(HttpMethod.Post, "/v1/messages", _onPremise.ApiKey, """{"to": "4915112345678", "type": "hologram", "hologram": {}}""");
        Assert.Equal(501, (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    // 9. Business profile.

    [Fact]
    public async Task BusinessProfile_CloudGraphAndOnPremise_ShareOneProfile_WithMetasLimits()
    {
        var update = await SendRawAsync(HttpMethod.Post, "/whatsapp_business_profile", _cloud.ApiKey,
            """{"messaging_product": "whatsapp", "about": "Fresh bread daily", "address": "1 Baker St", "email": "hi@bakery.example", "vertical": "RESTAURANT", "websites": ["https://bakery.example"]}""");
        Assert.True((await GatewayServer.ReadJsonAsync(update, 200)).GetProperty("success").GetBoolean());

        var cloud = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/whatsapp_business_profile?fields=about,vertical,websites", _cloud.ApiKey), 200);
        var data = cloud.GetProperty("data")[0];
        Assert.Equal("Fresh bread daily", data.GetProperty("about").GetString());
        Assert.Equal("RESTAURANT", data.GetProperty("vertical").GetString());
        Assert.False(data.TryGetProperty("address", out _));

        // The simulated user's phone shows it in the chat header.
        var chat = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/sandbox/v1/chats/4915100000009", _cloud.ApiKey), 200);
        Assert.Equal("Fresh bread daily", chat.GetProperty("business").GetProperty("about").GetString());
        Assert.Equal("Acme", chat.GetProperty("business").GetProperty("name").GetString());

        var graph = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"/v21.0/{_cloud.PhoneNumberId}/whatsapp_business_profile", null, bearer: _cloud.ApiKey), 200);
        Assert.Equal("1 Baker St", graph.GetProperty("data")[0].GetProperty("address").GetString());

        foreach (var bad in new[]
        {
            $$"""{"messaging_product": "whatsapp", "about": "{{new string('a', 140)}}"}""",
            """{"messaging_product": "whatsapp", "vertical": "SPACESHIPS"}""",
            """{"messaging_product": "whatsapp", "websites": ["https://a.example", "https://b.example", "https://c.example"]}""",
            """{"messaging_product": "whatsapp", "email": "not-an-address"}""",
        })
        {
            Assert.Equal(100, (await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/whatsapp_business_profile", _cloud.ApiKey, bad), 400))
                .GetProperty("error").GetProperty("code").GetInt32());
        }

        await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Patch, "/v1/settings/profile/about", _onPremise.ApiKey, """{"text": "Open 7-19"}"""), 200);
        var about = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/v1/settings/profile/about", _onPremise.ApiKey), 200);
        Assert.Equal("Open 7-19", about.GetProperty("settings").GetProperty("profile").GetProperty("about").GetProperty("text").GetString());
        await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/v1/settings/business/profile", _onPremise.ApiKey,
            """{"description": "Family bakery", "vertical": "GROCERY", "websites": ["https://bakery.example"]}"""), 200);
        var business = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/v1/settings/business/profile", _onPremise.ApiKey), 200);
        Assert.Equal("GROCERY", business.GetProperty("settings").GetProperty("business").GetProperty("profile").GetProperty("vertical").GetString());

        using var photo = new HttpRequestMessage(HttpMethod.Post, "/v1/settings/profile/photo") { Content = new ByteArrayContent("JPEGDATA"u8.ToArray()) };
        photo.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        photo.Headers.Add("D360-API-KEY", _onPremise.ApiKey);
        await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(photo, Ct), 200);
        var image = await SendRawAsync(HttpMethod.Get, "/v1/settings/profile/photo", _onPremise.ApiKey);
        Assert.Equal("JPEGDATA", await image.Content.ReadAsStringAsync(Ct));
    }

    // 10. Templates through the Graph dialect, with review outcomes as webhook events.

    [Fact]
    public async Task GraphTemplates_PagedCreatedReviewedAndDeleted_WithStatusEventsOnTheWabaWebhook()
    {
        await _gateway.SetWabaWebhookAsync(_cloud, _receiver.Url("/templates"));
        var edge = $"/v21.0/{_cloud.WabaId}/message_templates";
        var good = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, edge, null,
            """{"name": "order_ready", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "Hi {{1}}, order {{2}} is ready."}]}""", bearer: _cloud.ApiKey), 200);
        Assert.Equal("PENDING", good.GetProperty("status").GetString());
        var bad = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, edge, null,
            """{"name": "greeting", "language": "en_US", "category": "MARKETING", "components": [{"type": "BODY", "text": "{{1}} welcome!"}]}""", bearer: _cloud.ApiKey), 200);
        var duplicate = await SendRawAsync(HttpMethod.Post, edge, null,
            """{"name": "order_ready", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "Again {{1}}."}]}""", bearer: _cloud.ApiKey);
        Assert.Equal(100, (await GatewayServer.ReadJsonAsync(duplicate, 400)).GetProperty("error").GetProperty("code").GetInt32());
        var tooLong = await SendRawAsync(HttpMethod.Post, edge, null,
            $$"""{"name": "essay", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "{{new string('x', 1025)}}"}]}""", bearer: _cloud.ApiKey);
        await GatewayServer.ReadJsonAsync(tooLong, 400);

        var events = await _receiver.WaitForAsync(r => r.Count(x => x.Path == "/templates") >= 2);
        var updates = events.Where(r => r.Path == "/templates")
            .Select(r => r.Json.GetProperty("entry")[0].GetProperty("changes")[0])
            .ToList();
        Assert.All(updates, u => Assert.Equal("message_template_status_update", u.GetProperty("field").GetString()));
        var approved = updates.Single(u => u.GetProperty("value").GetProperty("message_template_name").GetString() == "order_ready").GetProperty("value");
        Assert.Equal("APPROVED", approved.GetProperty("event").GetString());
        Assert.Equal(good.GetProperty("id").GetString(), approved.GetProperty("message_template_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rejected = updates.Single(u => u.GetProperty("value").GetProperty("message_template_name").GetString() == "greeting").GetProperty("value");
        Assert.Equal("REJECTED", rejected.GetProperty("event").GetString());
        Assert.Equal("INVALID_FORMAT", rejected.GetProperty("reason").GetString());
        Assert.Equal("PENDING", bad.GetProperty("status").GetString());

        // Three templates (hello_world, greeting, order_ready), two to a page.
        var first = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"{edge}?limit=2", null, bearer: _cloud.ApiKey), 200);
        Assert.Equal(2, first.GetProperty("data").GetArrayLength());
        var after = first.GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString()!;
        var second = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"{edge}?limit=2&after={Uri.EscapeDataString(after)}", null, bearer: _cloud.ApiKey), 200);
        var names = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["greeting", "hello_world", "order_ready"], names);
        Assert.False(second.GetProperty("paging").TryGetProperty("next", out _));
        var rejectedView = second.GetProperty("data").EnumerateArray().Concat(first.GetProperty("data").EnumerateArray()).Single(t => t.GetProperty("name").GetString() == "greeting");
        Assert.Equal("REJECTED", rejectedView.GetProperty("status").GetString());

        Assert.True((await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Delete, $"{edge}?name=order_ready", null, bearer: _cloud.ApiKey), 200)).GetProperty("success").GetBoolean());
        var otherWaba = await SendRawAsync(HttpMethod.Get, "/v21.0/123456789012345/message_templates", null, bearer: _cloud.ApiKey);
        Assert.Equal(100, (await GatewayServer.ReadJsonAsync(otherWaba, 400)).GetProperty("error").GetProperty("code").GetInt32());
    }

    // 11. Block users.

    [Fact]
    public async Task BlockUsers_OnlyRecentWriters_BlockedUsersNeitherArriveNorReceive()
    {
        const string User = "4915177770001";
        var notYet = await SendRawAsync(HttpMethod.Post, "/block_users", _cloud.ApiKey,
            $$"""{"messaging_product": "whatsapp", "block_users": [{"user": "+{{User}}"}]}""");
        var refused = await GatewayServer.ReadJsonAsync(notYet, 400);
        Assert.Equal(139100, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(131047, refused.GetProperty("block_users").GetProperty("failed_users")[0].GetProperty("errors")[0].GetProperty("code").GetInt32());

        await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/sandbox/v1/inbound", _cloud.ApiKey, new { from = User, text = new { body = "spam" } }), 202);
        var blocked = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, $"/v21.0/{_cloud.PhoneNumberId}/block_users", null,
            $$"""{"messaging_product": "whatsapp", "block_users": [{"user": "+{{User}}"}]}""", bearer: _cloud.ApiKey), 200);
        Assert.Equal(User, blocked.GetProperty("block_users").GetProperty("added_users")[0].GetProperty("wa_id").GetString());

        var list = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/block_users", _cloud.ApiKey), 200);
        Assert.Equal(User, list.GetProperty("data")[0].GetProperty("wa_id").GetString());
        Assert.Equal(403, (int)(await _gateway.PostAsync("/sandbox/v1/inbound", _cloud.ApiKey, new { from = User, text = new { body = "more" } })).StatusCode);
        var send = await SendRawAsync(HttpMethod.Post, "/messages", _cloud.ApiKey, $$$"""{"messaging_product": "whatsapp", "to": "{{{User}}}", "type": "text", "text": {"body": "hi"}}""");
        Assert.Equal(131026, (await GatewayServer.ReadJsonAsync(send, 400)).GetProperty("error").GetProperty("code").GetInt32());

        var removed = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Delete, "/block_users", _cloud.ApiKey,
            $$"""{"messaging_product": "whatsapp", "block_users": [{"user": "{{User}}"}]}"""), 200);
        Assert.Equal(User, removed.GetProperty("block_users").GetProperty("removed_users")[0].GetProperty("wa_id").GetString());
        await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/messages", _cloud.ApiKey,
            $$$"""{"messaging_product": "whatsapp", "to": "{{{User}}}", "type": "text", "text": {"body": "welcome back"}}"""), 200);
    }

    // 12. Number info.

    [Fact]
    public async Task NumberInfo_AnswersTheRequestedFields_AndRefusesUnknownOnes()
    {
        var info = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get,
            $"/v21.0/{_cloud.PhoneNumberId}?fields=display_phone_number,verified_name,quality_rating,throughput", null, bearer: _cloud.ApiKey), 200);
        Assert.Equal("+" + _cloud.PhoneNumber, info.GetProperty("display_phone_number").GetString());
        Assert.Equal("Acme", info.GetProperty("verified_name").GetString());
        Assert.Equal("GREEN", info.GetProperty("quality_rating").GetString());
        Assert.Equal("STANDARD", info.GetProperty("throughput").GetProperty("level").GetString());
        Assert.Equal(_cloud.PhoneNumberId, info.GetProperty("id").GetString());
        Assert.False(info.TryGetProperty("platform_type", out _));
        await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, $"/{_cloud.PhoneNumberId}?fields=favourite_colour", null, bearer: _cloud.ApiKey), 400);
    }

    // 3. The chat view shows the new interactive types.

    [Fact]
    public async Task ChatView_RendersLocationRequestCatalogCallButtonAndCarousel()
    {
        foreach (var interactive in new[]
        {
            """{"type": "location_request_message", "body": {"text": "Where to?"}, "action": {"name": "send_location"}}""",
            """{"type": "catalog_message", "body": {"text": "Our shop"}, "action": {"name": "catalog_message"}}""",
            """{"type": "voice_call", "body": {"text": "Talk to us"}, "action": {"name": "voice_call", "parameters": {"display_text": "Call the bakery"}}}""",
            """{"type": "carousel", "body": {"text": "Picks"}, "action": {"cards": [{"card_index": 0, "header": {"type": "image", "image": {"link": "https://example.com/a.png"}}, "body": {"text": "Rye"}, "action": {"buttons": [{"type": "quick_reply", "quick_reply": {"id": "rye", "title": "Rye"}}]}}, {"card_index": 1, "header": {"type": "image", "image": {"link": "https://example.com/b.png"}}, "body": {"text": "Spelt"}, "action": {"buttons": [{"type": "quick_reply", "quick_reply": {"id": "spelt", "title": "Spelt"}}]}}]}}""",
        })
        {
            await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Post, "/messages", _cloud.ApiKey,
                $$"""{"messaging_product": "whatsapp", "to": "4915188880000", "type": "interactive", "interactive": {{interactive}}}"""), 200);
        }
        var chat = await GatewayServer.ReadJsonAsync(await SendRawAsync(HttpMethod.Get, "/sandbox/v1/chats/4915188880000", _cloud.ApiKey), 200);
        var buttons = chat.GetProperty("messages").EnumerateArray().Select(m => string.Join("|", m.GetProperty("buttons").EnumerateArray().Select(b => b.GetString()))).ToList();
        Assert.Equal("Send location", buttons[0]);
        Assert.Equal("View catalog", buttons[1]);
        Assert.Equal("Call the bakery", buttons[2]);
        Assert.Equal("[image] Rye [Rye]|[image] Spelt [Spelt]", buttons[3]);
    }

    [Fact]
    public async Task NewRoutes_AreInTheOpenApiDocument()
    {
        var document = await GatewayServer.ReadJsonAsync(await _gateway.Http.GetAsync("/openapi/v1.json", Ct), 200);
        var paths = document.GetProperty("paths");
        foreach (var path in new[]
        {
            "/whatsapp_business_profile", "/v1/settings/profile/about", "/v1/settings/profile/photo", "/v1/settings/business/profile", "/block_users",
            "/v1/health", "/whatsapp_business/attachments", "/{phoneNumberId}/messages", "/{version}/{wabaId}/message_templates", "/{objectId}",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from /openapi/v1.json");
        }
    }
}
