using System.Threading.Channels;
using Waba.Gateway.Storage;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>
/// Records the worker's attempts and deferrals in batches: what finished while the previous batch was being written
/// goes into the next one, as one <see cref="IWebhookOutbox.CompleteAttemptsAsync"/> and one
/// <see cref="IWebhookOutbox.DeferAsync"/> (statements over the whole batch instead of a transaction per event). Each
/// caller's task completes when its own record has committed, so a delivery's lease is held until then. When a batch
/// fails, its records are written one by one, so one that cannot be written fails alone.
/// </summary>
internal sealed class DeliveryRecorder : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly IWebhookOutbox _outbox;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public DeliveryRecorder(IWebhookOutbox outbox)
    {
        _outbox = outbox;
        _loop = Task.Run(RecordLoopAsync);
    }

    public Task CompleteAsync(DeliveryAttempt attempt, DeliveryOutcome outcome) => Enqueue(new CompletedAttempt(attempt, outcome), null);

    public Task DeferAsync(string eventId, DateTimeOffset until) => Enqueue(null, new Deferral(eventId, until));

    private Task Enqueue(CompletedAttempt? attempt, Deferral? deferral)
    {
        // Continuations run inline on the recorder's loop when the batch commits: what waits on a record is the short tail
        // of an attempt (metrics, freeing its slot), so a hop to the thread pool per event would cost more than it.
        var pending = new Pending(attempt, deferral, new TaskCompletionSource());
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Done.Task;
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RecordLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var attempts = new List<Pending>(MaxBatch);
        var deferrals = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            attempts.Clear();
            deferrals.Clear();
            foreach (var pending in batch)
            {
                (pending.Attempt is null ? deferrals : attempts).Add(pending);
            }
            // Both are handed over together, so on SQLite they share one group commit.
            var attemptsWritten = BatchWrite.WriteEachAsync(attempts,
                items => _outbox.CompleteAttemptsAsync([.. items.Select(p => p.Attempt!)], CancellationToken.None), p => p.Done);
            var deferralsWritten = BatchWrite.WriteEachAsync(deferrals,
                items => _outbox.DeferAsync([.. items.Select(p => p.Deferral!)], CancellationToken.None), p => p.Done);
            await Task.WhenAll(attemptsWritten, deferralsWritten);
        }
    }

    private sealed record Pending(CompletedAttempt? Attempt, Deferral? Deferral, TaskCompletionSource Done);
}
