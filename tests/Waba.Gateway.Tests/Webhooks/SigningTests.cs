using System.Security.Cryptography;
using System.Text;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Webhooks;

/// <summary>A receiver verifies our signatures the way its own code would: HMACs computed here, not by the gateway's code.</summary>
public sealed class SigningTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static bool StandardSignatureVerifies(ReceivedWebhook webhook, string secret, string signature)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        using var hmac = new HMACSHA256(key);
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(
            Encoding.UTF8.GetBytes($"{webhook.Headers["webhook-id"]}.{webhook.Headers["webhook-timestamp"]}.{webhook.Body}")));
        return expected == signature;
    }

    private static string HubSignature(string body, string secret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return "sha256=" + Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(body))).ToLowerInvariant();
    }

    private async Task<string> SetWebhookAsync(string path, TestNumber number, string url, bool rotate = false)
    {
        var body = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync(path, number.ApiKey, new { url, rotate_secret = rotate }), 200);
        return body.TryGetProperty("signing_secret", out var secret) ? secret.GetString()! : "";
    }

    [Fact]
    public async Task CloudEvent_CarriesStandardAndHubSignaturesOfTheExactBody()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        var secret = await SetWebhookAsync("/waba_webhook", number, _receiver.Url());
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);

        await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "sign me: ä 😀 <&>" } });

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        var timestamp = long.Parse(webhook.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -5, 60);
        Assert.True(StandardSignatureVerifies(webhook, secret, webhook.Headers["webhook-signature"]));
        Assert.Equal(HubSignature(webhook.Body, secret), webhook.Headers["x-hub-signature-256"]);
    }

    [Fact]
    public async Task OnPremiseEvent_CarriesStandardSignatureOnly()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var secret = await SetWebhookAsync("/v1/configs/webhook", number, _receiver.Url());

        await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "hi" } });

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        Assert.True(StandardSignatureVerifies(webhook, secret, webhook.Headers["webhook-signature"]));
        Assert.False(webhook.Headers.ContainsKey("x-hub-signature-256"));
    }

    [Fact]
    public async Task Rotation_SignsWithBothSecretsDuringGrace_AndResettingWithoutRotationKeepsTheSecret()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        var old = await SetWebhookAsync("/waba_webhook", number, _receiver.Url());
        Assert.Equal("", await SetWebhookAsync("/waba_webhook", number, _receiver.Url("/moved")));
        var fresh = await SetWebhookAsync("/waba_webhook", number, _receiver.Url("/moved"), rotate: true);
        Assert.NotEqual(old, fresh);

        await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "rotated" } });

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        Assert.Equal("/moved", webhook.Path);
        var signatures = webhook.Headers["webhook-signature"].Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.True(StandardSignatureVerifies(webhook, fresh, signatures[0]));
        Assert.True(StandardSignatureVerifies(webhook, old, signatures[1]));
        Assert.Equal(HubSignature(webhook.Body, fresh), webhook.Headers["x-hub-signature-256"]);
    }

    [Fact]
    public async Task Rotation_AfterGrace_SignsWithTheNewSecretOnly()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Webhooks:SecretRotationGrace"] = "0s" });
        var number = await gateway.CreateNumberAsync("on_premise");
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/configs/webhook", number.ApiKey, new { url = _receiver.Url() }), 200);
        var rotated = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/configs/webhook", number.ApiKey, new { url = _receiver.Url(), rotate_secret = true }), 200);

        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "hi" } });

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        Assert.True(StandardSignatureVerifies(webhook, rotated.GetProperty("signing_secret").GetString()!, webhook.Headers["webhook-signature"]));
    }

    [Fact]
    public async Task SigningOff_SendsNoSignatureHeaders()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Webhooks:Signing"] = "false" });
        var number = await gateway.CreateNumberAsync("cloud");
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/waba_webhook", number.ApiKey, new { url = _receiver.Url() }), 200);
        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "hi" } });

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        Assert.False(webhook.Headers.ContainsKey("webhook-signature"));
        Assert.False(webhook.Headers.ContainsKey("x-hub-signature-256"));
        Assert.True(webhook.Headers.ContainsKey("webhook-id"));
    }
}
