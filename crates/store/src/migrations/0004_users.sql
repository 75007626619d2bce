-- Version 4: the vault's users (issue 10). A user is a passphrase slot of vault.json
-- (which only unlocks) and a row here (what the user may do). The row lives inside the
-- encrypted database, so roles cannot be changed by editing a file. Roles are the
-- domain's wire names (access::Role), comma-separated. The Rust step gives every
-- passphrase slot of an older vault a row later, at open (the step cannot see the header).
CREATE TABLE users (
    name TEXT PRIMARY KEY NOT NULL,
    roles TEXT NOT NULL,
    institution TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
