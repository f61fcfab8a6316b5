using System.Text;
using BenchmarkDotNet.Attributes;
using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;
using Waba.Gateway.Webhooks.Payloads;
using Waba.Gateway.Webhooks.Signing;

namespace Waba.Micro;

/// <summary>The per-request and per-event hot paths: validating a send, rendering a webhook payload, signing it.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(
        """{"messaging_product":"whatsapp","recipient_type":"individual","to":"4915112345678","type":"text","text":{"preview_url":false,"body":"Hello from the benchmark"}}""");

    private static readonly byte[] List = Encoding.UTF8.GetBytes(
        """{"messaging_product":"whatsapp","to":"4915112345678","type":"interactive","interactive":{"type":"list","header":{"type":"text","text":"Menu"},"body":{"text":"Pick a dish"},"footer":{"text":"Thanks"},"action":{"button":"Open","sections":[{"title":"Mains","rows":[{"id":"r1","title":"Pasta","description":"Fresh"},{"id":"r2","title":"Pizza"}]},{"title":"Desserts","rows":[{"id":"r3","title":"Cake"}]}]}}}""");

    private static readonly Channel Cloud = new("pn_1", "123456789012345", "4930000000001", "234567890123456", HostingType.Cloud, "sandbox", DateTimeOffset.UnixEpoch);
    private static readonly PlannedStatus Delivered = new("delivered", DateTimeOffset.FromUnixTimeSeconds(1795567992));
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(new string('x', 600));
    private static readonly string Secret = WebhookSignatures.NewSecret();

    [Benchmark]
    public async Task<OutboundMessage?> ValidateText() =>
        (await OutboundMessageReader.ReadAsync(new MemoryStream(Text), HostingType.Cloud, CancellationToken.None)).Message;

    [Benchmark]
    public async Task<OutboundMessage?> ValidateInteractiveList() =>
        (await OutboundMessageReader.ReadAsync(new MemoryStream(List), HostingType.Cloud, CancellationToken.None)).Message;

    [Benchmark]
    public string RenderCloudStatusPayload() => WebhookEvents.ForStatus(Cloud, "wamid.HBgLNDkxNTExMjM0NTY3OBUCABEYEjA", "4915112345678", Delivered).Payload;

    [Benchmark]
    public string SignStandardWebhooks() => WebhookSignatures.Standard(Secret, "evt_0193a1b2c3d4e5f60718293a4b5c6d7e", 1795567992, Body);

    [Benchmark]
    public string SignHubSha256() => WebhookSignatures.Hub(Secret, Body);
}
