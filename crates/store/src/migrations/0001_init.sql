-- Guitu vault schema, version 1. Applied in one transaction with user_version = 1.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE persons (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,            -- guitu_domain::model::Person as JSON
    resident_id TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX persons_resident_id ON persons(resident_id) WHERE resident_id IS NOT NULL;

CREATE TABLE cases (
    id                TEXT PRIMARY KEY,
    case_number       TEXT NOT NULL UNIQUE,
    person_id         TEXT NOT NULL REFERENCES persons(id),
    received_date     TEXT NOT NULL,
    stage             TEXT NOT NULL,
    institution_kind  TEXT NOT NULL,
    caseworker        TEXT NOT NULL,
    data              TEXT NOT NULL,      -- guitu_domain::model::Case as JSON
    -- Facts derived from the case's records, kept in the same transaction as every
    -- record write so the deadline queries can filter in SQL. Deadlines themselves are
    -- never stored: the domain computes them from the records.
    identity_verified TEXT,               -- earliest verified date of an identity attempt
    track_steps_done  INTEGER NOT NULL DEFAULT 0,
    track_closed      INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX cases_person ON cases(person_id);
CREATE INDEX cases_id3m ON cases(received_date) WHERE stage <> 'closed' AND institution_kind <> 'other' AND track_closed = 0 AND track_steps_done < 5;

CREATE TABLE records (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    date        TEXT NOT NULL,
    open        INTEGER NOT NULL DEFAULT 0,  -- legal aid not yet closed
    data        TEXT NOT NULL,               -- guitu_domain::model::RecordBody as JSON
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX records_case ON records(case_id, date);
CREATE INDEX records_open ON records(kind) WHERE open = 1;

-- Every change: who, when, which record, which fields, old -> new.
CREATE TABLE history (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    entity     TEXT NOT NULL,       -- person | case | record
    entity_id  TEXT NOT NULL,
    case_id    TEXT,
    action     TEXT NOT NULL,       -- create | update
    changes    TEXT NOT NULL        -- JSON [{field, old, new}]
);
CREATE INDEX history_case ON history(case_id, seq);
CREATE INDEX history_entity ON history(entity_id, seq);

-- Hash-chained audit trail: hash = SHA-256(prev_hash | seq | at | actor | action | target | detail).
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

-- Search. Documents: one per person (names, other names, intake number, ID number,
-- case numbers) and one per record with free text. Trigram FTS answers terms of three
-- or more characters; search_terms answers one- and two-character terms (most Chinese
-- names are two or three characters, and trigram FTS silently finds nothing for them).
CREATE TABLE search_docs (
    rowid    INTEGER PRIMARY KEY,
    owner_id TEXT NOT NULL UNIQUE,  -- case id (person and case fields) or record id (free text)
    case_id  TEXT NOT NULL
);
CREATE INDEX search_docs_case ON search_docs(case_id);
CREATE VIRTUAL TABLE search_fts USING fts5(text, content='', contentless_delete=1, tokenize='trigram');
CREATE TABLE search_terms (
    term     TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    PRIMARY KEY (term, case_id)
) WITHOUT ROWID;
CREATE INDEX search_terms_case ON search_terms(case_id);
