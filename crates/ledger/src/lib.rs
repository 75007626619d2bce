//! Excel ledgers (台账): offices' workbooks read into domain rows, and the ledger written
//! back out (issue 13). No SQL and no Tauri here: the API turns rows into an import.
