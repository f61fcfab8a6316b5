using System.Text.Json;

namespace Waba.Gateway.Conversations;

/// <summary>Why a message failed, as its failed status reports it.</summary>
public sealed record MessageError(int Code, string Title, string? Details);

/// <summary>What the statuses of messages add up to: each message's latest status, and the error of a failed one.</summary>
public static class MessageStatuses
{
    /// <summary>
    /// Each message's latest status: a failure is final; otherwise the furthest one reached (statuses can arrive out of
    /// order — a late <c>delivered</c> does not undo <c>read</c>).
    /// </summary>
    public static Dictionary<string, MessageStatusEvent> Latest(IEnumerable<MessageStatusEvent> statuses)
    {
        var latest = new Dictionary<string, MessageStatusEvent>(StringComparer.Ordinal);
        foreach (var status in statuses)
        {
            if (!latest.TryGetValue(status.MessageId, out var shown) || Rank(status.Status) >= Rank(shown.Status))
            {
                latest[status.MessageId] = status;
            }
        }
        return latest;
    }

    private static int Rank(string status) => status switch
    {
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        "played" => 4,
        "failed" => 5,
        _ => 0,
    };

    /// <summary>The first error of a status payload (Cloud: <c>entry[0].changes[0].value.statuses</c>; On-Premise: <c>statuses</c>), or null.</summary>
    public static MessageError? ErrorOf(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.TryGetProperty("entry", out var entry) && entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() > 0
            && entry[0].TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array && changes.GetArrayLength() > 0
            && changes[0].TryGetProperty("value", out var value))
        {
            root = value;
        }
        if (!root.TryGetProperty("statuses", out var statuses) || statuses.ValueKind != JsonValueKind.Array || statuses.GetArrayLength() == 0
            || !statuses[0].TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
        {
            return null;
        }
        var error = errors[0];
        var details = error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("details", out var d)
            ? d.GetString()
            : error.TryGetProperty("message", out var m) ? m.GetString() : null;
        return new MessageError(error.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : 0,
            error.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "", details);
    }
}
