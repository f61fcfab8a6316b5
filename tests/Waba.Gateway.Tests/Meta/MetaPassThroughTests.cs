using System.Text.Json.Nodes;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>
/// Issue 21 (5): on a <c>meta</c> number Meta is the authority on what the gateway does not know — groups, new interactive
/// kinds, message types added later — while known kinds keep the gateway's checks; the sandbox refuses what it cannot simulate.
/// </summary>
public sealed class MetaPassThroughTests : IAsyncLifetime
{
    private MetaGateway _meta = null!;

    public async ValueTask InitializeAsync() => _meta = await MetaGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _meta.DisposeAsync();

    public static TheoryData<string, string> Unknown => new()
    {
        { "group", """{"messaging_product":"whatsapp","recipient_type":"group","to":"120363044444444444","type":"text","text":{"body":"hello all"}}""" },
        { "order_details", """{"messaging_product":"whatsapp","to":"4915112345678","type":"interactive","interactive":{"type":"order_details","body":{"text":"Your order"},"action":{"name":"review_and_pay","parameters":{"reference_id":"r1","type":"digital-goods","currency":"INR","total_amount":{"value":100,"offset":100},"order":{"status":"pending","items":[],"subtotal":{"value":100,"offset":100}}}}}}""" },
        { "address_message", """{"messaging_product":"whatsapp","to":"4915112345678","type":"interactive","interactive":{"type":"address_message","body":{"text":"Where to?"},"action":{"name":"address_message","parameters":{"country":"IN"}}}}""" },
        { "new type", """{"messaging_product":"whatsapp","to":"4915112345678","type":"hologram","hologram":{"id":"1"}}""" },
    };

    [Theory]
    [MemberData(nameof(Unknown))]
    public async Task WhatTheGatewayDoesNotKnow_GoesToMeta_AndMetasAnswerComesBack(string kind, string body)
    {
        var number = await _meta.NumberAsync("cloud");
        var response = await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, body);

        Assert.Equal(200, (int)response.StatusCode);
        var forwarded = JsonNode.Parse(_meta.Graph.LastBody("POST", $"/v26.0/{number.PhoneNumberId}/messages")!)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), forwarded), $"{kind}: Meta got {forwarded}");

        _meta.Graph.Mode = "error";
        var refused = await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, body), 400);
        Assert.Equal(131030, refused.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("graph")]
    [InlineData("on_premise")]
    public async Task WhatTheGatewayDoesNotKnow_GoesToMeta_FromTheGraphAndOnPremiseDialectsToo(string dialect)
    {
        var number = await _meta.NumberAsync(dialect == "graph" ? "cloud" : "on_premise");
        var body = """{"to":"4915112345678","type":"interactive","interactive":{"type":"order_status","body":{"text":"Shipped"},"action":{"name":"review_order","parameters":{"reference_id":"r1","order":{"status":"shipped"}}}}}""";
        var response = dialect == "graph"
            ? await _meta.GraphAsync(HttpMethod.Post, $"/v24.0/{number.PhoneNumberId}/messages", number.ApiKey, """{"messaging_product":"whatsapp",""" + body[1..])
            : await _meta.SendAsync(HttpMethod.Post, "/v1/messages", number.ApiKey, body);

        var answer = await GatewayServer.ReadJsonAsync(response, 200);
        Assert.StartsWith("wamid.FROM-META-", answer.GetProperty("messages")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        var forwarded = JsonNode.Parse(_meta.Graph.LastBody("POST", $"/v26.0/{number.PhoneNumberId}/messages")!)!;
        Assert.Equal("whatsapp", forwarded["messaging_product"]!.GetValue<string>());
        Assert.Equal("order_status", forwarded["interactive"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Unknown))]
    public async Task WhatTheSandboxCannotSimulate_IsRefused(string kind, string body)
    {
        var number = await _meta.Gateway.CreateNumberAsync("cloud");
        var error = (await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, body), 400)).GetProperty("error");
        Assert.True(error.GetProperty("code").GetInt32() is 131009 or 131051, $"{kind}: {error}");
    }

    [Fact]
    public async Task AKnownKind_KeepsTheGatewaysCheck_OnAMetaNumberToo()
    {
        var number = await _meta.NumberAsync("cloud");
        var tooManyButtons = """{"messaging_product":"whatsapp","to":"4915112345678","type":"interactive","interactive":{"type":"button","body":{"text":"Pick"},"action":{"buttons":[{"type":"reply","reply":{"id":"1","title":"a"}},{"type":"reply","reply":{"id":"2","title":"b"}},{"type":"reply","reply":{"id":"3","title":"c"}},{"type":"reply","reply":{"id":"4","title":"d"}}]}}}""";

        var error = (await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey, tooManyButtons), 400)).GetProperty("error");

        Assert.Equal(131009, error.GetProperty("code").GetInt32());
        Assert.DoesNotContain(_meta.Graph.Calls, c => c.Path.EndsWith("/messages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOnPremiseOnlyBody_KeepsItsError_OverMeta()
    {
        var number = await _meta.NumberAsync("on_premise");
        var response = await _meta.SendAsync(HttpMethod.Post, "/v1/messages", number.ApiKey,
            """{"to":"4915112345678","type":"hsm","hsm":{"namespace":"x","element_name":"y","language":{"code":"en"},"localizable_params":[]}}""");
        Assert.Equal(501, (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("errors")[0].GetProperty("code").GetInt32());
    }
}
