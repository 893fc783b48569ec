namespace CryptoSecure.Infrastructure.Persistence.Sqlite;

/// <summary>
/// The SQLite schema as an ordered list of migrations; a store's <c>PRAGMA user_version</c> is the
/// last one applied. A new store runs them all from 0, so the path every existing store takes is
/// the path every test takes. A migration, once released, is history: never edit one, add the next.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>
    /// The schema version of <see cref="MasterKeyIds"/>. Numbered 7 on its branch while 5 and 6 are
    /// written beside it; renumbered here, and only here, when the branches meet.
    /// </summary>
    public const int MasterKeyIdsVersion = 7;

    /// <summary>Every migration, in order of their (increasing) versions.</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        SqliteMigration.FromSql(1, "the first release's schema (v0.1.0)", FirstRelease),
        SqliteMigration.FromSql(2, "audit kinds, aggregated refusals", AuditKindsAndAggregation),
        SqliteMigration.FromSql(3, "the identity change feed that keeps several nodes' caches coherent", IdentityChanges),
        SqliteMigration.FromSql(4, "signing keys beside the encryption keys of each key version", SigningKeys),
        SqliteMigration.FromSql(LifecycleVersion, "deletion with a waiting period, automatic rotation, and the leases of the background workers", Lifecycle),
        SqliteMigration.FromSql(MasterKeyIdsVersion, "the id of the master key that sealed each private key", MasterKeyIds),
    ];

    /// <summary>
    /// The number of the lifecycle step (issue 14). Kept here alone: steps written in parallel are
    /// renumbered in order when they meet, and only this line changes then.
    /// </summary>
    public const int LifecycleVersion = 6;

    /// <summary>The schema version this code writes (the last step's; the migrator refuses steps out of order).</summary>
    public static int Version => Migrations[^1].Version;

    /// <summary>
    /// Version 1, exactly as v0.1.0 created it. STRICT tables; the unique constraint on the
    /// normalized email decides registration races; audit events are append-only by trigger; key
    /// versions go with their identity (cascade).
    /// </summary>
    private const string FirstRelease = """
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

    /// <summary>
    /// Version 2 (issue 9): every event gets its kind (the rule of <c>AuditKinds.Of</c> as of this
    /// version, applied to the rows already there), and a stranger's refusals are counted into one
    /// row per bucket: <c>bucket</c> is unique per identity where set, and the update trigger now
    /// lets exactly that through, only the count growing and the last occurrence moving on, on a
    /// bucketed row. Rows from before keep <c>bucket</c> NULL: they stay single events.
    /// </summary>
    private const string AuditKindsAndAggregation = """
        ALTER TABLE audit_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'Owner' CHECK (kind IN ('Owner', 'Public', 'Denied'));
        ALTER TABLE audit_events ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1 CHECK (occurrences >= 1);
        ALTER TABLE audit_events ADD COLUMN last_occurred_at INTEGER;
        ALTER TABLE audit_events ADD COLUMN bucket TEXT;

        DROP TRIGGER audit_events_append_only_update;

        UPDATE audit_events
        SET kind = CASE
            WHEN outcome = 'Denied' THEN 'Denied'
            WHEN action = 'Encrypted' THEN 'Public'
            ELSE 'Owner'
        END
        WHERE actor NOT IN ('Owner', 'Admin');

        CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
        WHEN NOT (
            OLD.bucket IS NOT NULL
            AND NEW.seq = OLD.seq AND NEW.identity_id = OLD.identity_id AND NEW.occurred_at = OLD.occurred_at
            AND NEW.action = OLD.action AND NEW.outcome = OLD.outcome AND NEW.actor = OLD.actor
            AND NEW.key_version IS OLD.key_version AND NEW.client_address IS OLD.client_address
            AND NEW.request_id IS OLD.request_id AND NEW.kind = OLD.kind AND NEW.bucket IS OLD.bucket
            AND NEW.occurrences > OLD.occurrences
            AND NEW.last_occurred_at >= COALESCE(OLD.last_occurred_at, OLD.occurred_at))
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: only an aggregated refusal''s count and last occurrence may grow'); END;

        CREATE INDEX ix_audit_events_identity_kind ON audit_events (identity_id, kind, seq DESC);
        CREATE UNIQUE INDEX ux_audit_events_bucket ON audit_events (identity_id, bucket) WHERE bucket IS NOT NULL;
        """;

    /// <summary>
    /// Version 3 (issue 11): one row per committed create, save or delete of an identity, written in
    /// that change's transaction (<see cref="SqliteIdentityChanges"/>); nodes that cache identities
    /// read it after their cursor. AUTOINCREMENT, so a number is never reused after pruning. Nothing
    /// earlier is back-filled: a node that starts on the upgraded store starts with an empty cache.
    /// </summary>
    private const string IdentityChanges = """
        CREATE TABLE identity_changes (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            identity_id BLOB NOT NULL,
            changed_at  INTEGER NOT NULL
        ) STRICT;
        """;

    /// <summary>
    /// Version 4 (issue 12): each key version's signing key pair, its SPKI and its sealed PKCS#8
    /// (sealed for the signing purpose). Both NULL on the versions already there: they get one when
    /// their identity first signs. Both or neither: a half-written key could not sign.
    /// </summary>
    private const string SigningKeys = """
        ALTER TABLE key_versions ADD COLUMN signing_public_key BLOB;
        ALTER TABLE key_versions ADD COLUMN sealed_signing_key BLOB CHECK ((sealed_signing_key IS NULL) = (signing_public_key IS NULL));
        """;

    /// <summary>
    /// Lifecycle (issue 14): when a pending deletion is due (NULL: none), the automatic rotation
    /// period in seconds (NULL: off) and the time it makes due, kept beside it so the service's
    /// check is one range read of a partial index (the latest version's creation plus the period,
    /// written by every save); and the leases that let one node of several do the background work.
    /// Identities already stored get NULLs: nothing pending, no automatic rotation.
    /// </summary>
    private const string Lifecycle = """
        ALTER TABLE identities ADD COLUMN deletes_at INTEGER;
        ALTER TABLE identities ADD COLUMN auto_rotate_seconds INTEGER CHECK (auto_rotate_seconds IS NULL OR auto_rotate_seconds > 0);
        ALTER TABLE identities ADD COLUMN next_rotation_at INTEGER CHECK ((next_rotation_at IS NULL) = (auto_rotate_seconds IS NULL));

        CREATE INDEX ix_identities_deletes_at ON identities (deletes_at) WHERE deletes_at IS NOT NULL;
        CREATE INDEX ix_identities_next_rotation_at ON identities (next_rotation_at) WHERE next_rotation_at IS NOT NULL AND deletes_at IS NULL;

        CREATE TABLE leases (
            name       TEXT PRIMARY KEY,
            holder     TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        ) STRICT;
        """;

    /// <summary>
    /// Version 7 (issue 14): each sealed private key names the master key that sealed it (its key
    /// id, <c>MasterKey.Id</c>), so a store can hold keys of an old and a new master key while the
    /// re-sealer moves them. The migration runs before any master key is loaded, so it cannot know
    /// which key sealed the rows already there: they keep NULL, which means "the master key of the
    /// store's check value". At start, once a configured key has proved to be that one, the store
    /// adopts them: the NULLs become its id, in one transaction (<c>SqliteKeyStoreAdmin.AdoptMasterKeyAsync</c>).
    /// The check value's own key id goes into the metadata row <c>master_key_check_id</c> then.
    /// </summary>
    private const string MasterKeyIds = """
        ALTER TABLE key_versions ADD COLUMN sealed_by TEXT;
        ALTER TABLE key_versions ADD COLUMN signing_sealed_by TEXT CHECK (signing_sealed_by IS NULL OR sealed_signing_key IS NOT NULL);
        CREATE INDEX ix_key_versions_sealed_by ON key_versions (sealed_by);
        """;
}
