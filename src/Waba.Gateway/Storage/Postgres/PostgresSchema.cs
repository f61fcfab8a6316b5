namespace Waba.Gateway.Storage.Postgres;

/// <summary>Versioned migrations, recorded in <c>schema_migrations</c>; the same list for every instance.</summary>
internal static class PostgresSchema
{
    /// <summary>Taken for the whole migration transaction, so instances starting together migrate one at a time.</summary>
    public const long MigrationLockKey = 0x5741_4241_4741_5445; // "WABAGATE"

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE wabas (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            first_migration_at BIGINT);
        CREATE TABLE channels (
            id TEXT PRIMARY KEY,
            waba_id TEXT NOT NULL REFERENCES wabas(id),
            phone_number TEXT NOT NULL UNIQUE,
            phone_number_id TEXT NOT NULL UNIQUE,
            hosting_type TEXT NOT NULL,
            upstream TEXT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            prefix TEXT NOT NULL UNIQUE,
            hash BYTEA NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT);
        CREATE TABLE webhooks (
            scope TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            url TEXT NOT NULL,
            headers TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            secret TEXT NOT NULL DEFAULT '',
            previous_secret TEXT,
            previous_secret_expires_at BIGINT,
            PRIMARY KEY (scope, owner_id));
        CREATE TABLE messages (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            direction TEXT NOT NULL,
            wa_id TEXT NOT NULL,
            type TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            kind TEXT NOT NULL,
            shape TEXT NOT NULL,
            message_id TEXT,
            payload TEXT NOT NULL,
            occurred_at BIGINT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at BIGINT,
            lease_owner TEXT,
            lease_expires_at BIGINT,
            delivered_at BIGINT,
            window_start_at BIGINT,
            attempts_before_replay INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX events_due ON events (next_attempt_at) WHERE state = 'pending';
        CREATE INDEX events_channel ON events (channel_id, occurred_at);
        CREATE INDEX events_state ON events (channel_id, state, occurred_at);
        CREATE TABLE delivery_attempts (
            event_id TEXT NOT NULL REFERENCES events(id),
            number INTEGER NOT NULL,
            started_at BIGINT NOT NULL,
            url TEXT,
            status_code INTEGER,
            latency_ms DOUBLE PRECISION NOT NULL,
            error TEXT,
            response_excerpt TEXT,
            succeeded BOOLEAN NOT NULL,
            slow BOOLEAN NOT NULL DEFAULT FALSE,
            PRIMARY KEY (event_id, number));
        """,
        """
        ALTER TABLE wabas ADD COLUMN removed_at BIGINT;
        ALTER TABLE channels ADD COLUMN removed_at BIGINT;
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
            created_at BIGINT NOT NULL,
            approved_at BIGINT NOT NULL,
            PRIMARY KEY (waba_id, name, language));
        """,
        """
        CREATE TABLE media (
            id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL REFERENCES channels(id),
            mime_type TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size BIGINT NOT NULL,
            filename TEXT,
            created_at BIGINT NOT NULL);
        """,
        """
        CREATE TABLE meta_inbound (
            id TEXT PRIMARY KEY,
            received_at BIGINT NOT NULL,
            routed BOOLEAN NOT NULL,
            body TEXT NOT NULL);
        """,
        """
        CREATE TABLE meta_credentials (
            channel_id TEXT PRIMARY KEY REFERENCES channels(id),
            meta_waba_id TEXT NOT NULL,
            sealed_token BYTEA NOT NULL);
        """,
        """
        ALTER TABLE templates ADD COLUMN rejected_reason TEXT;
        CREATE TABLE business_profiles (
            channel_id TEXT PRIMARY KEY REFERENCES channels(id),
            body TEXT NOT NULL);
        CREATE TABLE blocked_users (
            channel_id TEXT NOT NULL REFERENCES channels(id),
            wa_id TEXT NOT NULL,
            blocked_at BIGINT NOT NULL,
            PRIMARY KEY (channel_id, wa_id));
        """,
        """
        CREATE TABLE sandbox_users (
            waba_id TEXT NOT NULL,
            wa_id TEXT NOT NULL,
            username TEXT,
            hides_number BOOLEAN NOT NULL DEFAULT FALSE,
            phone_shared_at BIGINT,
            changed_to TEXT,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (waba_id, wa_id));
        """,
        """
        ALTER TABLE sandbox_users ADD COLUMN not_on_whatsapp BOOLEAN NOT NULL DEFAULT FALSE;
        ALTER TABLE sandbox_users ADD COLUMN never_reads BOOLEAN NOT NULL DEFAULT FALSE;
        CREATE INDEX messages_chat ON messages (channel_id, wa_id, created_at);
        """,
        """
        CREATE INDEX events_leased ON events (lease_expires_at) WHERE state = 'pending' AND lease_expires_at IS NOT NULL;
        """,
        // 13: a version per WABA, bumped by trigger in the transaction of every write that can change an answer the
        // instances cache (keys, numbers, sandbox users, block lists, a user's last inbound message): see WabaVersions.
        """
        CREATE TABLE waba_versions (waba_id TEXT PRIMARY KEY, version BIGINT NOT NULL);
        INSERT INTO waba_versions (waba_id, version) SELECT id, 1 FROM wabas;
        CREATE FUNCTION bump_waba_version() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            changed jsonb;
            waba TEXT;
        BEGIN
            IF TG_OP = 'DELETE' THEN changed := to_jsonb(OLD); ELSE changed := to_jsonb(NEW); END IF;
            IF TG_ARGV[0] = 'channel_id' THEN
                SELECT c.waba_id INTO waba FROM channels c WHERE c.id = changed->>'channel_id';
            ELSE
                waba := changed->>TG_ARGV[0];
            END IF;
            IF waba IS NOT NULL THEN
                INSERT INTO waba_versions (waba_id, version) VALUES (waba, 1)
                ON CONFLICT (waba_id) DO UPDATE SET version = waba_versions.version + 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER wabas_version AFTER INSERT OR UPDATE OR DELETE ON wabas FOR EACH ROW EXECUTE FUNCTION bump_waba_version('id');
        CREATE TRIGGER channels_version AFTER INSERT OR UPDATE OR DELETE ON channels FOR EACH ROW EXECUTE FUNCTION bump_waba_version('waba_id');
        CREATE TRIGGER api_keys_version AFTER INSERT OR UPDATE OR DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION bump_waba_version('channel_id');
        CREATE TRIGGER sandbox_users_version AFTER INSERT OR UPDATE OR DELETE ON sandbox_users FOR EACH ROW EXECUTE FUNCTION bump_waba_version('waba_id');
        CREATE TRIGGER blocked_users_version AFTER INSERT OR UPDATE OR DELETE ON blocked_users FOR EACH ROW EXECUTE FUNCTION bump_waba_version('channel_id');
        CREATE TRIGGER inbound_messages_version AFTER INSERT OR UPDATE ON messages FOR EACH ROW WHEN (NEW.direction = 'in')
            EXECUTE FUNCTION bump_waba_version('channel_id');
        """,
        // 14 (issue 21): one conversation model for both upstreams, account-level events, number management. A number's
        // registration lives on its channel row, so the channels trigger bumps the version and every instance sees it.
        """
        ALTER TABLE messages ADD COLUMN user_id TEXT;
        CREATE INDEX messages_user ON messages (channel_id, user_id) WHERE user_id IS NOT NULL;
        ALTER TABLE events ADD COLUMN to_waba BOOLEAN NOT NULL DEFAULT FALSE;
        ALTER TABLE channels ADD COLUMN deregistered_at BIGINT;
        CREATE INDEX meta_credentials_waba ON meta_credentials (meta_waba_id);
        CREATE TABLE number_settings (
            channel_id TEXT PRIMARY KEY REFERENCES channels(id),
            pin_hash BYTEA,
            settings TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE account_states (
            scope TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            body TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (scope, owner_id));
        CREATE TABLE meta_webhook_log (
            key TEXT PRIMARY KEY,
            at BIGINT NOT NULL,
            detail TEXT);
        """,
        // 15 (issue 22): named admin keys beside Admin:Token.
        """
        CREATE TABLE admin_keys (
            id TEXT PRIMARY KEY,
            prefix TEXT NOT NULL UNIQUE,
            hash BYTEA NOT NULL,
            name TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT);
        """,
    ];
}
