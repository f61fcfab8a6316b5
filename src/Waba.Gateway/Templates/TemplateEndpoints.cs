using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Sandbox;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Templates;

/// <param name="Namespace">The WABA's template namespace, which On-Premise template messages carry.</param>
public sealed record TemplateView(string Name, string Language, string Category, string Status, JsonElement Components, string RejectedReason = "NONE",
    string? Namespace = null, string? Id = null);

public sealed record TemplateList(int Count, int Total, IReadOnlyList<TemplateView> WabaTemplates);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TemplateView))]
[JsonSerializable(typeof(TemplateList))]
internal sealed partial class TemplateJsonContext : JsonSerializerContext;

/// <summary>
/// The WABA's message templates (360dialog's <c>/v1/configs/templates</c>), reached with any of its numbers' keys.
/// The sandbox approves a new template after <c>Sandbox:TemplateApprovalDelay</c>.
/// </summary>
public static partial class TemplateEndpoints
{
    public static RouteGroupBuilder MapTemplates(this RouteGroupBuilder channelApi)
    {
        channelApi.MapGet("/v1/configs/templates", ListAsync).WithTags("Templates").WithSummary("The WABA's templates with their status.");
        channelApi.MapPost("/v1/configs/templates", CreateAsync).WithTags("Templates")
            .WithSummary("Submit a template {name, category, language, components}; the sandbox approves it after a delay.");
        channelApi.MapDelete("/v1/configs/templates/{name}", DeleteAsync).WithTags("Templates").WithSummary("Delete a template in every language.");
        return channelApi;
    }

    private static async Task<IResult> ListAsync(HttpContext http, Templates.ITemplateStore templateStore, TimeProvider time, Meta.MetaGraph meta)
    {
        if (Meta.MetaGraph.Serves(http.Channel()))
        {
            return await ProxyAsync(http, meta, HttpMethod.Get, null, async (response, ct) =>
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                var views = document.RootElement.TryGetProperty("data", out var data)
                    ? data.EnumerateArray().Select(t => new TemplateView(t.GetProperty("name").GetString()!, t.GetProperty("language").GetString()!,
                        t.TryGetProperty("category", out var c) ? c.GetString()! : "", (t.TryGetProperty("status", out var st) ? st.GetString()! : "").ToLowerInvariant(),
                        t.TryGetProperty("components", out var comp) ? comp.Clone() : JsonDocument.Parse("[]").RootElement.Clone())).ToList()
                    : [];
                return Results.Json(new TemplateList(views.Count, views.Count, views), TemplateJsonContext.Default.TemplateList);
            });
        }
        var templates = await templateStore.ListTemplatesAsync(http.Channel().WabaId, http.RequestAborted);
        var now = time.GetUtcNow();
        var views = templates.Select(t => ToView(t, now)).ToList();
        return Results.Json(new TemplateList(views.Count, views.Count, views), TemplateJsonContext.Default.TemplateList);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, TemplateReview review, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, channel.HostingType);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            var root = document!.RootElement;
            if (TemplateReview.Read(root, out var submission) is { } error)
            {
                return DialectResults.Error(channel.HostingType, error);
            }
            var (name, language, category, components) = (submission.Name, submission.Language, submission.Category, submission.Components);
            if (Meta.MetaGraph.Serves(channel))
            {
                // Meta reviews it; its answer carries the id and the status.
                var submitted = root.GetRawText();
                return await ProxyAsync(http, meta, HttpMethod.Post, new StringContent(submitted, System.Text.Encoding.UTF8, "application/json"), async (response, ct) =>
                {
                    using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    var status = answer.RootElement.TryGetProperty("status", out var st) ? st.GetString()!.ToLowerInvariant() : "submitted";
                    using var parsed = JsonDocument.Parse(components);
                    return Results.Json(new TemplateView(name, language, category, status, parsed.RootElement.Clone()), TemplateJsonContext.Default.TemplateView);
                });
            }
            // 360dialog documents 200 for a submitted template.
            var template = await review.SubmitAsync(channel, submission, http.RequestAborted);
            return template is null
                ? DialectResults.Error(channel.HostingType, ApiError.Invalid("name", $"the WABA already has a template '{name}' in '{language}'"))
                : Results.Json(ToView(template, template.CreatedAt), TemplateJsonContext.Default.TemplateView);
        }
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, Templates.ITemplateStore templateStore, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await ProxyAsync(http, meta, HttpMethod.Delete, null,
                (_, _) => Task.FromResult(Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)), $"?name={Uri.EscapeDataString(name)}");
        }
        return await templateStore.DeleteTemplatesAsync(channel.WabaId, name, http.RequestAborted) > 0
            ? Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)
            : DialectResults.Error(channel.HostingType, new ApiError(ApiErrorKind.ResourceNotFound, $"name: no template '{name}'"));
    }

    /// <summary>The WABA's message_templates edge at Meta, for <c>meta</c> numbers; Meta's errors come back in the caller's dialect.</summary>
    internal static async Task<IResult> ProxyAsync(HttpContext http, Meta.MetaGraph meta, HttpMethod method, HttpContent? content,
        Func<HttpResponseMessage, CancellationToken, Task<IResult>> success, string query = "")
    {
        var channel = http.Channel();
        var wabaId = await meta.MetaWabaIdAsync(channel, http.RequestAborted);
        var (response, error) = wabaId is null
            ? (null, new ApiError(ApiErrorKind.UpstreamUnavailable, "This number has no Meta credentials."))
            : await meta.SendAsync(channel, method, $"{wabaId}/message_templates{query}", content, http.RequestAborted);
        using (response)
        {
            if (response is null)
            {
                return DialectResults.Error(channel.HostingType, error!);
            }
            return response.IsSuccessStatusCode
                ? await success(response, http.RequestAborted)
                : DialectResults.Error(channel.HostingType, await Meta.MetaGraph.ErrorOfAsync(response, http.RequestAborted));
        }
    }

    private static TemplateView ToView(MessageTemplate template, DateTimeOffset now)
    {
        using var components = JsonDocument.Parse(template.Components);
        var status = template.StatusAt(now);
        return new TemplateView(template.Name, template.Language, template.Category, status, components.RootElement.Clone(),
            status == "rejected" ? template.RejectedReason! : "NONE", TemplateReview.NamespaceOf(template.WabaId), TemplateReview.IdOf(template));
    }

}
