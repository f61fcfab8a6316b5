using Waba.Client;

namespace Waba.Testing;

/// <summary>How the sandbox is set up: the number's dialect, the simulated phone's timing, any gateway setting.</summary>
public sealed class WabaSandboxOptions
{
    /// <summary>The dialect of the number and of <see cref="WabaSandbox.Client"/>: Cloud (default), OnPremise or Graph.</summary>
    public WabaDialect Dialect { get; set; } = WabaDialect.Cloud;

    /// <summary>The business number's phone number.</summary>
    public string PhoneNumber { get; set; } = "15550001234";

    /// <summary>When a sent message's statuses happen on the simulated phone (sent, delivered, read).</summary>
    public TimeSpan SentAfter { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan DeliveredAfter { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromMilliseconds(30);

    /// <summary>How long a condition is awaited before a helper gives up with a message saying what it saw.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Any gateway configuration key (<c>Sandbox:Throughput</c>, <c>Webhooks:RetryDelays</c>, …), applied last.</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
