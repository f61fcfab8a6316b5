using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Waba.Client;
using Waba.Client.AspNetCore;
using Waba.Client.Messages;
using Waba.Client.Webhooks;
using Waba.Testing;

namespace Waba.Client.Tests;

/// <summary><c>MapWabaWebhook</c> on a real Kestrel: signatures, the immediate 200, duplicates, failing handlers, and the gateway end to end.</summary>
public sealed class ReceiverTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string CloudBody = """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
        "metadata":{"display_phone_number":"15550001234","phone_number_id":"PN1"},"contacts":[{"profile":{"name":"Kai"},"wa_id":"4915112345678"}],
        "messages":[{"from":"4915112345678","id":"wamid.IN1","timestamp":"1767225600","type":"text","text":{"body":"hi"}}]}}]}]}
        """;

    private sealed class Receiver(WebApplication app, ConcurrentQueue<WebhookEvent> handled) : IAsyncDisposable
    {
        public Uri Url { get; } = new(new Uri(app.Urls.First()), "/hook");
        public ConcurrentQueue<WebhookEvent> Handled { get; } = handled;
        public HttpClient Http { get; } = new();

        public static async Task<Receiver> StartAsync(Func<WebhookEvent, Task> handler, Action<WabaWebhookOptions>? configure = null)
        {
            var app = LocalApps.Create();
            var handled = new ConcurrentQueue<WebhookEvent>();
            app.MapWabaWebhook("/hook", async (e, ct) => { await handler(e); handled.Enqueue(e); }, o => { o.Secrets.Add(Secret); configure?.Invoke(o); });
            await app.StartAsync(Ct);
            return new Receiver(app, handled);
        }

        public Task<HttpResponseMessage> PostAsync(string body, string? id = null, long? timestamp = null, string? signature = null)
        {
            id ??= "msg_" + Guid.NewGuid().ToString("N");
            timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", signature ?? WebhookSignature.SignStandard(Secret, id, timestamp.Value, Encoding.UTF8.GetBytes(body)));
            return Http.SendAsync(request, Ct);
        }

        public async Task<WebhookEvent> WaitForAsync(int count)
        {
            var clock = Stopwatch.StartNew();
            while (Handled.Count < count)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the handler got {Handled.Count} events, not {count}");
                await Task.Delay(10, Ct);
            }
            return Handled.Last();
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_sender_gets_200_within_80_ms_while_the_handler_takes_2_s()
    {
        var started = 0;
        await using var receiver = await Receiver.StartAsync(async _ => { Interlocked.Increment(ref started); await Task.Delay(TimeSpan.FromSeconds(2)); },
            o => o.Concurrency = 4);
        (await receiver.PostAsync(CloudBody)).Dispose(); // warm: the first request also compiles the endpoint

        var clock = Stopwatch.StartNew();
        using var response = await receiver.PostAsync(CloudBody);
        var answeredAfter = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(receiver.Handled); // neither handler has finished: the answer did not wait for them
        Assert.True(answeredAfter < TimeSpan.FromMilliseconds(80), $"answered after {answeredAfter.TotalMilliseconds:0} ms");
        var handled = await receiver.WaitForAsync(2);
        Assert.Equal("hi", handled.Message!.Text!.Body);
        Assert.Equal("Kai", handled.Contact!.Profile!.Name);
        Assert.Equal("PN1", handled.PhoneNumberId);
    }

    [Fact]
    public async Task A_forged_missing_or_stale_signature_is_401_and_never_handled()
    {
        await using var receiver = await Receiver.StartAsync(_ => Task.CompletedTask);
        var forged = WebhookSignature.SignStandard("whsec_" + Convert.ToBase64String(new byte[24]), "msg_1", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(CloudBody));

        using var forgedResponse = await receiver.PostAsync(CloudBody, signature: forged);
        using var staleResponse = await receiver.PostAsync(CloudBody, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds());
        using var tampered = await receiver.PostAsync(CloudBody.Replace("\"hi\"", "\"pay me\"", StringComparison.Ordinal),
            id: "msg_2", signature: WebhookSignature.SignStandard(Secret, "msg_2", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(CloudBody)));
        using var unsigned = await receiver.Http.PostAsync(receiver.Url, new StringContent(CloudBody, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, staleResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        using var good = await receiver.PostAsync(CloudBody);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        await receiver.WaitForAsync(1);
        await Task.Delay(100, Ct);
        Assert.Single(receiver.Handled);
    }

    [Fact]
    public async Task Metas_hub_signature_alone_is_accepted()
    {
        await using var receiver = await Receiver.StartAsync(_ => Task.CompletedTask);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(CloudBody));
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new StringContent(CloudBody, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(mac));

        using var response = await receiver.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("wamid.IN1", (await receiver.WaitForAsync(1)).Message!.Id);
    }

    [Fact]
    public async Task A_redelivery_with_the_same_webhook_id_is_answered_but_handled_once()
    {
        await using var receiver = await Receiver.StartAsync(_ => Task.CompletedTask);

        using var first = await receiver.PostAsync(CloudBody, id: "msg_same");
        using var again = await receiver.PostAsync(CloudBody, id: "msg_same");
        using var other = await receiver.PostAsync(CloudBody, id: "msg_other");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await receiver.WaitForAsync(2);
        await Task.Delay(100, Ct);
        Assert.Equal(2, receiver.Handled.Count);
    }

    [Fact]
    public async Task A_failing_handler_is_counted_and_later_events_are_still_handled()
    {
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Waba.Client.AspNetCore" && instrument.Name == "waba.webhook.handler.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();
        var calls = 0;
        await using var receiver = await Receiver.StartAsync(_ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("boom") : Task.CompletedTask);

        using var first = await receiver.PostAsync(CloudBody);
        using var second = await receiver.PostAsync(CloudBody);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await receiver.WaitForAsync(1);
        Assert.Equal(2, calls);
        Assert.Equal(1, Interlocked.Read(ref failures));
    }

    [Theory]
    [InlineData(WabaDialect.Cloud)]
    [InlineData(WabaDialect.OnPremise)]
    public async Task The_gateways_signed_deliveries_reach_the_handler(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        await using var app = LocalApps.Create();
        var handled = new ConcurrentQueue<WebhookEvent>();
        app.MapWabaWebhook("/hook", (e, _) => { handled.Enqueue(e); return Task.CompletedTask; }, o => o.Secrets.Add(sandbox.WebhookSecret));
        await app.StartAsync(Ct);
        await sandbox.UseWebhookAsync(new Uri(new Uri(app.Urls.First()), "/hook"), Ct);
        var user = sandbox.User(name: "Ana");

        await user.SayAsync("ping", cancellationToken: Ct);
        var sent = await sandbox.Client.SendAsync(Message.Text(user.PhoneNumber, "pong"), Ct);
        await sandbox.Webhooks.WaitForStatusAsync(sent.Id, "read", Ct);

        Assert.Contains(handled, e => e.Message?.Text?.Body == "ping" && e.Contact?.Profile?.Name == "Ana");
        Assert.Contains(handled, e => e.Status?.Id == sent.Id && e.Status.Status == "read");
        await app.StopAsync(Ct);
    }
}
