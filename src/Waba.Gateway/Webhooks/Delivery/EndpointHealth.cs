using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>
/// Keeps a failing receiver from being hammered. After <see cref="WebhooksOptions.EndpointBackoffThreshold"/>
/// consecutive failures the receiver is paused (1 s, doubling up to <see cref="WebhooksOptions.EndpointBackoffMax"/>);
/// when the pause ends one attempt probes it, and the first success resumes normal pace. Also limits the attempts in
/// flight to one receiver. Kept per instance, in memory: it shapes load, it holds no delivery state.
/// </summary>
public sealed class EndpointHealth(IOptions<WebhooksOptions> options) : IDisposable
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeWait = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MinTurn = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxTurn = TimeSpan.FromSeconds(2);

    /// <summary>How far ahead a busy receiver's turns are booked; beyond it, deliveries come back and book again.</summary>
    public static readonly TimeSpan TurnHorizon = TimeSpan.FromSeconds(60);

    private readonly int _threshold = options.Value.EndpointBackoffThreshold;
    private readonly TimeSpan _maxPause = Durations.Parse(options.Value.EndpointBackoffMax, "Webhooks:EndpointBackoffMax");
    private readonly int _perEndpoint = options.Value.MaxConcurrencyPerEndpoint;
    private readonly ConcurrentDictionary<string, Endpoint> _endpoints = new(StringComparer.Ordinal);

    /// <summary>The receiver an URL belongs to: scheme, host and port.</summary>
    public static string KeyOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : url;

    /// <summary>
    /// Whether an attempt may go ahead now. <c>DeferUntil</c> is the time to postpone it to; <c>Probe</c> says the
    /// attempt tests a paused receiver, and must be reported with <see cref="Report"/> as such.
    /// </summary>
    public (DateTimeOffset? DeferUntil, bool Probe) Admit(string key, DateTimeOffset now)
    {
        var endpoint = Get(key);
        lock (endpoint)
        {
            if (endpoint.ConsecutiveFailures < _threshold)
            {
                return (null, false);
            }
            if (now < endpoint.PausedUntil)
            {
                return (endpoint.PausedUntil, false);
            }
            if (endpoint.ProbeInFlight)
            {
                return (now + ProbeWait, false);
            }
            endpoint.ProbeInFlight = true;
            return (null, true);
        }
    }

    /// <summary>Forgets the receiver's failures and pause: its webhook was just set again (a fixed receiver is tried at once).</summary>
    public void Reset(string key)
    {
        var endpoint = Get(key);
        lock (endpoint)
        {
            endpoint.ConsecutiveFailures = 0;
            endpoint.PauseLevel = 0;
            endpoint.PausedUntil = DateTimeOffset.MinValue;
            endpoint.BookedUntil = DateTimeOffset.MinValue;
        }
    }

    public void Report(string key, bool succeeded, bool probe, DateTimeOffset now)
    {
        var endpoint = Get(key);
        lock (endpoint)
        {
            if (probe)
            {
                endpoint.ProbeInFlight = false;
            }
            if (succeeded)
            {
                endpoint.ConsecutiveFailures = 0;
                endpoint.PauseLevel = 0;
                endpoint.PausedUntil = DateTimeOffset.MinValue;
                return;
            }
            endpoint.ConsecutiveFailures++;
            // The pause starts when the threshold is crossed and doubles with each failed probe; failures of attempts
            // that were already in flight when it started do not lengthen it.
            if (endpoint.ConsecutiveFailures == _threshold || (probe && endpoint.ConsecutiveFailures > _threshold))
            {
                endpoint.PauseLevel = endpoint.ConsecutiveFailures == _threshold ? 0 : Math.Min(endpoint.PauseLevel + 1, 20);
                var pause = FirstPause * Math.Pow(2, endpoint.PauseLevel);
                endpoint.PausedUntil = now + (pause < _maxPause ? pause : _maxPause);
            }
        }
    }

    /// <summary>Waits for a free attempt slot of this receiver; dispose the result to free it.</summary>
    public async Task<IDisposable> EnterAsync(string key, CancellationToken cancellationToken)
    {
        var endpoint = Get(key);
        await endpoint.Slots.WaitAsync(cancellationToken);
        return new Slot(endpoint);
    }

    /// <summary>
    /// A free attempt slot of this receiver now, or null with how long its attempts have been taking lately
    /// (<paramref name="typical"/>; zero before the first one finished).
    /// </summary>
    public IDisposable? TryEnter(string key, out TimeSpan typical)
    {
        var endpoint = Get(key);
        typical = TimeSpan.FromTicks(Interlocked.Read(ref endpoint.TypicalAttemptTicks));
        return endpoint.Slots.Wait(0) ? new Slot(endpoint) : null;
    }

    /// <summary>
    /// When a delivery that found every slot of this busy receiver taken should come back. The first comes back after
    /// one typical attempt (20 ms to 2 s); each later one books the turn after the previous booking, one typical attempt
    /// shared by the receiver's slots apart, so a backlog waiting for a slow receiver returns at the pace the receiver
    /// takes it instead of being claimed and put back again and again meanwhile. Bookings reach at most
    /// <see cref="TurnHorizon"/> ahead.
    /// </summary>
    public DateTimeOffset NextTurn(string key, DateTimeOffset now, TimeSpan typical)
    {
        var endpoint = Get(key);
        var first = now + (typical < MinTurn ? MinTurn : typical > MaxTurn ? MaxTurn : typical);
        var spacing = (typical < MinTurn ? MinTurn : typical) / _perEndpoint;
        lock (endpoint)
        {
            var turn = endpoint.BookedUntil + spacing;
            turn = turn < first ? first : turn > now + TurnHorizon ? now + TurnHorizon : turn;
            endpoint.BookedUntil = turn;
            return turn;
        }
    }

    private Endpoint Get(string key) => _endpoints.GetOrAdd(key, _ => new Endpoint(_perEndpoint));

    public void Dispose()
    {
        foreach (var endpoint in _endpoints.Values)
        {
            endpoint.Dispose();
        }
    }

    private sealed class Endpoint(int slots) : IDisposable
    {
        public void Dispose() => Slots.Dispose();

        public int ConsecutiveFailures;
        public int PauseLevel;
        public DateTimeOffset PausedUntil = DateTimeOffset.MinValue;
        public bool ProbeInFlight;
        public DateTimeOffset BookedUntil = DateTimeOffset.MinValue;
        public readonly SemaphoreSlim Slots = new(slots, slots);

        /// <summary>A moving average of how long an attempt held a slot (Stopwatch ticks converted to TimeSpan ticks).</summary>
        public long TypicalAttemptTicks;
    }

    private sealed class Slot(Endpoint endpoint) : IDisposable
    {
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                var held = System.Diagnostics.Stopwatch.GetElapsedTime(_started).Ticks;
                var typical = Interlocked.Read(ref endpoint.TypicalAttemptTicks);
                Interlocked.Exchange(ref endpoint.TypicalAttemptTicks, typical == 0 ? held : (typical * 7 + held) / 8);
                endpoint.Slots.Release();
            }
        }
    }
}
