using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Waba.Gateway.Operations;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Tests.Webhooks.Delivery;

/// <summary>A gateway asked to stop while its worker is claiming stops, instead of waiting out the host's shutdown timeout.</summary>
public sealed class DeliveryWorkerShutdownTests
{
    [Fact]
    public async Task Stop_WhileAClaimIsUnderWay_TheWorkerFinishes()
    {
        var ct = TestContext.Current.CancellationToken;
        var outbox = new ClaimNeverAnswers();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new WebhooksOptions()))
            .AddSingleton<IWebhookOutbox>(outbox)
            .AddSingleton<WebhookSender>()
            .AddSingleton<RetrySchedule>()
            .AddSingleton<EndpointHealth>()
            .AddSingleton<GatewayMetrics>()
            .AddSingleton<WorkerStatus>()
            .AddSingleton<DeliverySignal>()
            .AddSingleton<DeliveryWorker>();
        services.AddHttpClient();
        await using var provider = services.BuildServiceProvider();
        var worker = provider.GetRequiredService<DeliveryWorker>();

        await worker.StartAsync(ct);
        await outbox.Claiming.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var stopped = worker.StopAsync(CancellationToken.None);

        // Not a timing assertion: the worker used to wait forever for the slot its cancelled claim held.
        Assert.Same(stopped, await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(20), ct)));
        Assert.False(provider.GetRequiredService<WorkerStatus>().Running);
    }

    private sealed class ClaimNeverAnswers : IWebhookOutbox
    {
        public TaskCompletionSource Claiming { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
        {
            Claiming.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }

        public Task<int> ReleaseAllLeasesAsync(CancellationToken cancellationToken) => Task.FromResult(0);

        public Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken) => Task.FromResult(new QueueStats(0, null));

        public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);

        public Task CompleteAttemptsAsync(IReadOnlyList<CompletedAttempt> attempts, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeferAsync(IReadOnlyList<Deferral> deferrals, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> ReplayAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

        public Task<int> MakeDueAsync(Waba.Gateway.Webhooks.WebhookScope scope, string ownerId, DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

        public Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DeliveryRecord>>([]);
    }
}
