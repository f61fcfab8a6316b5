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

public sealed record TemplateView(string Name, string Language, string Category, string Status, JsonElement Components, string RejectedReason = "NONE");

public sealed record TemplateList(int Count, int Total, IReadOnlyList<TemplateView> WabaTemplates);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TemplateView))]
[JsonSerializable(typeof(TemplateList))]
internal sealed partial class TemplateJsonContext : JsonSerializerContext;

/// <summary>
/// The WABA's message templates (360dialog's <c>/v1/configs/templates</c>), reached with any of its numbers' keys.
/// The sandbox approves a new template after <c>Sandbox:TemplateApprovalDelay</c>.
/// </summary>
public static partial class TemplateEndpoints
{
    private static readonly HashSet<string> Categories = ["MARKETING", "UTILITY", "AUTHENTICATION"];
    private static readonly HashSet<string> ComponentTypes = ["HEADER", "BODY", "FOOTER", "BUTTONS"];

    public static RouteGroupBuilder MapTemplates(this RouteGroupBuilder channelApi)
    {
        channelApi.MapGet("/v1/configs/templates", ListAsync).WithTags("Templates").WithSummary("The WABA's templates with their status.");
        channelApi.MapPost("/v1/configs/templates", CreateAsync).WithTags("Templates")
            .WithSummary("Submit a template {name, category, language, components}; the sandbox approves it after a delay.");
        channelApi.MapDelete("/v1/configs/templates/{name}", DeleteAsync).WithTags("Templates").WithSummary("Delete a template in every language.");
        return channelApi;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IGatewayStore store, TimeProvider time, Meta.MetaGraph meta)
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
        var templates = await store.ListTemplatesAsync(http.Channel().WabaId, http.RequestAborted);
        var now = time.GetUtcNow();
        var views = templates.Select(t => ToView(t, now)).ToList();
        return Results.Json(new TemplateList(views.Count, views.Count, views), TemplateJsonContext.Default.TemplateList);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IGatewayStore store, TimeProvider time, IOptions<SandboxOptions> sandbox, Meta.MetaGraph meta)
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
            if (Validate(root, out var name, out var language, out var category, out var components) is { } error)
            {
                return DialectResults.Error(channel.HostingType, error);
            }
            if (Meta.MetaGraph.Serves(channel))
            {
                // Meta reviews it; its answer carries the id and the status.
                var submitted = root.GetRawText();
                return await ProxyAsync(http, meta, HttpMethod.Post, new StringContent(submitted, System.Text.Encoding.UTF8, "application/json"), async (response, ct) =>
                {
                    using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                    var status = answer.RootElement.TryGetProperty("status", out var st) ? st.GetString()!.ToLowerInvariant() : "submitted";
                    using var parsed = JsonDocument.Parse(components);
                    return Results.Json(new TemplateView(name, language, category, status, parsed.RootElement.Clone()), TemplateJsonContext.Default.TemplateView,
                        statusCode: StatusCodes.Status201Created);
                });
            }
            var now = time.GetUtcNow();
            var template = new MessageTemplate(channel.WabaId, name, language, category, components, now,
                now + Durations.Parse(sandbox.Value.TemplateApprovalDelay, "Sandbox:TemplateApprovalDelay"));
            if (!await store.CreateTemplateAsync(template, http.RequestAborted))
            {
                return DialectResults.Error(channel.HostingType, ApiError.Invalid("name", $"the WABA already has a template '{name}' in '{language}'"));
            }
            return Results.Json(ToView(template, now), TemplateJsonContext.Default.TemplateView, statusCode: StatusCodes.Status201Created);
        }
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, IGatewayStore store, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await ProxyAsync(http, meta, HttpMethod.Delete, null,
                (_, _) => Task.FromResult(Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)), $"?name={Uri.EscapeDataString(name)}");
        }
        return await store.DeleteTemplatesAsync(channel.WabaId, name, http.RequestAborted) > 0
            ? Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)
            : DialectResults.Error(channel.HostingType, new ApiError(ApiErrorKind.ResourceNotFound, $"name: no template '{name}'"));
    }

    /// <summary>The WABA's message_templates edge at Meta, for <c>meta</c> numbers; Meta's errors come back in the caller's dialect.</summary>
    private static async Task<IResult> ProxyAsync(HttpContext http, Meta.MetaGraph meta, HttpMethod method, HttpContent? content,
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

    private static ApiError? Validate(JsonElement root, out string name, out string language, out string category, out string components)
    {
        language = category = components = string.Empty;
        if (Fields.String(root, "name", "name", 512, out name) is { } error)
        {
            return error;
        }
        if (!TemplateName().IsMatch(name))
        {
            return ApiError.Invalid("name", "may hold only lower-case letters, digits and underscores");
        }
        if ((Fields.String(root, "language", "language", 15, out language) ?? Fields.String(root, "category", "category", 20, out category)) is { } fieldError)
        {
            return fieldError;
        }
        category = category.ToUpperInvariant();
        if (!Categories.Contains(category))
        {
            return ApiError.Invalid("category", "must be MARKETING, UTILITY or AUTHENTICATION");
        }
        if (Fields.Array(root, "components", "components", 1, 10, out var list) is { } listError)
        {
            return listError;
        }
        var hasBody = false;
        var i = 0;
        foreach (var component in list.EnumerateArray())
        {
            var path = $"components[{i++}]";
            if (component.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid(path, "must be an object");
            }
            if (Fields.String(component, "type", $"{path}.type", 20, out var type) is { } typeError)
            {
                return typeError;
            }
            if (!ComponentTypes.Contains(type.ToUpperInvariant()))
            {
                return ApiError.Invalid($"{path}.type", "must be HEADER, BODY, FOOTER or BUTTONS");
            }
            if (type.Equals("BODY", StringComparison.OrdinalIgnoreCase))
            {
                hasBody = true;
                if (Fields.String(component, "text", $"{path}.text", 1024, out _) is { } textError)
                {
                    return textError;
                }
            }
        }
        if (!hasBody)
        {
            return ApiError.Missing("components[type=BODY]");
        }
        components = list.GetRawText();
        return null;
    }

    private static TemplateView ToView(MessageTemplate template, DateTimeOffset now)
    {
        using var components = JsonDocument.Parse(template.Components);
        return new TemplateView(template.Name, template.Language, template.Category, template.StatusAt(now), components.RootElement.Clone());
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex TemplateName();
}
