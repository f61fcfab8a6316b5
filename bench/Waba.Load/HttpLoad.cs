using System.Diagnostics;

namespace Waba.Load;

/// <summary>The load: one shared HttpClient, N concurrent loops, for a fixed time. Used for baselines and gateway alike.</summary>
internal static class HttpLoad
{
    public sealed record Result(long Requests, long Failures, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Requests / Seconds;
    }

    public static HttpClient NewClient(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>
    /// Runs the load untimed for <see cref="WarmUp"/> (connections opened, code paths through the JIT's tiers to their
    /// optimised code, for the baseline and the gateway alike), then for <paramref name="duration"/> measured.
    /// </summary>
    public static async Task<Result> RunAsync(HttpClient client, Func<long, HttpRequestMessage> request, Func<int, bool> ok, int concurrency, TimeSpan duration)
    {
        await LoopAsync(client, request, ok, concurrency, WarmUp, sequenceStart: -1_000_000_000);
        return await LoopAsync(client, request, ok, concurrency, duration, sequenceStart: 0);
    }

    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private static async Task<Result> LoopAsync(HttpClient client, Func<long, HttpRequestMessage> request, Func<int, bool> ok, int concurrency, TimeSpan duration, long sequenceStart)
    {
        var latencies = new List<double>[concurrency];
        var sequence = sequenceStart;
        long failures = 0;
        var stop = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.SendAsync(request(Interlocked.Increment(ref sequence)));
                await response.Content.CopyToAsync(Stream.Null);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok((int)response.StatusCode))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await Task.WhenAll(loops);
        var seconds = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length, failures, seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
