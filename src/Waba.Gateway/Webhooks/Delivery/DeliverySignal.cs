namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>
/// Wakes the delivery worker when new work was committed, so it does not wait for its next poll. A notification may say
/// when the new work becomes due: the worker then wakes at that time instead of at once, so events planned for later
/// (a sandbox status a second out, a retry, a template review) cost no claim query when they are committed.
/// </summary>
public sealed class DeliverySignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _raised;
    private long _earliestDueTicks = long.MaxValue;

    /// <summary>New work is due now.</summary>
    public void Notify() => Notify(DateTimeOffset.MinValue);

    /// <summary>New work becomes due at <paramref name="dueAt"/>.</summary>
    public void Notify(DateTimeOffset dueAt)
    {
        var ticks = dueAt.UtcTicks;
        var seen = Volatile.Read(ref _earliestDueTicks);
        while (ticks < seen)
        {
            var previous = Interlocked.CompareExchange(ref _earliestDueTicks, ticks, seen);
            if (previous == seen)
            {
                break;
            }
            seen = previous;
        }
        if (Interlocked.Exchange(ref _raised, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>
    /// Waits until <paramref name="timeout"/> has passed or notified work is due, whichever is first. Work committed before
    /// a Notify is visible afterwards.
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || !await WaitOnceAsync(remaining, time, cancellationToken))
            {
                return;
            }
            var due = Interlocked.Exchange(ref _earliestDueTicks, long.MaxValue);
            if (due <= time.GetUtcNow().UtcTicks)
            {
                return;
            }
            if (due < deadline.UtcTicks)
            {
                deadline = new DateTimeOffset(due, TimeSpan.Zero);
            }
        }
    }

    /// <summary>True when notified, false when the time ran out.</summary>
    private async Task<bool> WaitOnceAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _semaphore.WaitAsync(cts.Token);
        var delay = Task.Delay(timeout, time, cts.Token);
        var first = await Task.WhenAny(signalled, delay);
        await cts.CancelAsync();
        var notified = false;
        if (first == signalled && signalled.IsCompletedSuccessfully)
        {
            notified = true;
        }
        else
        {
            try
            {
                await signalled;
                notified = true;
            }
            catch (OperationCanceledException)
            {
                // timed out or stopping
            }
        }
        if (notified)
        {
            Interlocked.Exchange(ref _raised, 0);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return notified;
    }

    public void Dispose() => _semaphore.Dispose();
}
