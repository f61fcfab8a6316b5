namespace Waba.Gateway.Operations;

/// <summary>Whether the delivery worker's loop is running, for <c>/readyz</c>.</summary>
public sealed class WorkerStatus
{
    private int _running;

    public bool Running => Volatile.Read(ref _running) == 1;

    public void SetRunning(bool running) => Volatile.Write(ref _running, running ? 1 : 0);
}
