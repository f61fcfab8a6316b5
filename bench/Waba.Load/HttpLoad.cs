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

    public static async Task<Result> RunAsync(HttpClient client, Func<long, HttpRequestMessage> request, Func<int, bool> ok, int concurrency, TimeSpan duration)
    {
        // Warm-up: connections opened and code paths jitted before the clock starts.
        for (var i = 0; i < concurrency; i++)
        {
            using var warm = await client.SendAsync(request(-i - 1));
        }
        var latencies = new List<double>[concurrency];
        long sequence = 0;
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
