namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>Wakes the delivery worker when new work was committed, so it does not wait for its next poll.</summary>
public sealed class DeliverySignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _raised;

    public void Notify()
    {
        if (Interlocked.Exchange(ref _raised, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Waits for a notification or the timeout. Work committed before a Notify is visible afterwards.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _semaphore.WaitAsync(cts.Token);
        var delay = Task.Delay(timeout, time, cts.Token);
        var first = await Task.WhenAny(signalled, delay);
        await cts.CancelAsync();
        if (first == signalled && signalled.IsCompletedSuccessfully)
        {
            Interlocked.Exchange(ref _raised, 0);
        }
        else
        {
            try { await signalled; Interlocked.Exchange(ref _raised, 0); }
            catch (OperationCanceledException) { /* timed out or stopping */ }
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Dispose() => _semaphore.Dispose();
}
