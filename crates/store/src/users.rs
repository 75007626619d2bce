//! The vault's users: name, roles, institution, disabled. Unlocking is the key slots'
//! job (`keys`); this table says what the unlocked user may do (`guitu_domain::access`).

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use guitu_domain::access::{Actor, Role};
use guitu_domain::label::LabelledEnum;

use crate::{Result, StoreError};

/// A user of the vault as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct User {
    pub name: String,
    pub roles: Vec<Role>,
    pub institution: Option<String>,
    pub disabled: bool,
}

impl User {
    /// The acting user the domain's permission checks take.
    pub fn actor(&self) -> Actor {
        Actor {
            name: self.name.clone(),
            roles: self.roles.clone(),
            institution: self.institution.clone(),
        }
    }
}

/// The roles of the users of a vault made before users had roles, and of the first user
/// of a new vault: administrator and supervisor, so that a one-person office can still
/// do everything it did.
pub const FIRST_USER_ROLES: &[Role] = &[Role::Administrator, Role::Supervisor];

fn roles_column(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_roles(s: &str) -> Result<Vec<Role>> {
    s.split(',')
        .filter(|r| !r.is_empty())
        .map(|r| {
            Role::parse(r).ok_or_else(|| StoreError::Corrupt("a stored role is not a role".into()))
        })
        .collect()
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, Option<String>, bool)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn user_of(row: (String, String, Option<String>, bool)) -> Result<User> {
    let (name, roles, institution, disabled) = row;
    Ok(User {
        name,
        roles: parse_roles(&roles)?,
        institution,
        disabled,
    })
}

/// Every user, by name.
pub(crate) fn list(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, roles, institution, disabled FROM users ORDER BY name")?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(user_of).collect()
}

/// One user, if there is a row for that name.
pub(crate) fn get(conn: &Connection, name: &str) -> Result<Option<User>> {
    let row = conn
        .prepare_cached("SELECT name, roles, institution, disabled FROM users WHERE name = ?1")?
        .query_row([name], from_row)
        .optional()?;
    row.map(user_of).transpose()
}

/// Adds a user's row (the slot is the caller's), or replaces the row of that name.
pub(crate) fn insert(conn: &Connection, user: &User, by: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO users (name, roles, institution, disabled, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        user.name,
        roles_column(&user.roles),
        user.institution,
        user.disabled,
        Utc::now().to_rfc3339(),
        by
    ])?;
    Ok(())
}

/// Changes a user's roles, institution and disabled flag.
pub(crate) fn update(conn: &Connection, user: &User) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE users SET roles = ?2, institution = ?3, disabled = ?4 WHERE name = ?1",
        )?
        .execute(params![
            user.name,
            roles_column(&user.roles),
            user.institution,
            user.disabled
        ])?;
    Ok(n == 1)
}

/// Gives every slot user without a row one with [`FIRST_USER_ROLES`]: a vault made before
/// users had roles keeps working as it did. Returns how many rows it added.
pub(crate) fn adopt_slot_users(conn: &Connection, slot_users: &[String]) -> Result<usize> {
    let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?;
    if any {
        return Ok(0);
    }
    for name in slot_users {
        insert(
            conn,
            &User {
                name: name.clone(),
                roles: FIRST_USER_ROLES.to_vec(),
                institution: None,
                disabled: false,
            },
            "upgrade",
        )?;
    }
    Ok(slot_users.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let conn = Connection::open_in_memory().expect("memory db");
        conn.execute_batch(include_str!("migrations/0004_users.sql"))
            .expect("users table");
        conn
    }

    #[test]
    fn a_user_round_trips_with_several_roles() {
        let conn = db();
        let u = User {
            name: "王芳".into(),
            roles: vec![Role::Caseworker, Role::Supervisor],
            institution: None,
            disabled: false,
        };
        insert(&conn, &u, "admin").expect("insert");
        assert_eq!(get(&conn, "王芳").expect("get"), Some(u.clone()));
        let mut changed = u.clone();
        changed.disabled = true;
        changed.roles = vec![Role::Auditor];
        assert!(update(&conn, &changed).expect("update"));
        assert_eq!(list(&conn).expect("list"), vec![changed]);
        assert_eq!(get(&conn, "李强").expect("get"), None, "nobody else");
    }

    #[test]
    fn an_older_vault_s_slot_users_become_administrators_once() {
        let conn = db();
        let added = adopt_slot_users(&conn, &["tester".into()]).expect("adopt");
        assert_eq!(added, 1);
        let u = get(&conn, "tester")
            .expect("get")
            .expect("a row for the slot user");
        assert_eq!(
            u.roles, FIRST_USER_ROLES,
            "the one user keeps doing everything"
        );
        assert_eq!(
            adopt_slot_users(&conn, &["someone".into()]).expect("adopt"),
            0,
            "a vault that has users adopts nobody"
        );
    }

    #[test]
    fn a_role_that_is_not_a_role_is_corruption() {
        let conn = db();
        conn.execute(
            "INSERT INTO users VALUES ('x', 'administrator,wizard', NULL, 0, 't', 'b')",
            [],
        )
        .expect("insert");
        assert!(matches!(get(&conn, "x"), Err(StoreError::Corrupt(_))));
    }
}
