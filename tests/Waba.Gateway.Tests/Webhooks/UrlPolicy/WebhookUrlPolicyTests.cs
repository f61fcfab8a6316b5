using System.Net;
using Microsoft.Extensions.Options;
using Waba.Gateway.Sandbox;
using Waba.Gateway.Tests.Infrastructure;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.UrlPolicy;

namespace Waba.Gateway.Tests.Webhooks.UrlPolicy;

public sealed class WebhookUrlPolicyTests
{
    private static readonly StubResolver Dns = new StubResolver()
        .Answer("example.com", ["93.184.216.34"])
        .Answer("hooks.example.com", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
        .Answer("my_hooks.example.com", ["93.184.216.35"])
        .Answer("internal.example.com", ["10.0.0.5"])
        .Answer("sneaky.example.com", ["93.184.216.34", "192.168.1.10"])
        .Answer("metadata.example.com", ["169.254.169.254"]);

    private static WebhookUrlPolicy Policy(string policy) =>
        new(Options.Create(new WebhooksOptions { Policy = policy }), Options.Create(new SandboxOptions()), Dns);

    [Theory]
    [InlineData("https://example.com/webhook")]
    [InlineData("https://hooks.example.com/whatsapp?token=abc")]
    [InlineData("https://hooks.example.com")]
    public async Task Production_CloudUrl_Valid(string url)
    {
        var (accepted, error) = await Policy("production").CheckAsync(url, cloud: true, TestContext.Current.CancellationToken);
        Assert.Null(error);
        Assert.NotNull(accepted);
    }

    [Theory]
    [InlineData("http://example.com/hook", "https")]
    [InlineData("https://my_hooks.example.com/hook", "'_'")]
    [InlineData("https://example.com:8443/hook", "port")]
    [InlineData("https://example.com:443/hook", "port")]
    [InlineData("https://internal.example.com/hook", "private")]
    [InlineData("https://sneaky.example.com/hook", "private")]
    [InlineData("https://metadata.example.com/latest", "link-local")]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("https://224.0.0.1/hook", "multicast")]
    [InlineData("https://nowhere.example/hook", "does not resolve")]
    [InlineData("ftp://example.com/hook", "http or https")]
    [InlineData("example.com/hook", "http or https")]
    [InlineData("https://example.com/hook#frag", "fragment")]
    [InlineData("", "url")]
    public async Task Production_CloudUrl_Invalid_NamesTheRule(string url, string rule)
    {
        var (accepted, error) = await Policy("production").CheckAsync(url, cloud: true, TestContext.Current.CancellationToken);
        Assert.Null(accepted);
        Assert.NotNull(error);
        Assert.Contains(rule, error.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.com:8443/hook")]
    [InlineData("https://my_hooks.example.com/hook")]
    public async Task Production_OnPremiseUrl_MayHavePortAndUnderscore(string url)
    {
        var (_, error) = await Policy("production").CheckAsync(url, cloud: false, TestContext.Current.CancellationToken);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5055/hook", true)]
    [InlineData("http://localhost:8080/hook", true)]
    [InlineData("http://[::1]:8080/hook", true)]
    [InlineData("http://10.0.0.5/hook", true)]
    [InlineData("https://example.com/hook", true)]
    [InlineData("http://example.com:8080/hook", false)]
    [InlineData("http://my_hooks.local/hook", false)]
    public async Task Development_CloudUrl_AllowsHttpAndLoopbackPorts(string url, bool valid)
    {
        var (_, error) = await Policy("development").CheckAsync(url, cloud: true, TestContext.Current.CancellationToken);
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public async Task CredentialsInUrl_BecomeBasicHeaderAndLeaveTheUrl()
    {
        var (accepted, error) = await Policy("production").CheckAsync("https://testuser:testpass@example.com/hook", cloud: true, TestContext.Current.CancellationToken);
        Assert.Null(error);
        Assert.Equal("https://example.com/hook", accepted!.Url);
        Assert.Equal("Basic dGVzdHVzZXI6dGVzdHBhc3M=", accepted.BasicAuthorization);
    }

    [Fact]
    public void DefaultPolicy_IsDevelopmentWithSandbox_ProductionWithout()
    {
        Assert.Equal(WebhookUrlPolicyKind.Development,
            new WebhookUrlPolicy(Options.Create(new WebhooksOptions()), Options.Create(new SandboxOptions { Enabled = true }), Dns).Kind);
        Assert.Equal(WebhookUrlPolicyKind.Production,
            new WebhookUrlPolicy(Options.Create(new WebhooksOptions()), Options.Create(new SandboxOptions { Enabled = false }), Dns).Kind);
    }

    [Theory]
    [InlineData("93.184.216.34", null)]
    [InlineData("8.8.8.8", null)]
    [InlineData("2606:4700:4700::1111", null)]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("172.32.0.1", null)]
    [InlineData("192.168.0.1", "private")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00::1", "private (unique local)")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:93.184.216.34", null)]
    public void AddressClassifier_KnowsPublicFromInternal(string address, string? kind) =>
        Assert.Equal(kind, AddressClassifier.NonPublicKind(IPAddress.Parse(address)));

    [Fact]
    public async Task GuardedConnector_Production_DialsOnlyPublicAddresses()
    {
        var dns = new StubResolver()
            .Answer("rebind.example.com", ["127.0.0.1"])
            .Answer("mixed.example.com", ["10.0.0.1", "93.184.216.34"]);
        var connector = new GuardedConnector(Policy("production"), dns);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connector.AllowedAddressesAsync("rebind.example.com", TestContext.Current.CancellationToken));
        Assert.Contains("non-public", error.Message, StringComparison.Ordinal);
        Assert.Equal([IPAddress.Parse("93.184.216.34")], await connector.AllowedAddressesAsync("mixed.example.com", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GuardedConnector_Development_DialsWhatResolves()
    {
        var connector = new GuardedConnector(Policy("development"), new StubResolver().Answer("local.test", ["127.0.0.1"]));
        Assert.Equal([IPAddress.Loopback], await connector.AllowedAddressesAsync("local.test", TestContext.Current.CancellationToken));
    }
}
