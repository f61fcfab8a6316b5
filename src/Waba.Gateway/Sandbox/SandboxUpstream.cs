using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// Simulated WhatsApp: every recipient exists and reads what it gets. The statuses are planned at acceptance and
/// stored with the message, so they survive a restart like any other event.
/// </summary>
internal sealed class SandboxUpstream(IOptions<SandboxOptions> options, TimeProvider time) : IMessageUpstream
{
    public const string UpstreamName = "sandbox";

    private readonly TimeSpan _sent = Durations.Parse(options.Value.SentDelay, "Sandbox:SentDelay");
    private readonly TimeSpan _delivered = Durations.Parse(options.Value.DeliveredDelay, "Sandbox:DeliveredDelay");
    private readonly TimeSpan _read = Durations.Parse(options.Value.ReadDelay, "Sandbox:ReadDelay");

    public string Name => UpstreamName;

    public ValueTask<UpstreamAcceptance> AcceptAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return ValueTask.FromResult(new UpstreamAcceptance(Identifiers.NewMessageId(),
        [
            new PlannedStatus("sent", now + _sent),
            new PlannedStatus("delivered", now + _delivered),
            new PlannedStatus("read", now + _read),
        ]));
    }
}
