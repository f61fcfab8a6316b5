using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Numbers;

/// <summary>
/// Issue 21 (4): the calls popular clients make first — the WABA's numbers, the number's and WABA's nodes, registration,
/// verification codes, two-step PIN, settings — answered on Graph for both upstreams: Meta's own answer for <c>meta</c>
/// numbers, an honest simulation for sandbox numbers.
/// </summary>
public sealed class NumberManagementTests : IAsyncLifetime
{
    private MetaGateway _meta = null!;

    public async ValueTask InitializeAsync() => _meta = await MetaGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _meta.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GatewayServer Gateway => _meta.Gateway;

    private static readonly string[] PywaFields =
    [
        "id", "verified_name", "display_phone_number", "conversational_automation", "status", "quality_rating", "quality_score", "webhook_configuration",
        "name_status", "new_name_status", "code_verification_status", "account_mode", "is_on_biz_app", "is_official_business_account", "is_pin_enabled",
        "is_preverified_number", "messaging_limit_tier", "search_visibility", "platform_type", "throughput", "eligibility_for_api_business_global_search",
        "health_status", "certificate", "new_certificate", "last_onboarded_time",
    ];

    [Fact]
    public async Task Sandbox_NumberInfo_AnswersEveryFieldPywaAsksFor_AndRefusesAnInventedOne()
    {
        var number = await Gateway.CreateNumberAsync("cloud");
        var node = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{number.PhoneNumberId}?fields={string.Join(',', PywaFields)}", number.ApiKey), 200);
        foreach (var field in PywaFields)
        {
            Assert.True(node.TryGetProperty(field, out _), $"{field} is missing");
        }
        Assert.Equal("CONNECTED", node.GetProperty("status").GetString());
        Assert.Equal("CLOUD_API", node.GetProperty("platform_type").GetString());
        Assert.False(node.GetProperty("is_pin_enabled").GetBoolean());

        var refused = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{number.PhoneNumberId}?fields=id,shoe_size", number.ApiKey), 400);
        Assert.Contains("(shoe_size)", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sandbox_WabaNodeAndPhoneNumbers_AreMetasShape_Paged()
    {
        var first = await Gateway.CreateNumberAsync("cloud");
        await Gateway.CreateNumberAsync("cloud", first.WabaId);
        await Gateway.CreateNumberAsync("on_premise", first.WabaId);

        var waba = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{first.WabaId}", first.ApiKey), 200);
        Assert.Equal(first.WabaId, waba.GetProperty("id").GetString());
        Assert.Equal("Acme", waba.GetProperty("name").GetString());
        Assert.Matches("^[0-9a-f]{8}_", waba.GetProperty("message_template_namespace").GetString()!);

        var page = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/{first.WabaId}/phone_numbers?limit=2", first.ApiKey), 200);
        Assert.Equal(2, page.GetProperty("data").GetArrayLength());
        Assert.Equal("VERIFIED", page.GetProperty("data")[0].GetProperty("code_verification_status").GetString());
        var next = page.GetProperty("paging").GetProperty("next").GetString()!;
        var rest = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, next, first.ApiKey), 200);
        var last = Assert.Single(rest.GetProperty("data").EnumerateArray());
        Assert.Equal("ON_PREMISE", last.GetProperty("platform_type").GetString());
        Assert.False(rest.GetProperty("paging").TryGetProperty("next", out _));

        var other = await Gateway.CreateNumberAsync("cloud");
        var refused = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{other.WabaId}/phone_numbers", first.ApiKey), 400);
        Assert.Equal("GraphMethodException", refused.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Sandbox_Deregister_MakesSendsFailAsMetasDo_UntilRegisteredWithTheTwoStepPin()
    {
        var number = await Gateway.CreateNumberAsync("cloud");
        var onPremise = await Gateway.CreateNumberAsync("on_premise", number.WabaId);
        var text = """{"messaging_product":"whatsapp","to":"4915199999999","type":"template","template":{"name":"hello_world","language":{"code":"en_US"}}}""";

        Assert.True((await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}", number.ApiKey, """{"pin":"123456"}"""), 200))
            .GetProperty("success").GetBoolean());
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/deregister", number.ApiKey), 200);
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{onPremise.PhoneNumberId}/deregister", onPremise.ApiKey), 200);

        var refused = (await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, text), 400)).GetProperty("error");
        Assert.Equal(133010, refused.GetProperty("code").GetInt32());
        var onPremiseRefused = await _meta.SendAsync(HttpMethod.Post, "/v1/messages", onPremise.ApiKey, """{"to":"4915199999999","type":"text","text":{"body":"hi"}}""");
        Assert.Equal(1011, (await GatewayServer.ReadJsonAsync(onPremiseRefused, 400)).GetProperty("errors")[0].GetProperty("code").GetInt32());
        var info = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{number.PhoneNumberId}?fields=status,platform_type,is_pin_enabled", number.ApiKey), 200);
        Assert.Equal("DISCONNECTED", info.GetProperty("status").GetString());
        Assert.True(info.GetProperty("is_pin_enabled").GetBoolean());
        Assert.False((await GatewayServer.ReadJsonAsync(await Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}"), 200)).GetProperty("registered").GetBoolean());

        var wrongPin = await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/register", number.ApiKey, """{"messaging_product":"whatsapp","pin":"654321"}""");
        Assert.Equal(133005, (await GatewayServer.ReadJsonAsync(wrongPin, 400)).GetProperty("error").GetProperty("code").GetInt32());
        var badPin = await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/register", number.ApiKey, """{"messaging_product":"whatsapp","pin":"12ab"}""");
        Assert.Equal(131009, (await GatewayServer.ReadJsonAsync(badPin, 400)).GetProperty("error").GetProperty("code").GetInt32());
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/register", number.ApiKey, """{"messaging_product":"whatsapp","pin":"123456"}"""), 200);

        await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, text), 200);
        // Without a two-step PIN, the PIN given at registration becomes it.
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/{onPremise.PhoneNumberId}/register", onPremise.ApiKey, """{"messaging_product":"whatsapp","pin":"111111"}"""), 200);
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/{onPremise.PhoneNumberId}/deregister", onPremise.ApiKey), 200);
        Assert.Equal(400, (int)(await _meta.GraphAsync(HttpMethod.Post, $"/{onPremise.PhoneNumberId}/register", onPremise.ApiKey, """{"messaging_product":"whatsapp","pin":"222222"}""")).StatusCode);
    }

    [Fact]
    public async Task Sandbox_VerificationCodeAndSettings_BehaveAsDocumented()
    {
        var number = await Gateway.CreateNumberAsync("cloud");
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/request_code", number.ApiKey, """{"code_method":"SMS","language":"en_US"}"""), 200);
        Assert.Equal(400, (int)(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/request_code", number.ApiKey, """{"code_method":"PIGEON","language":"en_US"}""")).StatusCode);
        var wrong = await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/verify_code", number.ApiKey, """{"code":"123456"}""");
        Assert.Equal(136025, (await GatewayServer.ReadJsonAsync(wrong, 400)).GetProperty("error").GetProperty("code").GetInt32());
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/verify_code", number.ApiKey, """{"code":"000000"}"""), 200);

        var before = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{number.PhoneNumberId}/settings", number.ApiKey), 200);
        Assert.Equal("DISABLED", before.GetProperty("calling").GetProperty("status").GetString());
        await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/settings", number.ApiKey,
            """{"messaging_product":"whatsapp","calling":{"status":"ENABLED","call_icon_visibility":"DEFAULT"}}"""), 200);
        var after = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{number.PhoneNumberId}/settings", number.ApiKey), 200);
        Assert.Equal("ENABLED", after.GetProperty("calling").GetProperty("status").GetString());
        Assert.Equal("DEFAULT", after.GetProperty("storage_configuration").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Meta_ManagementCalls_GoToMetaWithTheNumbersToken_AndComeBackAsMetaAnswered()
    {
        var number = await _meta.NumberAsync("cloud");
        _meta.Graph.Respond = async (context, _) =>
        {
            var path = context.Request.Path.Value!;
            if (path.EndsWith("/phone_numbers", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync($$$$"""{"data":[{"verified_name":"Real Shop","display_phone_number":"+1 555-078-3881","id":"{{{{number.PhoneNumberId}}}}","quality_rating":"GREEN"}],"paging":{"cursors":{"before":"QVFI","after":"QVFJ"}}}""", Ct);
                return true;
            }
            if (path.EndsWith("/register", StringComparison.Ordinal) && context.Request.Method == "POST")
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"error":{"message":"(#133005) Two step verification PIN Mismatch","type":"OAuthException","code":133005,"error_data":{"messaging_product":"whatsapp","details":"PIN mismatch"},"fbtrace_id":"TrX"}}""", Ct);
                return true;
            }
            if (context.Request.Method == "POST" || path.EndsWith("/settings", StringComparison.Ordinal) || path.EndsWith("/subscribed_apps", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync(path.EndsWith("/subscribed_apps", StringComparison.Ordinal) && context.Request.Method == "GET"
                    ? """{"data":[{"whatsapp_business_api_data":{"id":"670843887433847","link":"https://www.facebook.com/games/?app_id=670843887433847","name":"Real App"}}]}"""
                    : path.EndsWith("/settings", StringComparison.Ordinal) && context.Request.Method == "GET" ? """{"calling":{"status":"ENABLED"}}""" : """{"success":true}""", Ct);
                return true;
            }
            if (path == $"/v26.0/{MetaGateway.MetaWabaId}")
            {
                await context.Response.WriteAsync($$"""{"id":"{{MetaGateway.MetaWabaId}}","name":"Real WABA","currency":"EUR"}""", Ct);
                return true;
            }
            return false;
        };

        var numbers = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v22.0/{number.WabaId}/phone_numbers?fields=verified_name", number.ApiKey), 200);
        Assert.Equal("Real Shop", numbers.GetProperty("data")[0].GetProperty("verified_name").GetString());
        Assert.Contains(_meta.Graph.Calls, c => c.Path == $"/v26.0/{MetaGateway.MetaWabaId}/phone_numbers?fields=verified_name" && c.Authorization == $"Bearer {MetaGateway.Token}");
        var waba = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/{number.WabaId}?fields=name,currency", number.ApiKey), 200);
        Assert.Equal("EUR", waba.GetProperty("currency").GetString());
        Assert.Equal("Real App", (await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/{number.WabaId}/subscribed_apps", number.ApiKey), 200))
            .GetProperty("data")[0].GetProperty("whatsapp_business_api_data").GetProperty("name").GetString());

        var register = await _meta.GraphAsync(HttpMethod.Post, $"/v26.0/{number.PhoneNumberId}/register", number.ApiKey, """{"messaging_product":"whatsapp","pin":"123456"}""");
        var error = (await GatewayServer.ReadJsonAsync(register, 400)).GetProperty("error");
        Assert.Equal(133005, error.GetProperty("code").GetInt32());
        Assert.Equal("TrX", error.GetProperty("fbtrace_id").GetString());
        Assert.Equal("123456", JsonNode.Parse(_meta.Graph.LastBody("POST", $"/v26.0/{number.PhoneNumberId}/register")!)!["pin"]!.GetValue<string>());

        foreach (var (path, body) in new[]
        {
            ("deregister", ""), ("request_code", """{"code_method":"SMS","language":"en_US"}"""), ("verify_code", """{"code":"777777"}"""),
            ("settings", """{"calling":{"status":"ENABLED"}}"""), ("", """{"pin":"654321"}"""),
        })
        {
            var target = path.Length == 0 ? $"/v26.0/{number.PhoneNumberId}" : $"/v26.0/{number.PhoneNumberId}/{path}";
            var answer = await _meta.GraphAsync(HttpMethod.Post, target, number.ApiKey, body.Length == 0 ? null : body);
            Assert.True((await GatewayServer.ReadJsonAsync(answer, 200)).GetProperty("success").GetBoolean(), target);
            Assert.Equal(body, _meta.Graph.LastBody("POST", target));
        }
        Assert.Equal("ENABLED", (await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/{number.PhoneNumberId}/settings", number.ApiKey), 200))
            .GetProperty("calling").GetProperty("status").GetString());
    }
}
