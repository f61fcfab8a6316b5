using Waba.Gateway.Configuration;

namespace Waba.Gateway.Tests.Configuration;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("00:00:30", 30_000)]
    public void TryParse_KnownForms_GiveTheDuration(string text, double milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5 parsecs")]
    [InlineData("-5s")]
    [InlineData("s")]
    public void TryParse_Nonsense_IsRefused(string text) => Assert.False(Durations.TryParse(text, out _));
}
