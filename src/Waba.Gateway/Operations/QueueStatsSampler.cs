using Waba.Gateway.Storage;

namespace Waba.Gateway.Operations;

/// <summary>Reads the queue's depth and oldest pending event every few seconds for the metrics gauges.</summary>
internal sealed partial class QueueStatsSampler(Webhooks.Delivery.IWebhookOutbox outbox, GatewayMetrics metrics, TimeProvider time,
    ILogger<QueueStatsSampler> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var stats = await outbox.GetQueueStatsAsync(stoppingToken);
                var age = stats.OldestPending is { } oldest ? time.GetUtcNow() - oldest : TimeSpan.Zero;
                metrics.Queue = (stats.Pending, age > TimeSpan.Zero ? age : TimeSpan.Zero);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSampleFailed(e);
            }
            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the delivery queue for metrics failed")]
    private partial void LogSampleFailed(Exception exception);
}
