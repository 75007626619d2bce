-- Version 6: duplicate persons (issue 14, R-DUP). The blocking keys of every person
-- (guitu_domain::duplicates::Profile::keys: ID number, names, pinyin spellings, masked
-- names and initials with the birth year), written with the person; two persons are
-- compared only when they share a key. The key rows are filled for the persons already
-- stored by the migration's Rust step, in the same transaction.
CREATE TABLE person_keys (
    key        TEXT NOT NULL,
    person_id  TEXT NOT NULL,
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_keys_person ON person_keys(person_id);

-- Pairs a person decided are not the same person (the smaller id first): never asked again.
CREATE TABLE not_duplicates (
    a   TEXT NOT NULL,
    b   TEXT NOT NULL,
    at  TEXT NOT NULL,
    by  TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- Merges of two persons into one, kept so that each can be undone: the absorbed person as
-- it was (JSON), the cases moved, and the other names the kept person gained.
CREATE TABLE merges (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    at             TEXT NOT NULL,
    by             TEXT NOT NULL,
    kept           TEXT NOT NULL,
    absorbed       TEXT NOT NULL,
    absorbed_data  TEXT NOT NULL,
    cases          TEXT NOT NULL,   -- JSON array of case ids moved to the kept person
    names_added    TEXT NOT NULL,   -- JSON array of other names the kept person gained
    undone_at      TEXT,
    undone_by      TEXT
);
CREATE INDEX merges_kept ON merges(kept, seq);
