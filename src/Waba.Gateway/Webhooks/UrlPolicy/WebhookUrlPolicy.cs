using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Waba.Gateway.Dialects;
using Waba.Gateway.Sandbox;

namespace Waba.Gateway.Webhooks.UrlPolicy;

/// <summary>
/// <c>production</c>: https, and a host that resolves only to public addresses. <c>development</c> (the default while
/// the sandbox is on) also allows http and loopback hosts with ports. Cloud webhook URLs never have '_' in the host,
/// nor an explicit port (loopback under the development policy excepted), as 360dialog requires.
/// </summary>
public enum WebhookUrlPolicyKind
{
    Production,
    Development,
}

/// <summary>A webhook URL as accepted: credentials moved out of the URL into an Authorization header.</summary>
public sealed record AcceptedWebhookUrl(string Url, string? BasicAuthorization);

public sealed class WebhookUrlPolicy(IOptions<WebhooksOptions> webhooks, IOptions<SandboxOptions> sandbox, IHostResolver resolver)
{
    public WebhookUrlPolicyKind Kind { get; } = webhooks.Value.Policy switch
    {
        null or "" => sandbox.Value.Enabled ? WebhookUrlPolicyKind.Development : WebhookUrlPolicyKind.Production,
        var p when p.Equals("development", StringComparison.OrdinalIgnoreCase) => WebhookUrlPolicyKind.Development,
        _ => WebhookUrlPolicyKind.Production,
    };

    public async Task<(AcceptedWebhookUrl? Url, ApiError? Error)> CheckAsync(string? url, bool cloud, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return (null, ApiError.Missing("url"));
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Refuse("must be an absolute http or https URL");
        }
        if (uri.Fragment.Length > 0)
        {
            return Refuse("must not contain a fragment (#...)");
        }
        var host = uri.IdnHost;
        if (cloud && host.Contains('_', StringComparison.Ordinal))
        {
            return Refuse("the host of a Cloud webhook URL may not contain '_'");
        }
        var loopbackHost = uri.IsLoopback;
        var development = Kind == WebhookUrlPolicyKind.Development;
        if (!development && uri.Scheme != Uri.UriSchemeHttps)
        {
            return Refuse("must use https (the production policy; set Webhooks:Policy=development to allow http)");
        }
        if (cloud && HasExplicitPort(url) && !(development && loopbackHost))
        {
            return Refuse("a Cloud webhook URL may not carry an explicit port");
        }
        if (!development)
        {
            IPAddress[] addresses;
            try
            {
                addresses = await resolver.ResolveAsync(host, cancellationToken);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
            {
                return Refuse($"the host '{host}' does not resolve");
            }
            if (addresses.Length == 0)
            {
                return Refuse($"the host '{host}' does not resolve");
            }
            foreach (var address in addresses)
            {
                if (AddressClassifier.NonPublicKind(address) is { } kind)
                {
                    return Refuse($"the host '{host}' resolves to a {kind} address ({address}); the production policy delivers only to public addresses");
                }
            }
        }

        string? basic = null;
        if (uri.UserInfo.Length > 0)
        {
            basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo)));
            uri = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
        }
        return (new AcceptedWebhookUrl(uri.AbsoluteUri, basic), null);
    }

    private static (AcceptedWebhookUrl?, ApiError?) Refuse(string reason) => (null, ApiError.Invalid("url", reason));

    /// <summary>Whether the authority names a port, even the scheme's default (<see cref="Uri"/> hides that).</summary>
    public static bool HasExplicitPort(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }
        var authority = url[(start + 3)..];
        var end = authority.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            authority = authority[..end];
        }
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }
        var bracket = authority.LastIndexOf(']');
        return authority.IndexOf(':', bracket + 1) >= 0;
    }
}
