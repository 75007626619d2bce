-- Guitu vault schema, version 1. Applied in one transaction with user_version = 1.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Rowid tables with a unique text id: rows are large (JSON), and a rowid table appends
-- them at its end, keeping only the small (id → rowid) index ordered by id.
CREATE TABLE persons (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    data        TEXT NOT NULL,            -- guitu_domain::model::Person as JSON
    resident_id TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE INDEX persons_resident_id ON persons(resident_id) WHERE resident_id IS NOT NULL;

CREATE TABLE cases (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    case_number       TEXT NOT NULL UNIQUE,
    person_id         TEXT NOT NULL REFERENCES persons(id),
    received_date     TEXT NOT NULL,
    stage             TEXT NOT NULL,
    institution_kind  TEXT NOT NULL,
    caseworker        TEXT NOT NULL,
    person_name       TEXT NOT NULL DEFAULT '',  -- the person's display name, for lists
    data              TEXT NOT NULL,      -- guitu_domain::model::Case as JSON
    -- Facts derived from the case's records, kept in the same transaction as every
    -- record write so the deadline queries can filter in SQL. Deadlines themselves are
    -- never stored: the domain computes them from the records.
    identity_verified TEXT,               -- earliest verified date of an identity attempt
    track_steps_done  INTEGER NOT NULL DEFAULT 0,
    track_closed      INTEGER NOT NULL DEFAULT 0,
    -- 1 while R-ID-3M may still ask something of the case: identity not verified
    -- before (about) the three-month line, track neither complete nor closed.
    id3m_open         INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL
);
CREATE INDEX cases_person ON cases(person_id);
-- Covers the R-ID-3M deadline query, so it never reads the (large) case rows.
CREATE INDEX cases_id3m ON cases(received_date, id, case_number, institution_kind, identity_verified, person_name)
    WHERE id3m_open = 1 AND stage <> 'closed' AND institution_kind <> 'other';

CREATE TABLE records (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    date        TEXT NOT NULL,
    open        INTEGER NOT NULL DEFAULT 0,  -- legal aid not yet closed
    data        TEXT NOT NULL,               -- guitu_domain::model::RecordBody as JSON
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE INDEX records_case ON records(case_id, kind, date);
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

-- Search. One document per case: the person's names, other names, intake number and
-- ID number, the case and police numbers, and the free text of every record. Trigram
-- FTS answers terms of three or more characters; search_terms answers one- and
-- two-character terms (most Chinese names are two or three characters, and trigram FTS
-- silently finds nothing for them).
CREATE TABLE search_docs (
    rowid    INTEGER PRIMARY KEY,
    case_id  TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE search_fts USING fts5(text, content='', contentless_delete=1, tokenize='trigram');
CREATE TABLE search_terms (
    term     TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    PRIMARY KEY (term, case_id)
) WITHOUT ROWID;
CREATE INDEX search_terms_case ON search_terms(case_id);
