-- Version 8: hand-off between devices (issue 11, docs/SYNC.md). Every change of a person,
-- a case or a record becomes a change of the log that bundles carry: its id, the device it
-- was made on, its hybrid logical clock, the peer whose bundle brought it (NULL: made
-- here), the changes a conflict resolution decides between, and the fields that merging
-- held back because they were in conflict. Rows without a change id stay on this device
-- (approvals, an import's source line, and the history from before this version, whose
-- result the Rust step writes as one `baseline` change per person, case and record).
ALTER TABLE history ADD COLUMN change_id TEXT;
ALTER TABLE history ADD COLUMN origin TEXT;
ALTER TABLE history ADD COLUMN hlc TEXT;
ALTER TABLE history ADD COLUMN via TEXT;
ALTER TABLE history ADD COLUMN resolves TEXT;
ALTER TABLE history ADD COLUMN held TEXT;
-- For an update: the change each changed field was made on (JSON {field: change id}; a
-- field missing is as its entity was created).
ALTER TABLE history ADD COLUMN bases TEXT;
CREATE UNIQUE INDEX history_change ON history(change_id) WHERE change_id IS NOT NULL;

-- The change that wrote each field last (a field not here is as its entity was created).
-- A peer's change applies to a field when it was made on the field's version here: the
-- version, not the value, so a value that went A → B → A is not mistaken for untouched.
CREATE TABLE field_versions (
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    change_id TEXT NOT NULL,
    PRIMARY KEY (entity_id, field)
) WITHOUT ROWID;

-- Devices this vault exchanges bundles with, added from their contact cards after a
-- person compared the fingerprint. A removed peer stays (its changes keep their origin)
-- but its bundles are refused.
CREATE TABLE peers (
    device_id     TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,          -- guitu_domain::handoff::RecipientKind
    age_recipient TEXT NOT NULL,          -- X25519, bundles are encrypted to it
    sign_key      TEXT NOT NULL,          -- Ed25519 (hex), bundles from it are verified with it
    fingerprint   TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    removed_at    TEXT,
    removed_by    TEXT,
    -- The peer's log epoch last seen (a new one: it was restored from a backup and may
    -- lack changes), whether bundles to it carry its own changes back (`echo`) until it
    -- says it received such a bundle, and the epoch of ours in which we received one.
    epoch         TEXT,
    echo          INTEGER NOT NULL DEFAULT 0,
    echo_seen     TEXT
) WITHOUT ROWID;

-- Which cases travel to which peer, and how far each direction has got: `acked_seq` is the
-- last history seq of ours the peer has confirmed for the case, `received_seq` (with the
-- change id at it) the last seq of the peer's we hold, sent back as its acknowledgement.
-- An acknowledgement replaces the last one when the change id at its seq is still ours
-- there (a vault restored from an older backup numbers anew: its peers then send all
-- again, never less). `basis` is the basis of the last hand-off (consent or legal basis).
CREATE TABLE shares (
    peer         TEXT NOT NULL REFERENCES peers(device_id),
    case_id      TEXT NOT NULL REFERENCES cases(id),
    acked_seq    INTEGER NOT NULL DEFAULT 0,
    received_seq INTEGER NOT NULL DEFAULT 0,
    received_change TEXT,
    shared_at    TEXT NOT NULL,
    shared_by    TEXT NOT NULL,
    basis        TEXT,
    PRIMARY KEY (peer, case_id)
) WITHOUT ROWID;
CREATE INDEX shares_case ON shares(case_id);

-- Every bundle made here and opened here (ids only: opening one twice is a no-op).
CREATE TABLE bundles (
    id        TEXT PRIMARY KEY NOT NULL,
    direction TEXT NOT NULL,              -- out | in
    peer      TEXT NOT NULL,
    at        TEXT NOT NULL,
    by        TEXT NOT NULL,
    upto      INTEGER NOT NULL,
    cases     INTEGER NOT NULL,
    changes   INTEGER NOT NULL
) WITHOUT ROWID;

-- Fields a merge could not apply: the value here was neither the change's old value nor its
-- new one. The local value stays until a person resolves the conflict.
CREATE TABLE conflicts (
    id              INTEGER PRIMARY KEY,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    case_id         TEXT NOT NULL,
    field           TEXT NOT NULL,
    local_value     TEXT NOT NULL,        -- JSON
    local_actor     TEXT NOT NULL,
    local_at        TEXT NOT NULL,
    incoming_value  TEXT NOT NULL,        -- JSON
    incoming_change TEXT NOT NULL,
    incoming_actor  TEXT NOT NULL,
    incoming_at     TEXT NOT NULL,
    incoming_origin TEXT NOT NULL,
    opened_at       TEXT NOT NULL
);
CREATE INDEX conflicts_field ON conflicts(entity_id, field);
CREATE INDEX conflicts_case ON conflicts(case_id);
