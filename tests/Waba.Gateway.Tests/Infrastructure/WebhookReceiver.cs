using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string EventId => Headers["webhook-id"];
}

/// <summary>A real HTTP receiver on 127.0.0.1 (Kestrel) that records every request and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _count;

    private WebhookReceiver(WebApplication app, Func<int, int> respond)
    {
        _app = app;
        Respond = respond;
    }

    /// <summary>Maps the 1-based number of a request to the status it is answered with. Default: always 200.</summary>
    public Func<int, int> Respond { get; set; }

    /// <summary>A body to answer with (an error page, a stack trace), or none.</summary>
    public string? AnswerBody { get; set; }

    public int Port { get; private set; }

    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(int port = 0, Func<int, int>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, respond ?? (_ => 200));
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Port = new Uri(app.Urls.First()).Port;
        return receiver;
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on right now: a receiver that is down.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var status = Respond(Interlocked.Increment(ref _count));
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _received.Enqueue(new ReceivedWebhook(context.Request.Path, headers, body, status));
        context.Response.StatusCode = status;
        if (AnswerBody is { } answer)
        {
            await context.Response.WriteAsync(answer);
        }
    }

    /// <summary>Waits until the received requests satisfy <paramref name="condition"/>; fails the test after the timeout.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var snapshot = Received;
            if (condition(snapshot))
            {
                return snapshot;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The receiver did not get {what ?? "what was expected"}; it got {snapshot.Count} requests:\n"
                    + string.Join("\n", snapshot.Select(r => $"{r.AnsweredWith} {r.Body}")));
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
