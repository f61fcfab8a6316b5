using Npgsql;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage.Postgres;

/// <summary>
/// Holds one connection that <c>LISTEN</c>s for new events committed by any instance and wakes this instance's
/// delivery worker at once. If the connection drops it reconnects; polling covers the gap.
/// </summary>
internal sealed partial class EventNotificationListener(NpgsqlDataSource dataSource, DeliverySignal signal, ILogger<EventNotificationListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => signal.Notify(
                    long.TryParse(e.Payload, System.Globalization.CultureInfo.InvariantCulture, out var dueMs) ? DateTimeOffset.FromUnixTimeMilliseconds(dueMs) : DateTimeOffset.MinValue);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDatabase.EventsChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException)
            {
                LogListenFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for new events failed; reconnecting in 1 s (workers keep polling)")]
    private partial void LogListenFailed(Exception exception);
}
