using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Waba.Gateway.Dialects;
using Waba.Gateway.Dialects.Graph;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Templates;

public sealed record GraphTemplate(string Name, JsonElement Components, string Language, string Status, string Category, string Id, string? RejectedReason = null);

public sealed record GraphTemplateList(IReadOnlyList<GraphTemplate> Data, GraphPaging Paging);

public sealed record GraphTemplateCreated(string Id, string Status, string Category);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GraphTemplateList))]
[JsonSerializable(typeof(GraphTemplateCreated))]
internal sealed partial class GraphTemplateJsonContext : JsonSerializerContext;

/// <summary>
/// Meta's <c>/{waba-id}/message_templates</c> edge: list (paged with <c>paging.cursors</c>, filtered by <c>name</c> and
/// <c>status</c>), create, and delete by <c>name</c>, so Cloud API clients manage templates unchanged. <c>meta</c>
/// numbers reach Meta's own edge for their WABA.
/// </summary>
internal static class GraphTemplates
{
    public static async Task<IResult> ListAsync(HttpContext http, Templates.ITemplateStore templateStore, TimeProvider time, Meta.MetaGraph meta)
    {
        if (Meta.MetaGraph.Serves(http.Channel()))
        {
            return await PassThroughAsync(http, meta, HttpMethod.Get, null);
        }
        var query = http.Request.Query;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l is > 0 and <= 1000 ? l : 25;
        var after = GraphCursor.Decode(query["after"]);
        var now = time.GetUtcNow();
        var all = (await templateStore.ListTemplatesAsync(http.Channel().WabaId, http.RequestAborted))
            .Select(t => (Key: $"{t.Name}\u0000{t.Language}", Template: t))
            .Where(t => string.IsNullOrEmpty(query["name"]) || t.Template.Name.Contains(query["name"]!, StringComparison.Ordinal))
            .Where(t => string.IsNullOrEmpty(query["status"]) || MetaStatus(t.Template.StatusAt(now)).Equals(query["status"], StringComparison.OrdinalIgnoreCase))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .ToList();
        var page = all.Where(t => after is null || string.CompareOrdinal(t.Key, after) > 0).Take(limit + 1).ToList();
        var shown = page.Take(limit).ToList();
        var data = shown.Select(t =>
        {
            using var components = JsonDocument.Parse(t.Template.Components);
            var status = MetaStatus(t.Template.StatusAt(now));
            return new GraphTemplate(t.Template.Name, components.RootElement.Clone(), t.Template.Language, status, t.Template.Category,
                TemplateReview.IdOf(t.Template), status == "REJECTED" ? t.Template.RejectedReason : null);
        }).ToList();
        var cursors = new GraphCursors(shown.Count > 0 ? GraphCursor.Encode(shown[0].Key) : null, shown.Count > 0 ? GraphCursor.Encode(shown[^1].Key) : null);
        var next = page.Count > limit
            ? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}?limit={limit}&after={Uri.EscapeDataString(cursors.After!)}"
            : null;
        return Results.Json(new GraphTemplateList(data, new GraphPaging(cursors, next)), GraphTemplateJsonContext.Default.GraphTemplateList);
    }

    public static async Task<IResult> CreateAsync(HttpContext http, TemplateReview review, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.Cloud);
        if (invalid is not null)
        {
            return invalid;
        }
        TemplateSubmission submission;
        using (document)
        {
            if (TemplateReview.Read(document!.RootElement, out submission) is { } error)
            {
                return DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.MalformedRequest, error.Details));
            }
            if (Meta.MetaGraph.Serves(channel))
            {
                return await PassThroughAsync(http, meta, HttpMethod.Post, document.RootElement.GetRawText());
            }
        }
        var template = await review.SubmitAsync(channel, submission, http.RequestAborted);
        return template is null
            ? DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.MalformedRequest,
                $"Message template already exists: the WABA has '{submission.Name}' in '{submission.Language}'."))
            : Results.Json(new GraphTemplateCreated(TemplateReview.IdOf(template), "PENDING", template.Category), GraphTemplateJsonContext.Default.GraphTemplateCreated);
    }

    public static async Task<IResult> DeleteAsync(HttpContext http, Templates.ITemplateStore templateStore, Meta.MetaGraph meta)
    {
        if (Meta.MetaGraph.Serves(http.Channel()))
        {
            return await PassThroughAsync(http, meta, HttpMethod.Delete, null);
        }
        var name = http.Request.Query["name"].ToString();
        if (name.Length == 0)
        {
            return DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.MalformedRequest, "name: the template's name is required"));
        }
        return await templateStore.DeleteTemplatesAsync(http.Channel().WabaId, name, http.RequestAborted) > 0
            ? Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)
            : DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.ResourceNotFound, $"name: no template '{name}'"));
    }

    private static string MetaStatus(string status) => status switch
    {
        "approved" => "APPROVED",
        "rejected" => "REJECTED",
        _ => "PENDING",
    };

    /// <summary>Meta's answer as it comes (the caller speaks Meta's dialect already), on the number's Meta WABA.</summary>
    private static Task<IResult> PassThroughAsync(HttpContext http, Meta.MetaGraph meta, HttpMethod method, string? body) =>
        TemplateEndpoints.ProxyAsync(http, meta, method, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
            async (response, ct) => Results.Text(await response.Content.ReadAsStringAsync(ct), "application/json"), http.Request.QueryString.Value ?? string.Empty);
}
