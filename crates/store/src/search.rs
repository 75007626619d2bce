//! Search over names (two-character Chinese names too), other names, case numbers,
//! resident ID numbers and note text.
//!
//! Terms of three or more characters go to a trigram FTS5 index. Trigram FTS finds
//! nothing for one- and two-character terms, so names are also cut into whole names and
//! two-character grams in `search_terms`, which answers those short queries by index.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use guitu_domain::model::{Case, Person, RecordBody};

use crate::{Result, StoreError};

/// A case found by a search.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct SearchHit {
    pub case_id: String,
    pub case_number: String,
    /// The person's name as recorded (`None` while unknown).
    pub name: Option<String>,
    /// The intake number that stands in while the name is unknown.
    pub intake_number: Option<String>,
    pub stage: String,
    pub received_date: String,
}

fn names_of(p: &Person) -> Vec<&str> {
    p.name
        .iter()
        .chain(p.other_names.iter())
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Short terms for a name: the whole name and every two-character gram.
fn terms_of(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = vec![chars.iter().collect::<String>().to_lowercase()];
    if chars.len() > 2 {
        out.extend(
            chars
                .windows(2)
                .map(|w| w.iter().collect::<String>().to_lowercase()),
        );
    }
    out
}

fn remove_case(conn: &Connection, case_id: &str) -> Result<()> {
    let rowid: Option<i64> = conn
        .prepare_cached("SELECT rowid FROM search_docs WHERE case_id = ?1")?
        .query_row([case_id], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = rowid {
        conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?
            .execute([rowid])?;
        conn.prepare_cached("DELETE FROM search_docs WHERE rowid = ?1")?
            .execute([rowid])?;
    }
    conn.prepare_cached("DELETE FROM search_terms WHERE case_id = ?1")?
        .execute([case_id])?;
    Ok(())
}

/// Indexes a case that has no index entries yet, with the bodies of its records.
pub(crate) fn index_new_case<'a>(
    conn: &Connection,
    case: &Case,
    person: &Person,
    bodies: impl IntoIterator<Item = &'a RecordBody>,
) -> Result<()> {
    let case_id = case.id.to_string();
    let mut text: Vec<String> = names_of(person).into_iter().map(str::to_owned).collect();
    text.extend(person.intake_number.clone());
    text.extend(person.resident_id.clone());
    text.push(case.case_number.clone());
    text.extend(case.police_reference.clone());
    text.extend(bodies.into_iter().filter_map(RecordBody::search_text));
    conn.prepare_cached("INSERT INTO search_docs (case_id) VALUES (?1)")?
        .execute([&case_id])?;
    let rowid = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO search_fts (rowid, text) VALUES (?1, ?2)")?
        .execute(params![rowid, text.join("\n")])?;
    insert_name_terms(conn, &case_id, person)
}

/// The short terms of a person's names for one case: whole names, two-character grams, and
/// every pinyin spelling and string of initials (`zhangwei`, `zw` find 张伟).
pub(crate) fn insert_name_terms(conn: &Connection, case_id: &str, person: &Person) -> Result<()> {
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO search_terms (term, case_id) VALUES (?1, ?2)")?;
    for name in names_of(person) {
        for term in terms_of(name) {
            insert.execute(params![term, case_id])?;
        }
        for term in guitu_domain::duplicates::spellings(name) {
            insert.execute(params![term, case_id])?;
        }
    }
    Ok(())
}

/// Rebuilds a case's document and name terms.
pub(crate) fn reindex_case(
    conn: &Connection,
    case: &Case,
    person: &Person,
    bodies: &[RecordBody],
) -> Result<()> {
    remove_case(conn, &case.id.to_string())?;
    index_new_case(conn, case, person, bodies)
}

fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// Finds up to `limit` cases matching `query`.
pub(crate) fn search(conn: &Connection, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
    let ids = search_ids(conn, query, limit)?;
    hits(conn, &ids)
}

/// Ids of the cases a search finds (at most `limit`).
pub(crate) fn search_ids(conn: &Connection, query: &str, limit: u32) -> Result<Vec<String>> {
    let q: String = query.trim().to_lowercase();
    let n = q.chars().count();
    if n == 0 {
        return Ok(Vec::new());
    }
    // Latin letters only may be pinyin (`zhangwei`, `zw`): names' spellings that start
    // with them, then (three letters or more) the text.
    let pinyin = q.chars().all(|c| c.is_ascii_alphabetic());
    Ok(if n >= 3 {
        let mut found: Vec<String> = if pinyin {
            term_prefix(conn, &q, limit)?
        } else {
            Vec::new()
        };
        let mut stmt = conn.prepare_cached(
            "SELECT d.case_id FROM search_fts f JOIN search_docs d ON d.rowid = f.rowid
             WHERE search_fts MATCH ?1 LIMIT ?2",
        )?;
        let text: Vec<String> = stmt
            .query_map(params![fts_phrase(&q), limit], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in text {
            if found.len() >= limit as usize {
                break;
            }
            if !found.contains(&id) {
                found.push(id);
            }
        }
        found
    } else {
        // Whole names and two-character grams; a single character matches names and
        // grams that start with it (a surname, say).
        let mut upper = q.clone();
        upper.push(char::MAX);
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT case_id FROM search_terms WHERE term >= ?1 AND term < ?2 LIMIT ?3",
        )?;
        stmt.query_map(params![q, upper, limit], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    })
}

/// Cases with a name term starting with `q` (at most `limit`).
fn term_prefix(conn: &Connection, q: &str, limit: u32) -> Result<Vec<String>> {
    let mut upper = q.to_owned();
    upper.push(char::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT case_id FROM search_terms WHERE term >= ?1 AND term < ?2 LIMIT ?3",
    )?;
    Ok(stmt
        .query_map(params![q, upper, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Case summaries for the given case ids, in case-number order.
pub(crate) fn hits(conn: &Connection, ids: &[String]) -> Result<Vec<SearchHit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.case_number, c.stage, c.received_date, p.data FROM cases c JOIN persons p ON p.id = c.person_id
         WHERE c.id = ?1 AND c.voided_at IS NULL",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        // A voided case (作废) is found by no search.
        let Some((case_number, stage, received_date, pdata)): Option<(
            String,
            String,
            String,
            String,
        )> = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?
        else {
            continue;
        };
        let person: Person = serde_json::from_str(&pdata).map_err(StoreError::Json)?;
        out.push(SearchHit {
            case_id: id.clone(),
            case_number,
            name: person.name,
            intake_number: person.intake_number,
            stage,
            received_date,
        });
    }
    out.sort_by(|a, b| b.case_number.cmp(&a.case_number));
    Ok(out)
}

impl crate::Vault {
    /// Searches names, other names, case numbers, ID numbers and note text.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        search(&self.conn, query, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_whole_names_and_bigrams() {
        assert_eq!(
            terms_of("李娜"),
            vec!["李娜"],
            "a two-character name is one term"
        );
        assert_eq!(
            terms_of("欧阳小凤"),
            vec!["欧阳小凤", "欧阳", "阳小", "小凤"]
        );
    }

    #[test]
    fn quotes_in_queries_cannot_break_the_fts_syntax() {
        assert_eq!(fts_phrase("a\"b OR c"), "\"a\"\"b OR c\"");
    }
}
