using System.Collections.Concurrent;
using System.Text.Json;

// The ceiling on this machine: raw Kestrel with nothing of the gateway. POST /messages parses the JSON body and answers
// a canned 200 (the raw-kestrel baseline); POST /hook is a webhook receiver that counts, and for the latency workload
// notes when each message id arrived.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

const string Canned = """{"messaging_product":"whatsapp","contacts":[{"input":"4915100000000","wa_id":"4915100000000"}],"messages":[{"id":"wamid.canned"}]}""";
long received = 0;
long firstTicks = 0;
long lastTicks = 0;
var arrivals = new ConcurrentQueue<(string Id, long UnixMicros)>();
var recordArrivals = app.Configuration.GetValue("RecordArrivals", false);
// A slow receiver for the fairness workload: every webhook is answered after this many milliseconds.
var delay = TimeSpan.FromMilliseconds(app.Configuration.GetValue("DelayMs", 0));

app.MapPost("/messages", async (HttpRequest request) =>
{
    using var document = await JsonDocument.ParseAsync(request.Body);
    return Results.Text(Canned, "application/json");
});
// /hook, and /hook/<anything> for workloads that give every number its own receiver URL.
var hook = async (HttpRequest request) =>
{
    if (delay > TimeSpan.Zero)
    {
        await Task.Delay(delay);
    }
    var now = DateTime.UtcNow.Ticks;
    if (recordArrivals)
    {
        using var document = await JsonDocument.ParseAsync(request.Body);
        if (document.RootElement.TryGetProperty("messages", out var messages))
        {
            arrivals.Enqueue((messages[0].GetProperty("id").GetString()!, (now - DateTime.UnixEpoch.Ticks) / 10));
        }
    }
    else
    {
        await request.Body.CopyToAsync(Stream.Null);
    }
    Interlocked.CompareExchange(ref firstTicks, now, 0);
    Interlocked.Exchange(ref lastTicks, now);
    Interlocked.Increment(ref received);
    return Results.Ok();
};
app.MapPost("/hook", hook);
app.MapPost("/hook/{**rest}", hook);
app.MapGet("/stats", () => Results.Text($"{Interlocked.Read(ref received)} {Interlocked.Read(ref firstTicks)} {Interlocked.Read(ref lastTicks)}"));
app.MapGet("/arrivals", () => Results.Text(string.Join('\n', arrivals.Select(a => $"{a.Id} {a.UnixMicros}"))));
app.Start();
Console.WriteLine($"Now listening on: {app.Urls.First()}"); // the driver reads this line
app.WaitForShutdown();
