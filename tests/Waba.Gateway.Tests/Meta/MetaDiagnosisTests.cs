using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>
/// Issue 21 (★ waba doctor): one call that checks a <c>meta</c> number's setup at Meta — a healthy setup passes, and each
/// broken one is named with what to do.
/// </summary>
public sealed class MetaDiagnosisTests : IAsyncLifetime
{
    private const string AppId = "670843887433847";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>What the fake Meta says about the setup; each test breaks one thing.</summary>
    private sealed class Setup
    {
        public bool TokenValid { get; set; } = true;
        public long TokenExpiresAt { get; set; }
        public string[] Scopes { get; set; } = ["whatsapp_business_messaging", "whatsapp_business_management"];
        public string[] Targets { get; set; } = [MetaGateway.MetaWabaId];
        public string Platform { get; set; } = "CLOUD_API";
        public string NameStatus { get; set; } = "APPROVED";
        public bool Subscribed { get; set; } = true;
        public string? OverrideCallback { get; set; }
        public string Callback { get; set; } = "https://wa.example.com/meta/webhook";
        public string[] Fields { get; set; } = ["messages", "account_update"];
        public bool AppSecretRight { get; set; } = true;
    }

    private readonly Setup _setup = new();
    private MetaGateway _meta = null!;
    private readonly FakeTimeProvider _time = new(Now);

    public async ValueTask InitializeAsync() => await StartAsync(new Dictionary<string, string> { ["Meta:PublicUrl"] = "https://wa.example.com" });

    private async Task StartAsync(Dictionary<string, string> settings)
    {
        if (_meta is not null)
        {
            await _meta.DisposeAsync();
        }
        _meta = await MetaGateway.StartAsync(settings, services => services.AddSingleton<TimeProvider>(_time));
        _meta.Graph.Respond = RespondAsync;
    }

    public async ValueTask DisposeAsync() => await _meta.DisposeAsync();

    private async Task<bool> RespondAsync(HttpContext context, string body)
    {
        var path = context.Request.Path.Value!;
        var s = _setup;
        string? answer = null;
        if (path.EndsWith("/debug_token", StringComparison.Ordinal))
        {
            answer = s.TokenValid
                ? JsonSerializer.Serialize(new
                {
                    data = new
                    {
                        app_id = AppId, type = "SYSTEM_USER", application = "Real App", expires_at = s.TokenExpiresAt, is_valid = true, scopes = s.Scopes,
                        granular_scopes = s.Scopes.Select(scope => new { scope, target_ids = s.Targets }),
                    },
                })
                : JsonSerializer.Serialize(new { data = new { app_id = AppId, is_valid = false, error = new { code = 190, message = "Session has expired on Friday." }, scopes = Array.Empty<string>() } });
        }
        else if (path.EndsWith("/subscribed_apps", StringComparison.Ordinal))
        {
            answer = s.Subscribed
                ? JsonSerializer.Serialize(new { data = new[] { new { whatsapp_business_api_data = new { id = AppId, link = "x", name = "Real App" }, override_callback_uri = s.OverrideCallback } } })
                : """{"data":[]}""";
        }
        else if (path.EndsWith($"/{AppId}/subscriptions", StringComparison.Ordinal))
        {
            if (!s.AppSecretRight)
            {
                context.Response.StatusCode = 400;
                answer = """{"error":{"message":"Invalid OAuth access token signature.","type":"OAuthException","code":190,"fbtrace_id":"T"}}""";
            }
            else
            {
                Assert.Equal($"Bearer {AppId}|{MetaGateway.AppSecret}", context.Request.Headers.Authorization.ToString());
                answer = JsonSerializer.Serialize(new { data = new[] { new { @object = "whatsapp_business_account", callback_url = s.Callback, active = true,
                    fields = s.Fields.Select(name => new { name, version = "v26.0" }) } } });
            }
        }
        else if (context.Request.Query.ContainsKey("fields"))
        {
            answer = JsonSerializer.Serialize(new
            {
                status = s.Platform == "CLOUD_API" ? "CONNECTED" : "PENDING", platform_type = s.Platform, code_verification_status = "VERIFIED",
                name_status = s.NameStatus, verified_name = "Real Shop", display_phone_number = "+1 555-078-3881", quality_rating = "GREEN", id = "1",
            });
        }
        if (answer is null)
        {
            return false;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer);
        return true;
    }

    private async Task<Dictionary<string, JsonElement>> DiagnoseAsync(TestNumber number, bool healthy)
    {
        var answer = await GatewayServer.ReadJsonAsync(await _meta.Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/diagnosis"), 200);
        var checks = answer.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.True(healthy == answer.GetProperty("healthy").GetBoolean(), string.Join("\n", checks.Values.Select(c => c.GetRawText())));
        return checks;
    }

    private static void Assert_(Dictionary<string, JsonElement> checks, string name, string status, string? says = null)
    {
        Assert.True(checks.TryGetValue(name, out var check), $"no check {name}");
        Assert.True(status == check.GetProperty("status").GetString(), check.GetRawText());
        if (says is not null)
        {
            Assert.Contains(says, check.GetProperty("summary").GetString(), StringComparison.Ordinal);
        }
        if (status is "error" or "warning")
        {
            Assert.False(string.IsNullOrEmpty(check.GetProperty("fix").GetString()), $"{name} says what to do");
        }
    }

    /// <summary>What a working integration has done by the time it is checked: Meta verified the callback and sent a webhook.</summary>
    private async Task<TestNumber> WorkingNumberAsync()
    {
        var number = await _meta.NumberAsync("cloud");
        Assert.Equal(200, (int)(await _meta.Gateway.Http.GetAsync($"/meta/webhook?hub.mode=subscribe&hub.verify_token={MetaGateway.VerifyToken}&hub.challenge=7", TestContext.Current.CancellationToken)).StatusCode);
        await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", "wamid.D1", "hi")));
        return number;
    }

    [Fact]
    public async Task AHealthySetup_PassesEveryCheck()
    {
        var number = await WorkingNumberAsync();
        var checks = await DiagnoseAsync(number, healthy: true);
        foreach (var name in new[] { "access_token", "token_scopes", "number_registered", "display_name", "app_subscribed", "webhook_callback", "verify_token", "app_secret", "last_webhook", "graph_version" })
        {
            Assert_(checks, name, "ok");
        }
        Assert.DoesNotContain(MetaGateway.Token, string.Join("", _meta.Graph.Calls.Where(c => c.Path.Contains("subscriptions", StringComparison.Ordinal)).Select(c => c.Authorization)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidToken_IsNamed()
    {
        var number = await WorkingNumberAsync();
        _setup.TokenValid = false;
        Assert_(await DiagnoseAsync(number, healthy: false), "access_token", "error", "Session has expired");
    }

    [Fact]
    public async Task ATokenAboutToExpire_IsAWarning_AndAnExpiredOneAnError()
    {
        var number = await WorkingNumberAsync();
        _setup.TokenExpiresAt = Now.AddDays(2).ToUnixTimeSeconds();
        Assert_(await DiagnoseAsync(number, healthy: true), "access_token", "warning", "expires");
        _setup.TokenExpiresAt = Now.AddHours(-1).ToUnixTimeSeconds();
        Assert_(await DiagnoseAsync(number, healthy: false), "access_token", "error");
    }

    [Fact]
    public async Task AMissingScope_OrAnotherWaba_IsNamed()
    {
        var number = await WorkingNumberAsync();
        _setup.Scopes = ["whatsapp_business_management"];
        Assert_(await DiagnoseAsync(number, healthy: false), "token_scopes", "error", "whatsapp_business_messaging");
        _setup.Scopes = ["whatsapp_business_messaging", "whatsapp_business_management"];
        _setup.Targets = ["999999999999999"];
        Assert_(await DiagnoseAsync(number, healthy: false), "token_scopes", "error", MetaGateway.MetaWabaId);
    }

    [Fact]
    public async Task AnUnregisteredNumber_AndAPendingDisplayName_AreNamed()
    {
        var number = await WorkingNumberAsync();
        _setup.Platform = "NOT_APPLICABLE";
        _setup.NameStatus = "DECLINED";
        var checks = await DiagnoseAsync(number, healthy: false);
        Assert_(checks, "number_registered", "error", "not registered");
        Assert_(checks, "display_name", "error", "DECLINED");
    }

    [Fact]
    public async Task AnAppNotSubscribedToTheWaba_OrOverridingTheCallback_IsNamed()
    {
        var number = await WorkingNumberAsync();
        _setup.Subscribed = false;
        Assert_(await DiagnoseAsync(number, healthy: false), "app_subscribed", "error", "not subscribed");
        _setup.Subscribed = true;
        _setup.OverrideCallback = "https://old-bsp.example/hook";
        Assert_(await DiagnoseAsync(number, healthy: false), "app_subscribed", "error", "old-bsp.example");
    }

    [Fact]
    public async Task ACallbackElsewhere_OrWithoutTheMessagesField_IsNamed()
    {
        var number = await WorkingNumberAsync();
        _setup.Callback = "https://someone-else.example/meta/webhook";
        Assert_(await DiagnoseAsync(number, healthy: false), "webhook_callback", "error", "someone-else.example");
        _setup.Callback = "https://wa.example.com/meta/webhook";
        _setup.Fields = ["account_update"];
        Assert_(await DiagnoseAsync(number, healthy: false), "webhook_callback", "error", "messages field");
    }

    [Fact]
    public async Task AWrongAppSecret_IsNamed_FromMetasRefusalAndTheRefusedWebhooks()
    {
        var number = await WorkingNumberAsync();
        _setup.AppSecretRight = false;
        Assert_(await DiagnoseAsync(number, healthy: false), "app_secret", "error", "refused the app token");

        _setup.AppSecretRight = true;
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(401, (int)(await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", "wamid.D2", "x")), "another-apps-secret")).StatusCode);
        Assert_(await DiagnoseAsync(number, healthy: false), "app_secret", "error", "was refused");
    }

    [Fact]
    public async Task AWrongVerifyToken_IsNamed()
    {
        var number = await WorkingNumberAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(403, (int)(await _meta.Gateway.Http.GetAsync("/meta/webhook?hub.mode=subscribe&hub.verify_token=typo&hub.challenge=7", TestContext.Current.CancellationToken)).StatusCode);
        Assert_(await DiagnoseAsync(number, healthy: false), "verify_token", "error", "refused");
    }

    [Fact]
    public async Task NothingFromMetaYet_AndAQuietWeek_AreWarnings()
    {
        var number = await _meta.NumberAsync("cloud");
        var checks = await DiagnoseAsync(number, healthy: true);
        Assert_(checks, "last_webhook", "warning");
        Assert_(checks, "verify_token", "warning");
        Assert_(checks, "app_secret", "ok", "accepts the app token");

        await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", "wamid.D3", "hi")));
        Assert_(await DiagnoseAsync(number, healthy: true), "last_webhook", "ok");
        _time.Advance(TimeSpan.FromDays(8));
        Assert_(await DiagnoseAsync(number, healthy: true), "last_webhook", "warning");
    }

    [Theory]
    [InlineData("v21.0", "warning")]
    [InlineData("v20.0", "error")]
    [InlineData("v25.0", "ok")]
    public async Task AGraphVersionNearOrPastItsEnd_IsNamed(string version, string status)
    {
        await StartAsync(new Dictionary<string, string> { ["Meta:PublicUrl"] = "https://wa.example.com", ["Meta:GraphVersion"] = version });
        var number = await WorkingNumberAsync();
        var answer = await GatewayServer.ReadJsonAsync(await _meta.Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/diagnosis"), 200);
        var check = answer.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "graph_version");
        Assert.Equal(status, check.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ASandboxNumber_HasNothingAtMetaToCheck()
    {
        var number = await _meta.Gateway.CreateNumberAsync("cloud");
        var checks = await DiagnoseAsync(number, healthy: true);
        Assert_(checks, "upstream", "ok", "sandbox");
    }
}
