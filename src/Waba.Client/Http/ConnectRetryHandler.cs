using System.Net;

namespace Waba.Client.Http;

/// <summary>
/// Tries a request again only where that cannot send a message twice: when the connection could not be opened (no
/// byte reached the server), and on a 429 answer to a read (<c>GET</c>/<c>HEAD</c>), after <c>Retry-After</c> or a
/// growing pause. A send that reached the server is never repeated: WhatsApp would deliver it twice.
/// </summary>
public sealed class ConnectRetryHandler(int retries, TimeProvider? time = null) : DelegatingHandler
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt < retries)
            {
                await Task.Delay(Pause(attempt), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var isRead = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
            if (response.StatusCode != HttpStatusCode.TooManyRequests || !isRead || attempt >= retries)
            {
                return response;
            }
            var wait = response.Headers.RetryAfter?.Delta ?? Pause(attempt);
            response.Dispose();
            await Task.Delay(wait < TimeSpan.FromSeconds(30) ? wait : TimeSpan.FromSeconds(30), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(200 * (1 << attempt));
}
