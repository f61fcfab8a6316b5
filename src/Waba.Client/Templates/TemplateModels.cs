using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Client.Templates;

/// <summary>
/// A message template of the WABA. <see cref="Status"/> is as the API wrote it: Meta's Graph API upper case (APPROVED,
/// PENDING, REJECTED), 360dialog's lower case (approved, submitted, rejected); <see cref="IsApproved"/> reads either.
/// </summary>
public sealed record TemplateInfo(string Name, string Language, string Status, string? Category, JsonElement Components)
{
    [JsonIgnore]
    public bool IsApproved => string.Equals(Status, "APPROVED", StringComparison.OrdinalIgnoreCase);

    public string? Id { get; init; }
    public string? Namespace { get; init; }
    public string? RejectedReason { get; init; }
}

/// <summary>
/// A template to submit for review. <see cref="Components"/> are WhatsApp's component objects, e.g.
/// <c>[{"type":"BODY","text":"Hello {{1}}","example":{"body_text":[["Kai"]]}}]</c>.
/// </summary>
public sealed record TemplateDefinition(string Name, string Language, string Category, JsonElement Components)
{
    public bool? AllowCategoryChange { get; init; }

    /// <summary>
    /// <c>"NAMED"</c> for placeholders such as <c>{{first_name}}</c> (examples in <c>body_text_named_params</c>); sends then
    /// name each parameter (<see cref="Messages.TemplateParameter.ForText(string, string?)"/> with a name). Default positional (<c>{{1}}</c>).
    /// </summary>
    public string? ParameterFormat { get; init; }
}

internal sealed record TemplateListResponse(IReadOnlyList<TemplateInfo>? WabaTemplates);

internal sealed record GraphTemplateListResponse(IReadOnlyList<TemplateInfo>? Data);
