namespace Waba.Gateway.Storage.Sqlite;

/// <summary>Versioned migrations; the database's <c>user_version</c> says how many have been applied.</summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE wabas (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE TABLE channels (
            id TEXT PRIMARY KEY,
            waba_id TEXT NOT NULL REFERENCES wabas(id),
            phone_number TEXT NOT NULL UNIQUE,
            phone_number_id TEXT NOT NULL UNIQUE,
            hosting_type TEXT NOT NULL,
            upstream TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            prefix TEXT NOT NULL UNIQUE,
            hash BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER);
        CREATE TABLE webhooks (
            scope TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            url TEXT NOT NULL,
            headers TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (scope, owner_id));
        CREATE TABLE messages (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            direction TEXT NOT NULL,
            wa_id TEXT NOT NULL,
            type TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            kind TEXT NOT NULL,
            shape TEXT NOT NULL,
            message_id TEXT,
            payload TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            lease_owner TEXT,
            lease_expires_at INTEGER,
            delivered_at INTEGER);
        CREATE INDEX events_due ON events (next_attempt_at) WHERE state = 'pending';
        CREATE INDEX events_channel ON events (channel_id, occurred_at);
        CREATE TABLE delivery_attempts (
            event_id TEXT NOT NULL REFERENCES events(id),
            number INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            url TEXT,
            status_code INTEGER,
            latency_ms REAL NOT NULL,
            error TEXT,
            response_excerpt TEXT,
            succeeded INTEGER NOT NULL,
            PRIMARY KEY (event_id, number));
        """,
        """
        ALTER TABLE webhooks ADD COLUMN secret TEXT NOT NULL DEFAULT '';
        ALTER TABLE webhooks ADD COLUMN previous_secret TEXT;
        ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at INTEGER;
        ALTER TABLE wabas ADD COLUMN first_migration_at INTEGER;
        ALTER TABLE events ADD COLUMN window_start_at INTEGER;
        ALTER TABLE events ADD COLUMN attempts_before_replay INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE delivery_attempts ADD COLUMN slow INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX events_state ON events (channel_id, state, occurred_at);
        """,
        """
        ALTER TABLE wabas ADD COLUMN removed_at INTEGER;
        ALTER TABLE channels ADD COLUMN removed_at INTEGER;
        CREATE INDEX api_keys_channel ON api_keys (channel_id);
        """,
        """
        CREATE INDEX messages_inbound ON messages (channel_id, wa_id, created_at) WHERE direction = 'in';
        """,
        """
        CREATE TABLE templates (
            waba_id TEXT NOT NULL REFERENCES wabas(id),
            name TEXT NOT NULL,
            language TEXT NOT NULL,
            category TEXT NOT NULL,
            components TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            approved_at INTEGER NOT NULL,
            PRIMARY KEY (waba_id, name, language));
        """,
        """
        CREATE TABLE media (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            mime_type TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            filename TEXT,
            created_at INTEGER NOT NULL);
        """,
        """
        CREATE TABLE meta_inbound (
            id TEXT PRIMARY KEY,
            received_at INTEGER NOT NULL,
            routed INTEGER NOT NULL,
            body TEXT NOT NULL);
        """,
        """
        CREATE TABLE meta_credentials (
            channel_id TEXT PRIMARY KEY REFERENCES channels(id),
            meta_waba_id TEXT NOT NULL,
            sealed_token BLOB NOT NULL);
        """,
        """
        ALTER TABLE templates ADD COLUMN rejected_reason TEXT;
        CREATE TABLE business_profiles (
            channel_id TEXT PRIMARY KEY REFERENCES channels(id),
            body TEXT NOT NULL);
        CREATE TABLE blocked_users (
            channel_id TEXT NOT NULL REFERENCES channels(id),
            wa_id TEXT NOT NULL,
            blocked_at INTEGER NOT NULL,
            PRIMARY KEY (channel_id, wa_id));
        """,
        """
        CREATE TABLE sandbox_users (
            waba_id TEXT NOT NULL,
            wa_id TEXT NOT NULL,
            username TEXT,
            hides_number INTEGER NOT NULL DEFAULT 0,
            phone_shared_at INTEGER,
            changed_to TEXT,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (waba_id, wa_id));
        """,
        """
        ALTER TABLE sandbox_users ADD COLUMN not_on_whatsapp INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sandbox_users ADD COLUMN never_reads INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX messages_chat ON messages (channel_id, wa_id, created_at);
        """,
        """
        CREATE INDEX events_leased ON events (lease_expires_at) WHERE state = 'pending' AND lease_expires_at IS NOT NULL;
        """,
        // 13 (issue 21): one conversation model for both upstreams, account-level events, number management.
        """
        ALTER TABLE messages ADD COLUMN user_id TEXT;
        CREATE INDEX messages_user ON messages (channel_id, user_id) WHERE user_id IS NOT NULL;
        ALTER TABLE events ADD COLUMN to_waba INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE channels ADD COLUMN deregistered_at INTEGER;
        CREATE INDEX meta_credentials_waba ON meta_credentials (meta_waba_id);
        CREATE TABLE number_settings (
            channel_id TEXT PRIMARY KEY REFERENCES channels(id),
            pin_hash BLOB,
            settings TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE account_states (
            scope TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            body TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (scope, owner_id));
        CREATE TABLE meta_webhook_log (
            key TEXT PRIMARY KEY,
            at INTEGER NOT NULL,
            detail TEXT);
        """,
        // 14 (issue 22): named admin keys beside Admin:Token.
        """
        CREATE TABLE admin_keys (
            id TEXT PRIMARY KEY,
            prefix TEXT NOT NULL UNIQUE,
            hash BLOB NOT NULL,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER);
        """,
    ];
}
