using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Waba.Gateway.Webhooks.UrlPolicy;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>DNS played by the test: each host answers its queued answers in turn, the last one repeating.</summary>
public sealed class StubResolver : IHostResolver
{
    private readonly ConcurrentDictionary<string, Queue<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public StubResolver Answer(string host, params string[][] answers)
    {
        _answers[host] = new Queue<IPAddress[]>(answers.Select(a => a.Select(IPAddress.Parse).ToArray()));
        return this;
    }

    public int Lookups { get; private set; }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups++;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return Task.FromResult(new[] { literal });
        }
        if (!_answers.TryGetValue(host, out var queue))
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        lock (queue)
        {
            return Task.FromResult(queue.Count > 1 ? queue.Dequeue() : queue.Peek());
        }
    }
}
