using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Admin;

/// <summary>Issue 7: managing WABAs, numbers and keys through the admin API.</summary>
public sealed class AdminManagementTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;

    public async ValueTask InitializeAsync() => _gateway = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private Task<HttpResponseMessage> SendAsync(TestNumber number, string key) =>
        _gateway.PostAsync("/v1/messages", key, new { to = "4915112345678", text = new { body = "Hi" } });

    [Fact]
    public async Task KeyRotation_OldKeyWorksUntilRevoked_ThenIs401AtOnce()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var second = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{number.Id}/api_keys"), 201);
        var newKey = second.GetProperty("api_key").GetString()!;
        Assert.Equal(200, (int)(await SendAsync(number, number.ApiKey)).StatusCode);
        Assert.Equal(200, (int)(await SendAsync(number, newKey)).StatusCode);

        var keys = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/api_keys"), 200);
        var listed = keys.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, k => Assert.True(k.GetProperty("active").GetBoolean()));
        Assert.DoesNotContain(number.ApiKey, keys.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(newKey, keys.GetRawText(), StringComparison.Ordinal);
        var oldId = listed.Single(k => number.ApiKey.StartsWith(k.GetProperty("prefix").GetString()!, StringComparison.Ordinal)).GetProperty("id").GetString();

        Assert.Equal(204, (int)(await _gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/phone_numbers/{number.Id}/api_keys/{oldId}")).StatusCode);
        Assert.Equal(401, (int)(await SendAsync(number, number.ApiKey)).StatusCode);
        Assert.Equal(200, (int)(await SendAsync(number, newKey)).StatusCode);
        Assert.Equal(404, (int)(await _gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/phone_numbers/{number.Id}/api_keys/{oldId}")).StatusCode);

        keys = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/api_keys"), 200);
        Assert.Single(keys.GetProperty("data").EnumerateArray(), k => !k.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Wabas_ListPagesRenameAndRemoveOnlyWhenEmpty()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _gateway.CreateWabaAsync($"W{i}"));
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/wabas?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}"), 200);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(w => w.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("next_cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Subset(seen.ToHashSet(), ids.ToHashSet());

        var renamed = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/wabas/{ids[0]}", new { name = "Renamed" }), 200);
        Assert.Equal("Renamed", renamed.GetProperty("name").GetString());

        var number = await _gateway.CreateNumberAsync("cloud", ids[0]);
        Assert.Equal(409, (int)(await _gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/wabas/{ids[0]}")).StatusCode);
        Assert.Equal(204, (int)(await _gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/phone_numbers/{number.Id}")).StatusCode);
        Assert.Equal(204, (int)(await _gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/wabas/{ids[0]}")).StatusCode);
        Assert.Equal(404, (int)(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/wabas/{ids[0]}")).StatusCode);
        Assert.Equal(404, (int)(await _gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/wabas/{ids[0]}")).StatusCode);
    }

    [Fact]
    public async Task Numbers_ListByWabaUpdateAndRemove_RemovedNumbersKeysStopAtOnce()
    {
        var waba = await _gateway.CreateWabaAsync();
        var a = await _gateway.CreateNumberAsync("cloud", waba);
        var b = await _gateway.CreateNumberAsync("on_premise", waba);
        await _gateway.CreateNumberAsync("cloud");

        var list = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers?waba_id={waba}"), 200);
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), list.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));

        Assert.Equal(400, (int)(await _gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/phone_numbers/{a.Id}", new { upstream = "pigeon" })).StatusCode);
        var updated = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/phone_numbers/{a.Id}", new { upstream = "sandbox" }), 200);
        Assert.Equal("sandbox", updated.GetProperty("upstream").GetString());

        Assert.Equal(200, (int)(await SendAsync(b, b.ApiKey)).StatusCode);
        Assert.Equal(204, (int)(await _gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/phone_numbers/{b.Id}")).StatusCode);
        Assert.Equal(401, (int)(await SendAsync(b, b.ApiKey)).StatusCode);
        Assert.Equal(404, (int)(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{b.Id}")).StatusCode);
        list = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers?waba_id={waba}"), 200);
        Assert.Equal([a.Id], list.GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task EffectiveWebhook_ShowsScopeAndHeaderNamesNotValues()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        Assert.Equal(404, (int)(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/webhook")).StatusCode);
        await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/waba_webhook", number.ApiKey,
            new { url = "http://testuser:testpass@127.0.0.1:9/hook" }), 200);

        var view = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/webhook"), 200);
        Assert.Equal("waba", view.GetProperty("scope").GetString());
        Assert.Equal("http://127.0.0.1:9/hook", view.GetProperty("url").GetString());
        Assert.Equal(["Authorization"], view.GetProperty("header_names").EnumerateArray().Select(h => h.GetString()));
        Assert.DoesNotContain("dGVzdHVzZXI6dGVzdHBhc3M=", view.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANumber_IsNamedByPhoneNumberPhoneNumberIdOrId_AndAnUnknownOneIsAnError()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        foreach (var name in new[] { number.Id, number.PhoneNumberId, number.PhoneNumber, "+" + number.PhoneNumber })
        {
            var view = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{Uri.EscapeDataString(name)}"), 200);
            Assert.Equal(number.Id, view.GetProperty("id").GetString());
            var keys = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{Uri.EscapeDataString(name)}/api_keys"), 200);
            Assert.Single(keys.GetProperty("data").EnumerateArray());
        }

        // The delivery log filtered by the phone number finds the number's events, not nothing.
        await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey,
            new { from = "4915100000077", type = "text", text = new { body = "hi" } }), 202);
        var byPhone = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id=%2B{number.PhoneNumber}"), 200);
        Assert.NotEmpty(byPhone.GetProperty("data").EnumerateArray());

        var unknown = await _gateway.AdminAsync(HttpMethod.Get, "/admin/v1/deliveries?number_id=4930999999999");
        var problem = await GatewayServer.ReadJsonAsync(unknown, 404);
        Assert.Contains("phone number, phone_number_id or id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, "/admin/v1/deliveries/replay", new { number_id = "pn_nope" }), 404);
    }

    [Theory]
    [InlineData("GET", "/admin/v1/wabas")]
    [InlineData("PATCH", "/admin/v1/wabas/1")]
    [InlineData("DELETE", "/admin/v1/phone_numbers/pn_x")]
    [InlineData("GET", "/admin/v1/phone_numbers/pn_x/api_keys")]
    [InlineData("DELETE", "/admin/v1/phone_numbers/pn_x/api_keys/key_x")]
    [InlineData("POST", "/admin/v1/deliveries/replay")]
    public async Task EveryAdminRoute_WithoutToken_Is401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(401, (int)response.StatusCode);
    }
}
