using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>A fake Graph API on 127.0.0.1 following Meta's documented contract: records what it is sent and answers as told.</summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGraph(WebApplication app) => _app = app;

    public sealed record GraphCall(string Method, string Path, string Authorization, string Body);

    public ConcurrentQueue<GraphCall> Calls { get; } = new();

    /// <summary>"ok", "error" (Meta's 400 with code 131030), "down" (500) or "slow" (answers after 3 s).</summary>
    public string Mode { get; set; } = "ok";

    public string BaseUrl => _app.Urls.First();

    private int _failNextReads;

    /// <summary>How many of the next GETs answer 503 (Meta having a moment).</summary>
    public int FailNextReads { get => Volatile.Read(ref _failNextReads); set => Volatile.Write(ref _failNextReads, value); }

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeGraph(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>
    /// A test's own answers, tried first: given the request and its body, it answers and returns true, or returns false to
    /// leave the request to the documented defaults below.
    /// </summary>
    public Func<HttpContext, string, Task<bool>>? Respond { get; set; }

    /// <summary>The JSON body of the last call to this path (without query), or null when there was none.</summary>
    public string? LastBody(string method, string path) =>
        Calls.LastOrDefault(c => c.Method == method && c.Path.Split('?')[0] == path) is { } call ? call.Body[(call.Body.IndexOf('\n', StringComparison.Ordinal) + 1)..] : null;

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Calls.Enqueue(new GraphCall(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(),
            context.Request.ContentType + "\n" + body));
        if (Respond is { } respond && await respond(context, body))
        {
            return;
        }
        var path = context.Request.Path.Value!;
        context.Response.ContentType = "application/json";
        if (context.Request.Method == "GET" && Interlocked.Decrement(ref _failNextReads) >= 0)
        {
            context.Response.StatusCode = 503;
            return;
        }
        if (path.StartsWith("/lookaside/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) ? 200 : 401;
            context.Response.ContentType = "image/jpeg";
            await context.Response.WriteAsync("JPEG-BYTES");
            return;
        }
        if (path.EndsWith("/message_templates", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync(context.Request.Method switch
            {
                "GET" => """{"data":[{"name":"shipping","language":"en_US","status":"APPROVED","category":"UTILITY","components":[{"type":"BODY","text":"Shipped {{1}}"}],"id":"1"}],"paging":{}}""",
                "POST" => """{"id":"99","status":"PENDING","category":"UTILITY"}""",
                _ => """{"success":true}""",
            });
            return;
        }
        if (path.EndsWith("/whatsapp_business_profile", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync(context.Request.Method == "GET"
                ? """{"data":[{"about":"From Meta","address":"Meta Street 1","vertical":"RETAIL","websites":["https://shop.example"],"messaging_product":"whatsapp"}]}"""
                : """{"success":true}""");
            return;
        }
        if (path.EndsWith("/block_users", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync(context.Request.Method switch
            {
                "GET" => """{"data":[{"messaging_product":"whatsapp","wa_id":"16505551234"}],"paging":{"cursors":{"before":"a","after":"b"}}}""",
                "POST" => """{"messaging_product":"whatsapp","block_users":{"added_users":[{"input":"+16505551234","wa_id":"16505551234"}]}}""",
                _ => """{"messaging_product":"whatsapp","block_users":{"removed_users":[{"input":"+16505551234","wa_id":"16505551234"}]}}""",
            });
            return;
        }
        if (context.Request.Method == "GET" && context.Request.Query.ContainsKey("fields"))
        {
            await context.Response.WriteAsync($$"""{"display_phone_number":"+1 555-078-3881","verified_name":"Real Shop","quality_rating":"YELLOW","throughput":{"level":"HIGH"},"id":"{{path.Split('/')[^1]}}"}""");
            return;
        }
        if (path.EndsWith("/media", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("""{"id":"7777000011112222"}""");
            return;
        }
        if (!path.EndsWith("/messages", StringComparison.Ordinal))
        {
            var id = path.Split('/')[^1];
            await context.Response.WriteAsync(context.Request.Method == "DELETE"
                ? """{"success":true}"""
                : $$"""{"messaging_product":"whatsapp","url":"{{BaseUrl}}/lookaside/{{id}}","mime_type":"image/jpeg","sha256":"abc123","file_size":10,"id":"{{id}}"}""");
            return;
        }
        switch (Mode)
        {
            case "error":
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"error":{"message":"(#131030) Recipient phone number not in allowed list","type":"OAuthException","code":131030,"error_data":{"messaging_product":"whatsapp","details":"Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again."},"fbtrace_id":"AbCdEfGh123"}}""");
                return;
            case "down":
                context.Response.StatusCode = 500;
                return;
            case "slow":
                await Task.Delay(3000);
                break;
        }
        context.Response.ContentType = "application/json";
        // Meta names the recipient as addressed: input and wa_id for a phone number, input and user_id for a BSUID.
        var sent = System.Text.Json.Nodes.JsonNode.Parse(body) as System.Text.Json.Nodes.JsonObject;
        var contact = new System.Text.Json.Nodes.JsonObject();
        if (sent?["to"]?.ToString() is { } to)
        {
            contact["input"] = to;
            contact["wa_id"] = new string([.. to.Where(char.IsAsciiDigit)]);
        }
        else if (sent?["recipient"]?.ToString() is { } recipient)
        {
            contact["input"] = recipient;
            contact["user_id"] = recipient;
        }
        await context.Response.WriteAsync($$"""{"messaging_product":"whatsapp","contacts":[{{contact.ToJsonString()}}],"messages":[{"id":"wamid.FROM-META-{{Guid.NewGuid():N}}"}]}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

