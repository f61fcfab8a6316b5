using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waba.Load;

// Waba Gateway load driver: runs each workload of shared/spec/benchmarks.md against the gateway and against the
// machine's own ceiling (raw Kestrel, raw HttpClient) measured in the same run, prints a table and writes
// bench/results/latest.json. Usage: dotnet run -c Release --project bench/Waba.Load -- [all|send|send-pg|numbers|deliver|receivers|fairness|latency|startup|backlog] [--quick]
// PostgreSQL workloads run when WABA_BENCH_POSTGRES holds a connection string to a server where databases may be created.
var only = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var quick = args.Contains("--quick");
var postgres = Environment.GetEnvironmentVariable("WABA_BENCH_POSTGRES");
var results = new List<JsonObject>();
var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../"));
var work = Directory.CreateTempSubdirectory("waba-bench-").FullName;
const int Connections = 64;
var sendDuration = TimeSpan.FromSeconds(quick ? 5 : 10);

void Report(string id, string figure, double value, string unit, double? baseline, string goal, string notes)
{
    var ratio = baseline is > 0 ? value / baseline.Value : (double?)null;
    results.Add(new JsonObject
    {
        ["workload"] = id, ["figure"] = figure, ["value"] = Math.Round(value, 2), ["unit"] = unit,
        ["baseline"] = baseline is null ? null : Math.Round(baseline.Value, 2), ["ratio"] = ratio is null ? null : Math.Round(ratio.Value, 3),
        ["goal"] = goal, ["notes"] = notes,
    });
    Console.WriteLine($"{id,-10} {figure,-28} {value,12:0.##} {unit,-8} {(baseline is null ? "" : baseline.Value.ToString("0.##", CultureInfo.InvariantCulture)),12} {(ratio is null ? "" : ratio.Value.ToString("0.000", CultureInfo.InvariantCulture)),7}  goal {goal}");
}

bool Wanted(string workload) => only == "all" || only == workload;

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {MemoryGb():0.0} GiB, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"{"workload",-10} {"figure",-28} {"value",12} {"unit",-8} {"baseline",12} {"ratio",7}");

// raw-kestrel: the same POST /messages body and load, answered by a bare Kestrel app.
HttpLoad.Result? rawKestrel = null;
var textBody = """{"messaging_product":"whatsapp","recipient_type":"individual","to":"{TO}","type":"text","text":{"preview_url":false,"body":"Hello from the load driver"}}""";
if (Wanted("send") || Wanted("send-pg") || Wanted("numbers"))
{
    await using var baseline = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", "http://127.0.0.1:0"]);
    using var http = HttpLoad.NewClient(baseline.BaseAddress, Connections);
    rawKestrel = await HttpLoad.RunAsync(http, i => Post("/messages", null, textBody.Replace("{TO}", "4915100000000", StringComparison.Ordinal)),
        s => s == 200, Connections, sendDuration);
    Report("raw-kestrel", "POST /messages req/s", rawKestrel.PerSecond, "req/s", null, "baseline", $"p50 {rawKestrel.P50Ms:0.00} ms, p99 {rawKestrel.P99Ms:0.00} ms");
}

async Task SendAsync(string id, string? pg, string goal)
{
    var folder = NewFolder(work, id);
    // Statuses are planned an hour out so the worker does not share the two cores during the measurement; the window
    // and the sandbox's rate limits are off because the load writes to many users who never wrote first.
    await using var gateway = await Gateway.StartAsync(folder, pg, "--Sandbox:SentDelay", "1h", "--Sandbox:DeliveredDelay", "1h", "--Sandbox:ReadDelay", "1h",
        "--Sandbox:EnforceCustomerServiceWindow", "false", "--Sandbox:Throughput", "10000000", "--Sandbox:PairRateBurst", "10000000");
    using var http = HttpLoad.NewClient(gateway.BaseAddress, Connections);
    var (_, key) = await Gateway.ProvisionAsync(http, "cloud", "4930000000001");
    var result = await HttpLoad.RunAsync(http, i => Post("/messages", key, textBody.Replace("{TO}", (4915100000000 + Math.Abs(i) % 100000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)),
        s => s == 200, Connections, sendDuration);
    Report(id, "POST /messages req/s", result.PerSecond, "req/s", rawKestrel!.PerSecond, goal,
        $"p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms, {result.Failures} non-200");
    Report(id, "POST /messages p99", result.P99Ms, "ms", rawKestrel.P99Ms, "p99 <= 10 ms", "ratio is gateway p99 / raw-kestrel p99");
}

if (Wanted("send"))
{
    await SendAsync("send", null, ">= 0.50");
}
if (Wanted("send-pg") || (only == "all" && postgres is not null))
{
    if (postgres is null)
    {
        Console.WriteLine("send-pg    skipped: set WABA_BENCH_POSTGRES to a PostgreSQL connection string");
    }
    else
    {
        await SendAsync("send-pg", await NewPostgresDatabaseAsync(postgres), ">= 0.35");
    }
}

// raw-httpclient: a shared HttpClient posting a 600-byte webhook payload with 64 loops to a bare receiver.
HttpLoad.Result? rawClient = null;
if (Wanted("deliver") || Wanted("backlog") || Wanted("receivers") || Wanted("fairness"))
{
    await using var receiver = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", "http://127.0.0.1:0"]);
    using var http = HttpLoad.NewClient(receiver.BaseAddress, Connections);
    var payload = new string('x', 560);
    rawClient = await HttpLoad.RunAsync(http, i => Post("/hook", null, $$$"""{"statuses":[{"id":"{{{payload}}}"}]}"""), s => s == 200, Connections, sendDuration);
    Report("raw-httpclient", "POST 600 B webhook/s", rawClient.PerSecond, "req/s", null, "baseline", $"p99 {rawClient.P99Ms:0.00} ms");
}

if (Wanted("deliver"))
{
    var events = quick ? 20_000 : 200_000;
    var folder = NewFolder(work, "deliver");
    var receiverPort = FreePort();
    await using var gateway = await Gateway.StartAsync(folder, null, "--Webhooks:RetryDelays", "1s", "--Webhooks:EndpointBackoffMax", "1s", "--Webhooks:Signing", "true");
    using var http = HttpLoad.NewClient(gateway.BaseAddress, Connections);
    var (_, key) = await Gateway.ProvisionAsync(http, "on_premise", "4930000000002");
    await Gateway.SetWebhookAsync(http, key, $"http://127.0.0.1:{receiverPort}/hook");
    var queued = Stopwatch.StartNew();
    await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
    {
        using var response = await http.SendAsync(Gateway.Inbound(key, i), ct);
        response.EnsureSuccessStatusCode();
    });
    var queueSeconds = queued.Elapsed.TotalSeconds;
    await using var receiver = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", $"http://127.0.0.1:{receiverPort}"]);
    using var stats = new HttpClient { BaseAddress = receiver.BaseAddress };
    var (count, first, last) = await WaitForAsync(stats, events, TimeSpan.FromMinutes(quick ? 2 : 5));
    var seconds = TimeSpan.FromTicks(last - first).TotalSeconds;
    Report("deliver", $"{events:N0} events delivered/s", count / seconds, "events/s", rawClient!.PerSecond, ">= 0.50",
        $"{count:N0} received in {seconds:0.0} s (first to last 200); queueing took {queueSeconds:0.0} s ({events / queueSeconds:0} accepted/s)");
}

if (Wanted("latency"))
{
    var folder = NewFolder(work, "latency");
    await using var receiver = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", "http://127.0.0.1:0", "--RecordArrivals", "true"]);
    await using var gateway = await Gateway.StartAsync(folder, null);
    using var http = HttpLoad.NewClient(gateway.BaseAddress, Connections);
    var (_, key) = await Gateway.ProvisionAsync(http, "on_premise", "4930000000003");
    await Gateway.SetWebhookAsync(http, key, new Uri(receiver.BaseAddress, "/hook").ToString());
    // The first second is a warm-up, as in every other workload (code paths jitted, the connection to the receiver
    // opened): its events are reported on their own line, not mixed into the steady-state figure the goal is about.
    var warmUp = TimeSpan.FromSeconds(1);
    var duration = warmUp + TimeSpan.FromSeconds(quick ? 5 : 20);
    var accepted = new System.Collections.Concurrent.ConcurrentDictionary<string, (long At, bool WarmUp)>();
    var rate = 1000;
    var clock = Stopwatch.StartNew();
    var sends = new List<Task>();
    for (long i = 0; clock.Elapsed < duration; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }
        var n = i;
        var warming = due < warmUp;
        sends.Add(Task.Run(async () =>
        {
            using var response = await http.SendAsync(Gateway.Inbound(key, n));
            var at = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            accepted[body.GetProperty("messages")[0].GetProperty("id").GetString()!] = (at, warming);
        }));
    }
    await Task.WhenAll(sends);
    await Task.Delay(TimeSpan.FromSeconds(3));
    using var stats = new HttpClient { BaseAddress = receiver.BaseAddress };
    var arrivals = (await stats.GetStringAsync("/arrivals")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split(' ')).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Min(p => long.Parse(p[1], CultureInfo.InvariantCulture)));
    double[] Delays(bool warming) => [.. accepted.Where(a => a.Value.WarmUp == warming && arrivals.ContainsKey(a.Key))
        .Select(a => (arrivals[a.Key] - a.Value.At) / 1000.0).Order()];
    var delays = Delays(warming: false);
    var cold = Delays(warming: true);
    var steady = accepted.Count(a => !a.Value.WarmUp);
    Report("latency", "accepted -> receiver p50", HttpLoad.Percentile(delays, 0.5), "ms", null, "-", $"{delays.Length:N0} of {steady:N0} events at {rate}/s");
    Report("latency", "accepted -> receiver p99", HttpLoad.Percentile(delays, 0.99), "ms", null, "p99 <= 25 ms", "measured from the 202 at the client to arrival at the receiver, after the warm-up second");
    Report("latency", "warm-up second p99", HttpLoad.Percentile(cold, 0.99), "ms", null, "-", $"the first {cold.Length:N0} events after start (cold: JIT, first connection)");
}

// numbers: the send workload with its load spread evenly over 1, 100 and 10,000 numbers (keys), on SQLite.
if (Wanted("numbers"))
{
    foreach (var count in quick ? [1, 100, 1_000] : new[] { 1, 100, 10_000 })
    {
        var folder = NewFolder(work, $"numbers-{count}");
        await using var gateway = await Gateway.StartAsync(folder, null, "--Sandbox:SentDelay", "1h", "--Sandbox:DeliveredDelay", "1h", "--Sandbox:ReadDelay", "1h",
            "--Sandbox:EnforceCustomerServiceWindow", "false", "--Sandbox:Throughput", "10000000", "--Sandbox:PairRateBurst", "10000000");
        using var http = HttpLoad.NewClient(gateway.BaseAddress, Connections);
        var provisioned = Stopwatch.StartNew();
        var numbers = await Gateway.ProvisionManyAsync(http, "cloud", count, 4931000000000);
        var provisionSeconds = provisioned.Elapsed.TotalSeconds;
        var result = await HttpLoad.RunAsync(http, i => Post("/messages", numbers[(int)(Math.Abs((long)i) % count)].Key,
            textBody.Replace("{TO}", (4915100000000 + Math.Abs(i) % 100000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)),
            s => s == 200, Connections, sendDuration);
        Report("numbers", $"send, {count:N0} numbers req/s", result.PerSecond, "req/s", rawKestrel!.PerSecond, "flat as numbers grow",
            $"p99 {result.P99Ms:0.00} ms, RSS {gateway.PeakRssMb():0} MB, {result.Failures} non-200; provisioning took {provisionSeconds:0.0} s");
    }
}

// receivers: delivery to 1, 100 and 1,000 distinct receiver URLs (one number each), events queued while the receiver is down.
if (Wanted("receivers"))
{
    foreach (var count in new[] { 1, 100, 1_000 })
    {
        var events = quick ? 10_000 : 50_000;
        var folder = NewFolder(work, $"receivers-{count}");
        var receiverPort = FreePort();
        await using var gateway = await Gateway.StartAsync(folder, null, "--Webhooks:RetryDelays", "1s", "--Webhooks:EndpointBackoffMax", "1s");
        using var http = HttpLoad.NewClient(gateway.BaseAddress, Connections);
        var numbers = await Gateway.ProvisionManyAsync(http, "on_premise", count, 4932000000000);
        for (var n = 0; n < count; n++)
        {
            await Gateway.SetWebhookAsync(http, numbers[n].Key, $"http://127.0.0.1:{receiverPort}/hook/{n}");
        }
        await Parallel.ForAsync(0, events, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var response = await http.SendAsync(Gateway.Inbound(numbers[i % count].Key, i), ct);
            response.EnsureSuccessStatusCode();
        });
        await using var receiver = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", $"http://127.0.0.1:{receiverPort}"]);
        using var stats = new HttpClient { BaseAddress = receiver.BaseAddress };
        var (received, first, last) = await WaitForAsync(stats, events, TimeSpan.FromMinutes(quick ? 2 : 5));
        var seconds = Math.Max(TimeSpan.FromTicks(last - first).TotalSeconds, 0.001);
        Report("receivers", $"deliver, {count:N0} receiver URLs/s", received / seconds, "events/s", rawClient!.PerSecond, "flat as receivers grow",
            $"{received:N0} of {events:N0} delivered in {seconds:0.0} s; RSS {gateway.PeakRssMb():0} MB");
    }
}

// fairness: one receiver answers after 500 ms, another at once; both numbers get the same stream. The fast one must
// keep its pace: per-receiver slots mean the slow one holds only its own.
if (Wanted("fairness"))
{
    var events = quick ? 5_000 : 20_000;
    var folder = NewFolder(work, "fairness");
    var slowPort = FreePort();
    var fastPort = FreePort();
    await using var gateway = await Gateway.StartAsync(folder, null, "--Webhooks:RetryDelays", "1s", "--Webhooks:EndpointBackoffMax", "1s",
        "--Webhooks:AttemptTimeout", "10s");
    using var http = HttpLoad.NewClient(gateway.BaseAddress, Connections);
    var numbers = await Gateway.ProvisionManyAsync(http, "on_premise", 2, 4933000000000);
    await Gateway.SetWebhookAsync(http, numbers[0].Key, $"http://127.0.0.1:{slowPort}/hook");
    await Gateway.SetWebhookAsync(http, numbers[1].Key, $"http://127.0.0.1:{fastPort}/hook");
    // Queued while both receivers are down, as in deliver: the drain, not the intake, is measured.
    await Parallel.ForAsync(0, events * 2, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
    {
        using var response = await http.SendAsync(Gateway.Inbound(numbers[i % 2].Key, i), ct);
        response.EnsureSuccessStatusCode();
    });
    await using var slow = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", $"http://127.0.0.1:{slowPort}", "--DelayMs", "500"]);
    await using var fast = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", $"http://127.0.0.1:{fastPort}"]);
    using var fastStats = new HttpClient { BaseAddress = fast.BaseAddress };
    using var slowStats = new HttpClient { BaseAddress = slow.BaseAddress };
    var (received, first, last) = await WaitForAsync(fastStats, events, TimeSpan.FromMinutes(quick ? 2 : 5));
    var seconds = Math.Max(TimeSpan.FromTicks(last - first).TotalSeconds, 0.001);
    var (slowReceived, _, _) = await StatsAsync(slowStats);
    Report("fairness", "fast receiver beside a 500 ms one/s", received / seconds, "events/s", rawClient!.PerSecond, ">= 0.40",
        $"fast: {received:N0} of {events:N0} in {seconds:0.0} s (first to last 200); slow: {slowReceived:N0} by then");
}

if (Wanted("startup"))
{
    var times = new List<double>();
    for (var i = 0; i < 3; i++)
    {
        var folder = NewFolder(work, "startup");
        var port = FreePort();
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "Waba.Gateway.dll"), .. Gateway.Args(folder, null), "--urls", $"http://127.0.0.1:{port}"])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(1) };
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var ready = await http.GetAsync("/readyz");
                if ((int)ready.StatusCode == 200)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(5);
        }
        times.Add(clock.Elapsed.TotalSeconds);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
    Report("startup", "start -> /readyz 200 (median)", times.Order().ElementAt(1), "s", null, "<= 1.0 s", $"runs: {string.Join(", ", times.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s; SQLite, empty database");
}

if (Wanted("backlog"))
{
    foreach (var pending in quick ? [100_000] : new[] { 1_000_000, 5_000_000 })
    {
        var folder = NewFolder(work, "backlog");
        var receiverPort = FreePort();
        string numberId;
        await using (var setup = await Gateway.StartAsync(folder, null))
        {
            using var http = HttpLoad.NewClient(setup.BaseAddress, 4);
            (numberId, var key) = await Gateway.ProvisionAsync(http, "on_premise", "4930000000004");
            await Gateway.SetWebhookAsync(http, key, $"http://127.0.0.1:{receiverPort}/hook");
        }
        Backlog.Insert(Path.Combine(folder, "gateway.db"), numberId, pending);
        await using (var gateway = await Gateway.StartAsync(folder, null))
        {
            await using var receiver = await ChildProcess.StartAsync("Waba.Baseline.dll", work, ["--urls", $"http://127.0.0.1:{receiverPort}"]);
            using var stats = new HttpClient { BaseAddress = receiver.BaseAddress };
            var window = TimeSpan.FromSeconds(quick ? 15 : 60);
            await Task.Delay(window);
            var (count, first, last) = await StatsAsync(stats);
            var seconds = Math.Max(TimeSpan.FromTicks(last - first).TotalSeconds, 0.001);
            var size = pending >= 1_000_000 ? $"{pending / 1_000_000}M" : $"{pending / 1_000}k";
            Report("backlog", $"peak RSS, {size} pending", gateway.PeakRssMb(), "MB", null, "<= 300 MB", $"{pending:N0} pending deliveries at start");
            Report("backlog", $"drain events/s, {size} pending", count / seconds, "events/s", rawClient!.PerSecond, ">= 0.40",
                $"{count:N0} delivered in the first {window.TotalSeconds:0} s of draining; database {new FileInfo(Path.Combine(folder, "gateway.db")).Length / 1048576:N0} MB");
        }
        Directory.Delete(folder, recursive: true);
    }
}

var output = new JsonObject
{
    ["machine"] = new JsonObject
    {
        ["cores"] = Environment.ProcessorCount, ["memory_gib"] = Math.Round(MemoryGb(), 1), ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["load"] = $"Waba.Load's own .NET client: one shared HttpClient, {Connections} concurrent loops, on the same machine as the server",
    },
    ["run_at"] = DateTimeOffset.UtcNow.ToString("O"),
    ["quick"] = quick,
    ["workloads"] = new JsonArray([.. results]),
};
var resultsFolder = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(resultsFolder);
await File.WriteAllTextAsync(Path.Combine(resultsFolder, "latest.json"), output.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"written {Path.Combine(resultsFolder, "latest.json")}");
try { Directory.Delete(work, recursive: true); } catch (IOException) { }

static string NewFolder(string work, string name) =>
    Directory.CreateDirectory(Path.Combine(work, $"{name}-{Guid.NewGuid():N}")).FullName;

static HttpRequestMessage Post(string path, string? key, string json)
{
    var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
    if (key is not null)
    {
        request.Headers.Add("D360-API-KEY", key);
    }
    return request;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

static double MemoryGb() =>
    long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;

static async Task<(long Count, long First, long Last)> StatsAsync(HttpClient stats)
{
    var parts = (await stats.GetStringAsync("/stats")).Split(' ');
    return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
}

static async Task<(long Count, long First, long Last)> WaitForAsync(HttpClient stats, long expected, TimeSpan limit)
{
    var clock = Stopwatch.StartNew();
    while (true)
    {
        var current = await StatsAsync(stats);
        if (current.Count >= expected || clock.Elapsed > limit)
        {
            return current;
        }
        await Task.Delay(100);
    }
}

static async Task<string> NewPostgresDatabaseAsync(string server)
{
    var name = "waba_bench_" + Guid.NewGuid().ToString("N")[..8];
    await using var connection = new Npgsql.NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name};", connection);
    await create.ExecuteNonQueryAsync();
    return new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
}
