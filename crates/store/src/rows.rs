//! How values of the domain sit in rows: one mapping per table, and the column types the
//! store shares (labelled enumerations as their `snake_case` names, ids, dates, times).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row};
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{Case, Person, Record, RecordBody};
use guitu_text::Thing;

use crate::{Result, StoreError};

/// A labelled enumeration as a column: its `snake_case` name (the domain's `as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Db<T>(pub T);

impl<T: LabelledEnum> ToSql for Db<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(
            self.0.as_str().as_bytes(),
        )))
    }
}

impl<T: LabelledEnum> FromSql for Db<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        T::parse(s).map(Db).ok_or_else(|| {
            FromSqlError::Other(Box::new(guitu_domain::label::UnknownValue {
                enum_name: T::NAME,
            }))
        })
    }
}

/// JSON of a stored value.
pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v)?)
}

/// An id column.
pub(crate) fn uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| StoreError::Corrupt("a stored id is not a UUID".into()))
}

/// A date column.
pub(crate) fn date(s: &str) -> Result<NaiveDate> {
    s.parse::<NaiveDate>()
        .map_err(|_| StoreError::Corrupt("a stored date is not a date".into()))
}

/// A time column (RFC 3339, UTC).
pub(crate) fn time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt("a stored time is not a time".into()))
}

/// A unique or foreign-key violation as the error a caller can act on.
pub(crate) fn constraint(e: rusqlite::Error, what: Thing, value: &str) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg)
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.as_deref().is_some_and(|m| m.contains("UNIQUE")) =>
        {
            StoreError::Duplicate {
                what,
                value: value.to_owned(),
            }
        }
        rusqlite::Error::SqliteFailure(f, msg)
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.as_deref().is_some_and(|m| m.contains("FOREIGN KEY")) =>
        {
            StoreError::NotFound {
                what: Thing::Id,
                reference: value.to_owned(),
            }
        }
        _ => StoreError::Sql(e),
    }
}

// ----- persons ---------------------------------------------------------------------------

/// A person by id.
pub(crate) fn person(conn: &Connection, id: &str) -> Result<Person> {
    let data: String = conn
        .prepare_cached("SELECT data FROM persons WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .map_err(|e| not_found(e, Thing::Person, id))?;
    Ok(serde_json::from_str(&data)?)
}

fn not_found(e: rusqlite::Error, what: Thing, reference: &str) -> StoreError {
    match e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound {
            what,
            reference: reference.to_owned(),
        },
        other => StoreError::Sql(other),
    }
}

// ----- cases -----------------------------------------------------------------------------

/// A case by id.
pub(crate) fn case(conn: &Connection, id: &str) -> Result<Case> {
    let data: String = conn
        .prepare_cached("SELECT data FROM cases WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .map_err(|e| not_found(e, Thing::Case, id))?;
    Ok(serde_json::from_str(&data)?)
}

// ----- records ---------------------------------------------------------------------------

/// The columns [`record`] reads, in its order.
pub(crate) const RECORD_COLUMNS: &str =
    "id, case_id, data, created_at, created_by, updated_at, updated_by";

/// A record from a row of [`RECORD_COLUMNS`].
pub(crate) fn record(row: &Row<'_>) -> Result<Record> {
    let body: RecordBody = serde_json::from_str(&row.get::<_, String>(2)?)?;
    Ok(Record {
        id: uuid(&row.get::<_, String>(0)?)?,
        case_id: uuid(&row.get::<_, String>(1)?)?,
        body,
        created_at: time(&row.get::<_, String>(3)?)?,
        created_by: row.get(4)?,
        updated_at: time(&row.get::<_, String>(5)?)?,
        updated_by: row.get(6)?,
    })
}

/// Records matching a `WHERE` clause with one parameter, by date.
pub(crate) fn records_where(
    conn: &Connection,
    sql_where: &str,
    param: &str,
) -> Result<Vec<Record>> {
    let sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE {sql_where} ORDER BY date, id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([param])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(record(row)?);
    }
    Ok(out)
}
