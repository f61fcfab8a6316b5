using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Waba.Client.Http;
using Waba.Client.Media;
using Waba.Client.Messages;
using Waba.Client.Templates;
using Waba.Client.Validation;
using Waba.Client.Webhooks;

namespace Waba.Client;

/// <summary>
/// One WhatsApp number's API: send every message type, mark as read, media, templates, webhook configuration and the
/// On-Premise contacts check, in the dialect <see cref="WabaClientOptions.Dialect"/> names. Errors come as
/// <see cref="WabaApiException"/> whichever dialect answered.
/// </summary>
public sealed class WabaClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _base;

    /// <summary>A client over an <see cref="HttpClient"/> the caller (or <c>IHttpClientFactory</c>) owns.</summary>
    public WabaClient(HttpClient http, WabaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            throw new ArgumentException("WabaClientOptions.ApiKey is required: the number's D360-API-KEY or the Graph access token.", nameof(options));
        }
        if (options.Dialect == WabaDialect.Graph && string.IsNullOrEmpty(options.PhoneNumberId))
        {
            throw new ArgumentException("WabaClientOptions.PhoneNumberId is required for the Graph dialect.", nameof(options));
        }
        _http = http;
        Options = options;
        var address = options.RequireBaseAddress().ToString();
        _base = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>A client with its own connection pool; dispose it when done (or use <c>AddWabaClient</c>).</summary>
    public WabaClient(WabaClientOptions options)
        : this(new HttpClient(new ConnectRetryHandler(options?.ConnectRetries ?? 2) { InnerHandler = new SocketsHttpHandler() }), options!) =>
        _ownsHttp = true;

    public WabaClientOptions Options { get; }

    /// <summary>Sends a message; it is checked with WhatsApp's rules first (see <see cref="WabaClientOptions.ValidateBeforeSend"/>).</summary>
    public async Task<SentMessage> SendAsync(WabaMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonSerializer.SerializeToNode(message, WabaJsonContext.Default.WabaMessage)!.AsObject();
        PrepareForDialect(body);
        var json = body.ToJsonString();
        if (Options.ValidateBeforeSend)
        {
            using var document = JsonDocument.Parse(json);
            if (MessageRules.Check(document.RootElement, Options.Dialect) is { } refused)
            {
                throw refused;
            }
        }
        var path = Options.Dialect == WabaDialect.OnPremise ? "v1/messages" : GraphPath("messages");
        var response = await SendJsonAsync(HttpMethod.Post, path, json, WabaJsonContext.Default.SendResponse, cancellationToken).ConfigureAwait(false);
        var sent = response?.Messages is { Count: > 0 } messages ? messages[0] : throw new WabaApiException("The answer named no message id.");
        var contact = response.Contacts is { Count: > 0 } contacts ? contacts[0] : null;
        return new SentMessage(sent.Id, sent.MessageStatus, contact?.WaId, contact?.UserId);
    }

    /// <summary>Marks a received message as read: the user sees blue ticks on it and every earlier one.</summary>
    public async Task MarkAsReadAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (Options.Dialect == WabaDialect.OnPremise)
        {
            await SendJsonAsync<object>(HttpMethod.Put, $"v1/messages/{Uri.EscapeDataString(messageId)}", """{"status":"read"}""", null, cancellationToken).ConfigureAwait(false);
            return;
        }
        var body = new JsonObject { ["messaging_product"] = "whatsapp", ["status"] = "read", ["message_id"] = messageId };
        await SendJsonAsync<object>(HttpMethod.Post, GraphPath("messages"), body.ToJsonString(), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a file (WhatsApp's types and size limits apply) and answers its media id.</summary>
    public async Task<string> UploadMediaAsync(Stream content, string mimeType, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(mimeType);
        var file = new StreamContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(mimeType);
        if (Options.Dialect == WabaDialect.OnPremise)
        {
            using var raw = Request(HttpMethod.Post, "v1/media");
            raw.Content = file;
            var uploaded = await ReadAsync(raw, WabaJsonContext.Default.OnPremiseMediaResponse, cancellationToken).ConfigureAwait(false);
            return uploaded?.Media is { Count: > 0 } media ? media[0].Id : throw new WabaApiException("The answer named no media id.");
        }
        using var form = new MultipartFormDataContent
        {
            { new StringContent("whatsapp"), "messaging_product" },
            { new StringContent(mimeType), "type" },
            { file, "file", fileName },
        };
        using var request = Request(HttpMethod.Post, GraphPath("media"));
        request.Content = form;
        var answer = await ReadAsync(request, WabaJsonContext.Default.MediaIdResponse, cancellationToken).ConfigureAwait(false);
        return answer?.Id ?? throw new WabaApiException("The answer named no media id.");
    }

    /// <summary>A media file's metadata and download URL (Cloud and Graph; the On-Premise API has no such call).</summary>
    public async Task<MediaInfo> GetMediaAsync(string mediaId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaId);
        RequireNot(WabaDialect.OnPremise, "media metadata; download the file with DownloadMediaAsync");
        using var request = Request(HttpMethod.Get, Options.Dialect == WabaDialect.Graph ? $"{Options.GraphVersion}/{Uri.EscapeDataString(mediaId)}" : Uri.EscapeDataString(mediaId));
        return await ReadAsync(request, WabaJsonContext.Default.MediaInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new WabaApiException("The answer was empty.");
    }

    /// <summary>A media file's bytes as a stream (uploaded, or received from a user).</summary>
    public async Task<MediaDownload> DownloadMediaAsync(string mediaId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaId);
        Uri location;
        if (Options.Dialect == WabaDialect.OnPremise)
        {
            location = new Uri(_base, $"v1/media/{Uri.EscapeDataString(mediaId)}");
        }
        else
        {
            var info = await GetMediaAsync(mediaId, cancellationToken).ConfigureAwait(false);
            var url = new Uri(info.Url ?? throw new WabaApiException("The media has no download URL."));
            // 360dialog's recipe: the lookaside URL's path and query, at the API's own host, with the same key.
            location = Options.Dialect == WabaDialect.Cloud ? new Uri(_base, url.PathAndQuery.TrimStart('/')) : url;
        }
        var request = new HttpRequestMessage(HttpMethod.Get, location);
        Authorize(request);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        request.Dispose();
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await WabaErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        return new MediaDownload(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteMediaAsync(string mediaId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaId);
        var path = Options.Dialect switch
        {
            WabaDialect.OnPremise => $"v1/media/{Uri.EscapeDataString(mediaId)}",
            WabaDialect.Graph => $"{Options.GraphVersion}/{Uri.EscapeDataString(mediaId)}",
            _ => Uri.EscapeDataString(mediaId),
        };
        await SendJsonAsync<object>(HttpMethod.Delete, path, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The WABA's templates with their review status.</summary>
    public async Task<IReadOnlyList<TemplateInfo>> ListTemplatesAsync(CancellationToken cancellationToken = default)
    {
        if (Options.Dialect == WabaDialect.Graph)
        {
            using var graph = Request(HttpMethod.Get, $"{Options.GraphVersion}/{RequireWabaId()}/message_templates?limit=1000");
            return (await ReadAsync(graph, WabaJsonContext.Default.GraphTemplateListResponse, cancellationToken).ConfigureAwait(false))?.Data ?? [];
        }
        using var request = Request(HttpMethod.Get, "v1/configs/templates");
        return (await ReadAsync(request, WabaJsonContext.Default.TemplateListResponse, cancellationToken).ConfigureAwait(false))?.WabaTemplates ?? [];
    }

    /// <summary>Submits a template for review; it is PENDING until WhatsApp approves or rejects it.</summary>
    public async Task<TemplateInfo> CreateTemplateAsync(TemplateDefinition template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        var path = Options.Dialect == WabaDialect.Graph ? $"{Options.GraphVersion}/{RequireWabaId()}/message_templates" : "v1/configs/templates";
        var body = JsonSerializer.Serialize(template, WabaJsonContext.Default.TemplateDefinition);
        var created = await SendJsonAsync(HttpMethod.Post, path, body, WabaJsonContext.Default.TemplateInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new WabaApiException("The answer was empty.");
        // Meta answers only id, status and category: the rest is what was submitted.
        return created with
        {
            Name = string.IsNullOrEmpty(created.Name) ? template.Name : created.Name,
            Language = string.IsNullOrEmpty(created.Language) ? template.Language : created.Language,
            Components = created.Components.ValueKind == JsonValueKind.Undefined ? template.Components : created.Components,
        };
    }

    /// <summary>Deletes a template in every language.</summary>
    public async Task DeleteTemplateAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = Options.Dialect == WabaDialect.Graph
            ? $"{Options.GraphVersion}/{RequireWabaId()}/message_templates?name={Uri.EscapeDataString(name)}"
            : $"v1/configs/templates/{Uri.EscapeDataString(name)}";
        await SendJsonAsync<object>(HttpMethod.Delete, path, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the number's own webhook (On-Premise, or a Cloud number's override). The first call answers the signing
    /// secret once; <paramref name="rotateSecret"/> asks for a new one.
    /// </summary>
    public Task<WebhookConfiguration> SetWebhookAsync(string url, IReadOnlyDictionary<string, string>? headers = null, bool rotateSecret = false,
        CancellationToken cancellationToken = default) => SetWebhookAsync("v1/configs/webhook", url, headers, rotateSecret, cancellationToken);

    public Task<WebhookConfiguration> GetWebhookAsync(CancellationToken cancellationToken = default) => GetWebhookAsync("v1/configs/webhook", cancellationToken);

    /// <summary>Sets the WABA webhook, used by every Cloud number of the WABA without its own (360dialog's Cloud API).</summary>
    public Task<WebhookConfiguration> SetWabaWebhookAsync(string url, IReadOnlyDictionary<string, string>? headers = null, bool rotateSecret = false,
        CancellationToken cancellationToken = default) => SetWebhookAsync("waba_webhook", url, headers, rotateSecret, cancellationToken);

    public Task<WebhookConfiguration> GetWabaWebhookAsync(CancellationToken cancellationToken = default) => GetWebhookAsync("waba_webhook", cancellationToken);

    /// <summary>
    /// Where the number's events go now: its own webhook, else (Cloud numbers) the WABA's; null when neither is set.
    /// The secret of that webhook is the one that signs them.
    /// </summary>
    public async Task<EffectiveWebhook?> GetEffectiveWebhookAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return new EffectiveWebhook("phone_number", await GetWebhookAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (WabaApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
        if (Options.Dialect == WabaDialect.OnPremise)
        {
            return null;
        }
        try
        {
            return new EffectiveWebhook("waba", await GetWabaWebhookAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (WabaApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>On-Premise: which of these phone numbers are on WhatsApp, with their WhatsApp ids.</summary>
    public async Task<IReadOnlyList<ContactStatus>> CheckContactsAsync(IEnumerable<string> phoneNumbers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(phoneNumbers);
        if (Options.Dialect != WabaDialect.OnPremise)
        {
            throw new NotSupportedException("The contacts check is an On-Premise API call; the Cloud API sends to any number directly.");
        }
        var body = JsonSerializer.Serialize(new ContactCheckRequest("wait", [.. phoneNumbers]), WabaJsonContext.Default.ContactCheckRequest);
        return (await SendJsonAsync(HttpMethod.Post, "v1/contacts", body, WabaJsonContext.Default.ContactCheckResponse, cancellationToken).ConfigureAwait(false))?.Contacts ?? [];
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<WebhookConfiguration> SetWebhookAsync(string path, string url, IReadOnlyDictionary<string, string>? headers, bool rotateSecret,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        RequireNot(WabaDialect.Graph, "webhook configuration (Meta's webhooks are set in the app dashboard)");
        var body = JsonSerializer.Serialize(new WebhookConfigurationRequest(url, headers, rotateSecret ? true : null), WabaJsonContext.Default.WebhookConfigurationRequest);
        return (await SendJsonAsync(HttpMethod.Post, path, body, WabaJsonContext.Default.WebhookConfiguration, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<WebhookConfiguration> GetWebhookAsync(string path, CancellationToken cancellationToken)
    {
        RequireNot(WabaDialect.Graph, "webhook configuration (Meta's webhooks are set in the app dashboard)");
        using var request = Request(HttpMethod.Get, path);
        return (await ReadAsync(request, WabaJsonContext.Default.WebhookConfiguration, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Cloud and Graph bodies name the product; On-Premise templates name their language policy.</summary>
    private void PrepareForDialect(JsonObject body)
    {
        if (Options.Dialect == WabaDialect.OnPremise)
        {
            if (body["template"]?["language"] is JsonObject language && language["policy"] is null)
            {
                language["policy"] = "deterministic";
            }
            return;
        }
        var product = new JsonObject { ["messaging_product"] = "whatsapp" };
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            product[name] = value;
        }
        foreach (var (name, value) in product.ToList())
        {
            product.Remove(name);
            body[name] = value;
        }
    }

    private string GraphPath(string action) =>
        Options.Dialect == WabaDialect.Graph ? $"{Options.GraphVersion}/{Uri.EscapeDataString(Options.PhoneNumberId!)}/{action}" : action;

    private string RequireWabaId() =>
        Options.WabaId ?? throw new InvalidOperationException("WabaClientOptions.WabaId is required for templates on the Graph dialect.");

    private void RequireNot(WabaDialect dialect, string what)
    {
        if (Options.Dialect == dialect)
        {
            throw new NotSupportedException($"The {dialect} dialect has no API for {what}.");
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(_base, path));
        Authorize(request);
        return request;
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (Options.Dialect == WabaDialect.Graph)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        }
        else
        {
            request.Headers.TryAddWithoutValidation("D360-API-KEY", Options.ApiKey);
        }
    }

    internal async Task<T?> SendJsonAsync<T>(HttpMethod method, string path, string? json, JsonTypeInfo<T>? answer, CancellationToken cancellationToken)
        where T : class
    {
        using var request = Request(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await ReadAsync(request, answer, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> ReadAsync<T>(HttpRequestMessage request, JsonTypeInfo<T>? answer, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await WabaErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
        if (answer is null)
        {
            return null;
        }
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, answer, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException e)
        {
            throw new WabaApiException($"The answer to {request.Method} {request.RequestUri?.AbsolutePath} was not the JSON WhatsApp sends.", e);
        }
    }
}
