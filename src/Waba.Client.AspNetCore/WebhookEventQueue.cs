using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Waba.Client.Webhooks;

namespace Waba.Client.AspNetCore;

/// <summary>
/// The events one endpoint accepted, waiting for its handler: a bounded channel read by background loops, each event
/// handled in its own DI scope. A failing handler is logged and counted; the event is not retried (the sender already
/// got its 200).
/// </summary>
internal sealed partial class WebhookEventQueue : IAsyncDisposable
{
    private static readonly Meter Meter = new("Waba.Client.AspNetCore");
    private static readonly Counter<long> Received = Meter.CreateCounter<long>("waba.webhook.events", description: "Webhook events accepted for the handler.");
    private static readonly Counter<long> Handled = Meter.CreateCounter<long>("waba.webhook.handled", description: "Webhook events the handler completed.");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("waba.webhook.handler.failures", description: "Webhook events whose handler threw.");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("waba.webhook.duplicates", description: "Deliveries dropped as duplicates of one within the window.");

    private readonly Channel<WebhookEvent> _channel;
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Func<WebhookEvent, IServiceProvider, CancellationToken, Task> _handler;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly WabaWebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _loops;

    public WebhookEventQueue(WabaWebhookOptions options, Func<WebhookEvent, IServiceProvider, CancellationToken, Task> handler, IServiceScopeFactory scopes,
        ILogger logger, TimeProvider time)
    {
        _options = options;
        _handler = handler;
        _scopes = scopes;
        _logger = logger;
        _time = time;
        _channel = Channel.CreateBounded<WebhookEvent>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _loops = [.. Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(_ => Task.Run(RunAsync))];
    }

    /// <summary>A delivery with this id came within the window: answer it without handling it again.</summary>
    public bool IsDuplicate(string? deliveryId)
    {
        if (deliveryId is null)
        {
            return false;
        }
        var now = _time.GetTimestamp();
        if (_seen.TryGetValue(deliveryId, out var expires) && expires > now)
        {
            Duplicates.Add(1);
            return true;
        }
        return false;
    }

    /// <summary>Queues a delivery's events; false when the queue has no room for all of them.</summary>
    public bool TryEnqueue(string? deliveryId, IReadOnlyList<WebhookEvent> events)
    {
        if (_channel.Reader.Count + events.Count > _options.QueueCapacity)
        {
            return false;
        }
        foreach (var item in events)
        {
            if (!_channel.Writer.TryWrite(item))
            {
                return false;
            }
            Received.Add(1, new KeyValuePair<string, object?>("kind", item.Kind.ToString()));
        }
        if (deliveryId is not null)
        {
            Remember(deliveryId);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        // Events already accepted are handled before the app stops, within the host's shutdown timeout.
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Remember(string deliveryId)
    {
        var now = _time.GetTimestamp();
        _seen[deliveryId] = now + (long)(_options.DuplicateWindow.TotalSeconds * _time.TimestampFrequency);
        if (_seen.Count > 10_000)
        {
            foreach (var (id, expires) in _seen)
            {
                if (expires <= now)
                {
                    _seen.TryRemove(id, out _);
                }
            }
        }
    }

    private async Task RunAsync()
    {
        await foreach (var item in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var scope = _scopes.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    await _handler(item, scope.ServiceProvider, _stopping.Token).ConfigureAwait(false);
                }
                Handled.Add(1, new KeyValuePair<string, object?>("kind", item.Kind.ToString()));
            }
#pragma warning disable CA1031 // A handler's failure must not stop the loop that serves every later event.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Failures.Add(1, new KeyValuePair<string, object?>("kind", item.Kind.ToString()));
                LogHandlerFailed(_logger, e, item.Kind, item.Message?.Id ?? item.Status?.Id);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The webhook handler failed on a {Kind} event (message {MessageId})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, WebhookEventKind kind, string? messageId);
}
