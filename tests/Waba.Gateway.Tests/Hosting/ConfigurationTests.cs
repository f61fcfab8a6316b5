using Microsoft.Extensions.Options;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Webhooks:RetryDelays", "5s,soon")]
    [InlineData("Webhooks:MaxAge", "forever")]
    [InlineData("Webhooks:AttemptTimeout", "0s")]
    [InlineData("Sandbox:ReadDelay", "later")]
    [InlineData("Admin:Token", "short")]
    [InlineData("Storage:Provider", "oracle")]
    public async Task Start_WithWrongValue_FailsNamingTheKey(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayServer.StartAsync(new Dictionary<string, string> { [key] = value }));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
