using System.Net;
using System.Net.Sockets;

namespace Waba.Gateway.Webhooks.UrlPolicy;

/// <summary>
/// The socket-level half of SSRF protection: under the production policy the name is resolved again at connect time
/// and only public addresses are dialled, so a DNS answer that changed since the URL was checked (rebinding) cannot
/// reach an internal address.
/// </summary>
public sealed class GuardedConnector(WebhookUrlPolicy policy, IHostResolver resolver)
{
    /// <summary>The addresses that may be dialled for <paramref name="host"/>; throws when there are none.</summary>
    public async Task<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = await resolver.ResolveAsync(host, cancellationToken);
        if (policy.Kind == WebhookUrlPolicyKind.Development)
        {
            return addresses;
        }
        var allowed = addresses.Where(AddressClassifier.IsPublic).ToArray();
        return allowed.Length > 0
            ? allowed
            : throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"Refused to connect: '{host}' resolves only to non-public addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await AllowedAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
