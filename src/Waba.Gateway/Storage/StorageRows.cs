using System.Data.Common;
using Waba.Gateway.Messaging;
using Waba.Gateway.Webhooks;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage;

/// <summary>
/// One reader per row type, for both engines: they select the same columns in the same order, so a row reads the same
/// from SQLite and PostgreSQL.
/// </summary>
internal static class StorageRows
{
    /// <summary>A channel's columns under the alias <c>c</c>.</summary>
    public const string ChannelColumns = "c.id, c.waba_id, c.phone_number, c.phone_number_id, c.hosting_type, c.upstream, c.created_at, c.deregistered_at";

    public const string MessageColumns = "id, channel_id, direction, wa_id, type, body, created_at, user_id";

    public const string TemplateColumns = "waba_id, name, language, category, components, created_at, approved_at, rejected_reason";

    public const string MediaColumns = "id, channel_id, mime_type, sha256, size, filename, created_at";

    public const string WebhookColumns = "url, headers, updated_at, secret, previous_secret, previous_secret_expires_at";

    public static Tenancy.Channel Channel(DbDataReader r, int offset) =>
        new(r.GetString(offset), r.GetString(offset + 1), r.GetString(offset + 2), r.GetString(offset + 3), ParseHosting(r.GetString(offset + 4)),
            r.GetString(offset + 5), FromMs(r.GetInt64(offset + 6)), r.IsDBNull(offset + 7) ? null : FromMs(r.GetInt64(offset + 7)));

    public static Admin.AdminKeyInfo AdminKey(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), FromMs(r.GetInt64(3)), r.IsDBNull(4) ? null : FromMs(r.GetInt64(4)));

    public static Tenancy.BusinessAccount Waba(DbDataReader r) => new(r.GetString(0), r.GetString(1), FromMs(r.GetInt64(2)));

    public static ApiKeyInfo ApiKey(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), FromMs(r.GetInt64(2)), r.IsDBNull(3) ? null : FromMs(r.GetInt64(3)));

    /// <summary>A conversation: who, their BSUID (or null), the latest message's time, how many messages.</summary>
    public static Conversations.ConversationSummary Conversation(DbDataReader r) =>
        new(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), FromMs(r.GetInt64(2)), (int)r.GetInt64(3));

    /// <summary>A status event: message id, kind (<c>status.read</c>), due time, payload.</summary>
    public static Conversations.MessageStatusEvent StatusEvent(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1)["status.".Length..], FromMs(r.GetInt64(2)), r.GetString(3));

    public static Sandbox.Page.ChatChange ChatChange(DbDataReader r) => new(r.GetString(0), r.GetString(1));

    public static StoredMessage Message(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2) == "in" ? MessageDirection.Inbound : MessageDirection.Outbound,
            r.GetString(3), r.GetString(4), r.GetString(5), FromMs(r.GetInt64(6)), r.IsDBNull(7) ? null : r.GetString(7));

    public static Templates.MessageTemplate Template(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            FromMs(r.GetInt64(5)), FromMs(r.GetInt64(6)), r.IsDBNull(7) ? null : r.GetString(7));

    public static Media.MediaRecord MediaFile(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5), FromMs(r.GetInt64(6)));

    /// <summary>The webhook whose <see cref="WebhookColumns"/> start at <paramref name="offset"/>, or null when its URL is null (none configured).</summary>
    public static WebhookConfig? Webhook(DbDataReader r, int offset) =>
        r.IsDBNull(offset)
            ? null
            : new WebhookConfig(r.GetString(offset), DeserializeHeaders(r.GetString(offset + 1)), FromMs(r.GetInt64(offset + 2)),
                r.GetString(offset + 3), r.IsDBNull(offset + 4) ? null : r.GetString(offset + 4),
                r.IsDBNull(offset + 5) ? null : FromMs(r.GetInt64(offset + 5)));

    /// <summary>
    /// A claimed delivery: event id, channel, payload, shape, occurred, attempts, window start, attempts before replay,
    /// then the number's webhook (<see cref="WebhookColumns"/>), the WABA's, and whether the event is the WABA's own.
    /// </summary>
    public static Webhooks.Delivery.DueDelivery Due(DbDataReader r, DateTimeOffset now)
    {
        var shape = ParseHosting(r.GetString(3));
        // Account-level events (templates, quality, restrictions) go to the WABA webhook, as Meta sends them to the app's
        // default callback; a WABA without one (On-Premise numbers only) gets them at the number's. Other Cloud events
        // fall back to the WABA webhook; On-Premise events only ever go to their number's.
        var webhook = r.GetBoolean(20)
            ? Webhook(r, 14) ?? Webhook(r, 8)
            : Webhook(r, 8) ?? (shape == Tenancy.HostingType.Cloud ? Webhook(r, 14) : null);
        var target = webhook is null ? null : new Webhooks.Delivery.WebhookTarget(webhook.Url, webhook.Headers, webhook.SecretsAt(now));
        return new Webhooks.Delivery.DueDelivery(r.GetString(0), r.GetString(1), r.GetString(2), shape, FromMs(r.GetInt64(4)), r.GetInt32(5), target)
        {
            WindowStart = FromMs(r.GetInt64(6)),
            AttemptsBeforeReplay = r.GetInt32(7),
        };
    }

    /// <summary>Every row of the reader, read with <paramref name="read"/>.</summary>
    public static async Task<List<T>> AllAsync<T>(DbDataReader reader, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
