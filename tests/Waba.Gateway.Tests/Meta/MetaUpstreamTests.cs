using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Waba.Gateway.Tests.Dialects;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>Issue 6 (upstream meta): what the gateway forwards to Meta, and how Meta's answers come back.</summary>
public sealed class MetaUpstreamTests : IAsyncLifetime
{
    private const string Token = "EAAG-system-user-token-for-tests";
    private FakeGraph _graph = null!;
    private GatewayServer _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Meta:BaseUrl"] = _graph.BaseUrl,
            ["Meta:GraphVersion"] = "v21.0",
            ["Meta:TokenEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Meta:Timeout"] = "500ms",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private async Task<(TestNumber Number, string MetaId)> MetaNumberAsync(string hosting)
    {
        var wabaId = await _gateway.CreateWabaAsync();
        var metaId = "10" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) + "0001";
        var created = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers", new
        {
            phone_number = "4915" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            hosting_type = hosting,
            upstream = "meta",
            meta_phone_number_id = metaId,
            meta_waba_id = "102290129340398",
            access_token = Token,
        }), 201);
        Assert.Equal(metaId, created.GetProperty("phone_number_id").GetString());
        Assert.DoesNotContain(Token, created.GetRawText(), StringComparison.Ordinal);
        var id = created.GetProperty("id").GetString()!;
        var key = (await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{id}/api_keys"), 201)).GetProperty("api_key").GetString()!;
        return (new TestNumber(id, metaId, wabaId, "", key), metaId);
    }

    public static TheoryData<string, string> ValidCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in MessageTypeValidationTests.Cases)
        {
            if (row.Data.Item3 == "ok")
            {
                data.Add(row.Data.Item1, row.Data.Item2);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public async Task EveryMessageType_BothDialects_IsForwardedToMetaInTheCloudShape(string type, string members)
    {
        foreach (var hosting in new[] { "cloud", "on_premise" })
        {
            var (number, metaId) = await MetaNumberAsync(hosting);
            var body = hosting == "cloud"
                ? $$"""{"messaging_product": "whatsapp", "to": "4915112345678", "type": "{{type}}", {{members}}}"""
                : $$"""{"to": "4915112345678", "type": "{{type}}", {{members}}}""";
            _graph.Calls.Clear();

            var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, hosting == "cloud" ? "/messages" : "/v1/messages", number.ApiKey, rawBody: body),
                TestContext.Current.CancellationToken);

            Assert.StartsWith("wamid.FROM-META-", (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("messages")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
            var call = Assert.Single(_graph.Calls);
            Assert.Equal("POST", call.Method);
            Assert.Equal($"/v21.0/{metaId}/messages", call.Path);
            Assert.Equal($"Bearer {Token}", call.Authorization);
            var expected = JsonNode.Parse(body)!.AsObject();
            expected["messaging_product"] = "whatsapp";
            var forwarded = call.Body[(call.Body.IndexOf('\n', StringComparison.Ordinal) + 1)..];
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(forwarded)), $"forwarded {forwarded}");
        }
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task MetasRefusal_ComesBackWithItsCodeMessageAndTrace(string hosting)
    {
        var (number, _) = await MetaNumberAsync(hosting);
        _graph.Mode = "error";
        var response = await _gateway.PostAsync(hosting == "cloud" ? "/messages" : "/v1/messages", number.ApiKey,
            new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "hi" } });
        var body = await GatewayServer.ReadJsonAsync(response, 400);
        if (hosting == "cloud")
        {
            var error = body.GetProperty("error");
            Assert.Equal(131030, error.GetProperty("code").GetInt32());
            Assert.Equal("(#131030) Recipient phone number not in allowed list", error.GetProperty("message").GetString());
            Assert.Equal("AbCdEfGh123", error.GetProperty("fbtrace_id").GetString());
        }
        else
        {
            var error = body.GetProperty("errors")[0];
            Assert.Equal(131030, error.GetProperty("code").GetInt32());
            Assert.StartsWith("Recipient phone number not in allowed list", error.GetProperty("details").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("down", 502)]
    [InlineData("slow", 504)]
    public async Task MetaDownOrSlow_IsNotRetried_AndAnswers502Or504(string mode, int status)
    {
        var (number, _) = await MetaNumberAsync("cloud");
        _graph.Mode = mode;
        _graph.Calls.Clear();
        var response = await _gateway.PostAsync("/messages", number.ApiKey, new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "hi" } });
        Assert.Equal(status, (int)response.StatusCode);
        Assert.True((await GatewayServer.ReadJsonAsync(response, status)).TryGetProperty("error", out _));
        Assert.Single(_graph.Calls); // a retry could send the message twice
    }

    [Fact]
    public async Task Media_IsProxiedThroughMeta_UploadMetadataDownloadDelete()
    {
        var (number, metaId) = await MetaNumberAsync("cloud");
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.ASCII.GetBytes("JPEG-BYTES"));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        form.Add(new StringContent("whatsapp"), "messaging_product");
        form.Add(new StringContent("image/jpeg"), "type");
        form.Add(file, "file", "a.jpg");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/media") { Content = form };
        upload.Headers.Add("D360-API-KEY", number.ApiKey);
        var id = (await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(upload, TestContext.Current.CancellationToken), 200)).GetProperty("id").GetString();
        Assert.Equal("7777000011112222", id);
        var uploadCall = _graph.Calls.Single(c => c.Path == $"/v21.0/{metaId}/media");
        Assert.StartsWith("multipart/form-data", uploadCall.Body, StringComparison.Ordinal);
        Assert.Contains("JPEG-BYTES", uploadCall.Body, StringComparison.Ordinal);
        Assert.Equal($"Bearer {Token}", uploadCall.Authorization);

        _graph.FailNextReads = 1; // a read is retried: it cannot do anything twice
        var metadata = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, $"/{id}", number.ApiKey), TestContext.Current.CancellationToken), 200);
        Assert.Equal(2, _graph.Calls.Count(c => c.Method == "GET" && c.Path == $"/v21.0/{id}"));
        // 360dialog's recipe (issue 11): the lookaside URL with its host swapped for the gateway's base URL.
        var url = metadata.GetProperty("url").GetString()!;
        Assert.StartsWith("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=", url, StringComparison.Ordinal);
        Assert.Equal("abc123", metadata.GetProperty("sha256").GetString());
        var download = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, url.Replace("https://lookaside.fbsbx.com", "", StringComparison.Ordinal), number.ApiKey),
            TestContext.Current.CancellationToken);
        Assert.Equal("JPEG-BYTES", await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var deleted = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Delete, $"/{id}", number.ApiKey), TestContext.Current.CancellationToken);
        Assert.True((await GatewayServer.ReadJsonAsync(deleted, 200)).GetProperty("success").GetBoolean());
        Assert.Contains(_graph.Calls, c => c.Method == "DELETE" && c.Path == $"/v21.0/{id}");
    }

    [Fact]
    public async Task Templates_AreListedCreatedAndDeletedThroughTheWabasEdge()
    {
        var (number, _) = await MetaNumberAsync("on_premise");
        var list = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/v1/configs/templates", number.ApiKey), TestContext.Current.CancellationToken), 200);
        var template = Assert.Single(list.GetProperty("waba_templates").EnumerateArray());
        Assert.Equal("shipping", template.GetProperty("name").GetString());
        Assert.Equal("approved", template.GetProperty("status").GetString());

        var created = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/v1/configs/templates", number.ApiKey,
            new { name = "welcome", language = "en_US", category = "MARKETING", components = new[] { new { type = "BODY", text = "Hi {{1}}" } } }), 200);
        Assert.Equal("pending", created.GetProperty("status").GetString());
        var submitted = _graph.Calls.Single(c => c.Method == "POST" && c.Path == "/v21.0/102290129340398/message_templates");
        Assert.Contains("\"welcome\"", submitted.Body, StringComparison.Ordinal);

        using var delete = GatewayServer.Request(HttpMethod.Delete, "/v1/configs/templates/welcome", number.ApiKey);
        Assert.Equal(200, (int)(await _gateway.Http.SendAsync(delete, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains(_graph.Calls, c => c.Method == "DELETE" && c.Path == "/v21.0/102290129340398/message_templates?name=welcome");
    }

    /// <summary>Issue 11: the rest of the Cloud API surface reaches Meta with the number's token, in every dialect that has it.</summary>
    [Fact]
    public async Task ProfileBlockUsersNumberInfoAndGraphTemplates_AreAnsweredByMeta()
    {
        var (onPremise, onPremiseMetaId) = await MetaNumberAsync("on_premise");
        var about = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/v1/settings/profile/about", onPremise.ApiKey), Ct), 200);
        Assert.Equal("From Meta", about.GetProperty("settings").GetProperty("profile").GetProperty("about").GetProperty("text").GetString());
        Assert.Contains(_graph.Calls, c => c.Method == "GET" && c.Path == $"/v21.0/{onPremiseMetaId}/whatsapp_business_profile?fields=about" && c.Authorization == $"Bearer {Token}");
        await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Patch, "/v1/settings/profile/about", onPremise.ApiKey,
            rawBody: """{"text": "Open late"}"""), Ct), 200);
        var patched = _graph.Calls.Last(c => c.Method == "POST" && c.Path == $"/v21.0/{onPremiseMetaId}/whatsapp_business_profile");
        Assert.Contains("\"about\":\"Open late\"", patched.Body, StringComparison.Ordinal);
        Assert.Contains("\"messaging_product\":\"whatsapp\"", patched.Body, StringComparison.Ordinal);

        var (cloud, cloudMetaId) = await MetaNumberAsync("cloud");
        var profile = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/whatsapp_business_profile?fields=about,vertical", cloud.ApiKey), Ct), 200);
        Assert.Equal("RETAIL", profile.GetProperty("data")[0].GetProperty("vertical").GetString());

        var block = """{"messaging_product": "whatsapp", "block_users": [{"user": "+16505551234"}]}""";
        var blocked = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/block_users", cloud.ApiKey, rawBody: block), Ct), 200);
        Assert.Equal("16505551234", blocked.GetProperty("block_users").GetProperty("added_users")[0].GetProperty("wa_id").GetString());
        var blockCall = _graph.Calls.Single(c => c.Method == "POST" && c.Path == $"/v21.0/{cloudMetaId}/block_users");
        Assert.Contains("+16505551234", blockCall.Body, StringComparison.Ordinal);

        var info = new HttpRequestMessage(HttpMethod.Get, $"/v21.0/{cloudMetaId}?fields=verified_name,quality_rating");
        info.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", cloud.ApiKey);
        var node = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(info, Ct), 200);
        Assert.Equal("Real Shop", node.GetProperty("verified_name").GetString());
        Assert.Contains(_graph.Calls, c => c.Path == $"/v21.0/{cloudMetaId}?fields=verified_name,quality_rating");

        var templates = new HttpRequestMessage(HttpMethod.Get, $"/v21.0/{cloud.WabaId}/message_templates?limit=5");
        templates.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", cloud.ApiKey);
        var list = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(templates, Ct), 200);
        Assert.Equal("shipping", list.GetProperty("data")[0].GetProperty("name").GetString());
        Assert.Contains(_graph.Calls, c => c.Method == "GET" && c.Path == "/v21.0/102290129340398/message_templates?limit=5");
    }

    /// <summary>Issue 11: biz_opaque_callback_data and the new interactive types reach Meta untouched, from either dialect.</summary>
    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task CallbackData_IsForwardedToMeta(string hosting)
    {
        var (number, metaId) = await MetaNumberAsync(hosting);
        _graph.Calls.Clear();
        var product = hosting == "cloud" ? "\"messaging_product\": \"whatsapp\", " : "";
        var body = "{" + product + """ "to": "4915112345678", "type": "interactive", "interactive": {"type": "location_request_message", "body": {"text": "Where?"}, "action": {"name": "send_location"}}, "biz_opaque_callback_data": "order-42"}""";
        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, hosting == "cloud" ? "/messages" : "/v1/messages", number.ApiKey, rawBody: body), Ct);
        await GatewayServer.ReadJsonAsync(response, 200);
        var forwarded = JsonNode.Parse(_graph.Calls.Single(c => c.Path == $"/v21.0/{metaId}/messages").Body.Split('\n', 2)[1])!;
        Assert.Equal("order-42", forwarded["biz_opaque_callback_data"]!.GetValue<string>());
        Assert.Equal("send_location", forwarded["interactive"]!["action"]!["name"]!.GetValue<string>());
    }

    /// <summary>Issue 15: a send by BSUID reaches Meta with its recipient untouched, from either dialect.</summary>
    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task SendByBsuid_IsForwardedWithItsRecipient(string hosting)
    {
        var (number, metaId) = await MetaNumberAsync(hosting);
        _graph.Calls.Clear();
        var product = hosting == "cloud" ? "\"messaging_product\": \"whatsapp\", " : "";
        var body = "{" + product + """ "recipient": "US.ENT.11815799212886844830", "type": "text", "text": {"body": "hi"}}""";
        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, hosting == "cloud" ? "/messages" : "/v1/messages", number.ApiKey, rawBody: body), Ct);
        await GatewayServer.ReadJsonAsync(response, 200);
        var forwarded = JsonNode.Parse(_graph.Calls.Single(c => c.Path == $"/v21.0/{metaId}/messages").Body.Split('\n', 2)[1])!;
        Assert.Equal("US.ENT.11815799212886844830", forwarded["recipient"]!.GetValue<string>());
        Assert.Null(forwarded["to"]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccessToken_IsStoredEncrypted()
    {
        await MetaNumberAsync("cloud");
        var database = await File.ReadAllBytesAsync(Path.Combine(_gateway.Folder, "gateway.db"), TestContext.Current.CancellationToken);
        var wal = Path.Combine(_gateway.Folder, "gateway.db-wal");
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal, TestContext.Current.CancellationToken) : [];
        var token = Encoding.UTF8.GetBytes(Token);
        Assert.Equal(-1, database.AsSpan().IndexOf(token));
        Assert.Equal(-1, walBytes.AsSpan().IndexOf(token));
    }

    /// <summary>Issue 21: a token is rotated in place; the next call to Meta carries the new one, and it is never shown.</summary>
    [Fact]
    public async Task AccessToken_IsReplacedByPatch_AndTheNextCallCarriesTheNewOne()
    {
        var (number, metaId) = await MetaNumberAsync("cloud");
        var patched = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/phone_numbers/{number.Id}",
            new { access_token = "EAAG-rotated-token" }), 200);
        Assert.DoesNotContain("EAAG-rotated-token", patched.GetRawText(), StringComparison.Ordinal);
        _graph.Calls.Clear();

        await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", number.ApiKey, new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "hi" } }), 200);

        Assert.Equal("Bearer EAAG-rotated-token", _graph.Calls.Single(c => c.Path == $"/v21.0/{metaId}/messages").Authorization);
        var sandbox = await _gateway.CreateNumberAsync("cloud");
        Assert.Equal(400, (int)(await _gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/phone_numbers/{sandbox.Id}", new { access_token = "x" })).StatusCode);
    }

    [Fact]
    public async Task MetaNumber_WithoutCredentials_IsRefused()
    {
        var wabaId = await _gateway.CreateWabaAsync();
        var response = await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers",
            new { phone_number = "4915100012345", hosting_type = "cloud", upstream = "meta" });
        var problem = await GatewayServer.ReadJsonAsync(response, 400);
        Assert.Contains("access_token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
