using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Sandbox;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Templates;

/// <summary>A template as submitted, checked for what Meta refuses at once.</summary>
public sealed record TemplateSubmission(string Name, string Language, string Category, string Components);

/// <summary>
/// The sandbox's template review, the same for every dialect. What Meta refuses at once (a missing body, a body over
/// 1,024 characters, a duplicate name and language) is a 400; what its review rejects (a variable at the start or end
/// of the body, placeholders out of sequence) is accepted as pending and rejected with Meta's reason after
/// <c>Sandbox:TemplateApprovalDelay</c>. Every approval or rejection is a <c>message_template_status_update</c> event on
/// the WABA webhook, due when the review ends.
/// </summary>
public sealed partial class TemplateReview(Tenancy.ITenantStore tenantStore, Templates.ITemplateStore templateStore,
    IOptions<SandboxOptions> sandbox, TimeProvider time, DeliverySignal signal)
{
    private static readonly HashSet<string> Categories = ["MARKETING", "UTILITY", "AUTHENTICATION"];
    private static readonly HashSet<string> ComponentTypes = ["HEADER", "BODY", "FOOTER", "BUTTONS"];

    public static ApiError? Read(JsonElement root, out TemplateSubmission submission)
    {
        submission = new TemplateSubmission("", "", "", "[]");
        if (Fields.String(root, "name", "name", 512, out var name) is { } error)
        {
            return error;
        }
        if (!TemplateName().IsMatch(name))
        {
            return ApiError.Invalid("name", "may hold only lower-case letters, digits and underscores");
        }
        if (Fields.String(root, "language", "language", 15, out var language) is { } languageError)
        {
            return languageError;
        }
        if (Fields.String(root, "category", "category", 20, out var category) is { } categoryError)
        {
            return categoryError;
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
        submission = new TemplateSubmission(name, language, category, list.GetRawText());
        return null;
    }

    /// <summary>Stores the template with its review outcome due later; null when the WABA already has one with that name and language.</summary>
    public async Task<MessageTemplate?> SubmitAsync(Channel channel, TemplateSubmission submission, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var template = new MessageTemplate(channel.WabaId, submission.Name, submission.Language, submission.Category, submission.Components, now,
            now + Durations.Parse(sandbox.Value.TemplateApprovalDelay, "Sandbox:TemplateApprovalDelay"), ReviewFindings(submission.Components));
        var events = await StatusEventsAsync(channel, template, cancellationToken);
        if (!await templateStore.CreateTemplateAsync(template, events, cancellationToken))
        {
            return null;
        }
        signal.Notify(template.ApprovedAt);
        return template;
    }

    /// <summary>Meta's reason for rejecting components (<c>INVALID_FORMAT</c>), or null when the review passes.</summary>
    public static string? ReviewFindings(string components)
    {
        using var document = JsonDocument.Parse(components);
        foreach (var component in document.RootElement.EnumerateArray())
        {
            if (!component.TryGetProperty("type", out var type) || !string.Equals(type.GetString(), "BODY", StringComparison.OrdinalIgnoreCase)
                || !component.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            {
                continue;
            }
            var text = textElement.GetString()!.Trim();
            var placeholders = Placeholder().Matches(text);
            if (placeholders.Count == 0)
            {
                continue;
            }
            if (placeholders[0].Index == 0 || placeholders[^1].Index + placeholders[^1].Length == text.Length)
            {
                return "INVALID_FORMAT";
            }
            var numbers = placeholders.Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
            if (numbers.Where((n, i) => n != i + 1).Any())
            {
                return "INVALID_FORMAT";
            }
        }
        return null;
    }

    /// <summary>Every WABA has one template namespace (On-Premise template messages name it): stable, derived from its id.</summary>
    public static string NamespaceOf(string wabaId)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("namespace:" + wabaId)));
        return $"{hex[..8]}_{hex[8..12]}_{hex[12..16]}_{hex[16..20]}_{hex[20..32]}";
    }

    /// <summary>The template's id as Meta's Graph API shows it: numeric, stable for the WABA, name and language.</summary>
    public static string IdOf(MessageTemplate template)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{template.WabaId}:{template.Name}:{template.Language}"));
        return (1_000_000_000_000_000 + (long)(BitConverter.ToUInt64(hash) % 8_999_999_999_999_999)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The status update, addressed to a Cloud number of the WABA (On-Premise webhooks have no such event).</summary>
    private async Task<IReadOnlyList<NewWebhookEvent>> StatusEventsAsync(Channel channel, MessageTemplate template, CancellationToken cancellationToken)
    {
        var target = channel.HostingType == HostingType.Cloud
            ? channel
            : (await tenantStore.ListChannelsAsync(channel.WabaId, null, 100, cancellationToken)).FirstOrDefault(c => c.HostingType == HostingType.Cloud);
        if (target is null)
        {
            return [];
        }
        var status = template.RejectedReason is null ? "APPROVED" : "REJECTED";
        var value = new JsonObject
        {
            ["event"] = status,
            ["message_template_id"] = long.Parse(IdOf(template), CultureInfo.InvariantCulture),
            ["message_template_name"] = template.Name,
            ["message_template_language"] = template.Language,
            ["reason"] = template.RejectedReason ?? "NONE",
            ["message_template_category"] = template.Category,
        };
        var payload = new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = template.WabaId,
                ["time"] = template.ApprovedAt.ToUnixTimeSeconds(),
                ["changes"] = new JsonArray(new JsonObject { ["value"] = value, ["field"] = "message_template_status_update" }),
            }),
        };
        // Account-level, as at Meta: the WABA webhook gets it before a number's own.
        return [new NewWebhookEvent(WebhookEvents.NewEventId(), target.Id, "template." + status.ToLowerInvariant(), HostingType.Cloud,
            payload.ToJsonString(), template.ApprovedAt, null, ToWaba: true)];
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex TemplateName();

    [GeneratedRegex(@"\{\{\s*(\d+)\s*\}\}")]
    private static partial Regex Placeholder();
}
