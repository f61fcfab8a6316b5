using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// WhatsApp's two sending limits as token buckets: the number's throughput (messages per second) and the pair rate to
/// one user (one per interval, after a burst). Kept per instance, in memory, like any rate shaping.
/// </summary>
public sealed class SandboxRateLimits(IOptions<SandboxOptions> options, TimeProvider time)
{
    private readonly double _throughput = options.Value.Throughput;
    private readonly TimeSpan _pairInterval = Durations.Parse(options.Value.PairRateInterval, "Sandbox:PairRateInterval");
    private readonly int _pairBurst = options.Value.PairRateBurst;
    private readonly ConcurrentDictionary<string, Bucket> _numbers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), Bucket> _pairs = new();

    public bool TryTakeThroughput(string channelId) =>
        _numbers.GetOrAdd(channelId, _ => new Bucket(_throughput, _throughput)).TryTake(time.GetTimestamp(), time);

    public bool TryTakePair(string channelId, string waId) =>
        _pairs.GetOrAdd((channelId, waId), _ => new Bucket(_pairBurst, 1 / _pairInterval.TotalSeconds)).TryTake(time.GetTimestamp(), time);

    private sealed class Bucket(double capacity, double perSecond)
    {
        private readonly double _capacity = capacity;
        private double _tokens = capacity;
        private long _last = -1;

        public bool TryTake(long now, TimeProvider time)
        {
            lock (this)
            {
                if (_last >= 0)
                {
                    _tokens = Math.Min(_capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * perSecond));
                }
                _last = now;
                if (_tokens < 1)
                {
                    return false;
                }
                _tokens -= 1;
                return true;
            }
        }
    }
}
