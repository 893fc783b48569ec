namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>The SQLite schema (user_version 1), created at start if absent.</summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    /// <summary>
    /// STRICT tables; the unique constraint on the normalized email decides registration races;
    /// audit events are append-only by trigger; key versions go with their identity (cascade).
    /// </summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS metadata (
            key   TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) STRICT;

        CREATE TABLE IF NOT EXISTS identities (
            id                     BLOB PRIMARY KEY,
            email_normalized       TEXT NOT NULL UNIQUE,
            email_display          TEXT NOT NULL,
            api_key_hash           BLOB NOT NULL UNIQUE,
            exportable             INTEGER NOT NULL,
            min_decryption_version INTEGER NOT NULL,
            created_at             INTEGER NOT NULL,
            revision               INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE IF NOT EXISTS key_versions (
            identity_id        BLOB NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
            version            INTEGER NOT NULL,
            key_size           INTEGER NOT NULL,
            public_key         BLOB NOT NULL,
            sealed_private_key BLOB NOT NULL,
            created_at         INTEGER NOT NULL,
            PRIMARY KEY (identity_id, version)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS audit_events (
            seq            INTEGER PRIMARY KEY AUTOINCREMENT,
            identity_id    BLOB NOT NULL,
            occurred_at    INTEGER NOT NULL,
            action         TEXT NOT NULL,
            outcome        TEXT NOT NULL,
            actor          TEXT NOT NULL,
            key_version    INTEGER,
            client_address TEXT,
            request_id     TEXT
        ) STRICT;

        CREATE INDEX IF NOT EXISTS ix_audit_events_identity ON audit_events (identity_id, seq DESC);

        CREATE TRIGGER IF NOT EXISTS audit_events_append_only_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

        CREATE TRIGGER IF NOT EXISTS audit_events_append_only_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        """;
}
