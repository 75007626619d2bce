//! Managing users (an administrator's acts, R-ACCESS) and reading the audit trail.

use guitu_domain::access::{Permission, Role};
use guitu_store::{AuditEntry, AuditQuery, KdfParams, RekeyProgress, Secret, User};

use crate::{ApiError, Problem, Result, Session};

/// Longest user name, in characters.
pub const MAX_USER_NAME: usize = 50;

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::Input(Problem::EmptyUser));
    }
    if name.chars().count() > MAX_USER_NAME || name.chars().any(char::is_control) {
        return Err(guitu_domain::DomainError::TooLong {
            field: "name".into(),
            max: MAX_USER_NAME as u32,
        }
        .into());
    }
    Ok(name.to_owned())
}

impl Session {
    /// Every user with their roles.
    pub fn users(&self) -> Result<Vec<User>> {
        self.require(Permission::ManageUsers)?;
        Ok(self.vault.list_users()?)
    }

    /// Adds a user with their own passphrase (a new key slot).
    pub fn add_user(
        &mut self,
        name: &str,
        roles: &[Role],
        institution: Option<&str>,
        passphrase: &Secret,
        kdf: &KdfParams,
    ) -> Result<User> {
        self.require(Permission::ManageUsers)?;
        let user = User {
            name: check_name(name)?,
            roles: roles.to_vec(),
            institution: institution
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .map(str::to_owned),
            disabled: false,
        };
        if user.roles.is_empty() {
            return Err(guitu_domain::DomainError::Required {
                field: "roles".into(),
            }
            .into());
        }
        if user.roles.contains(&Role::ShelterStaff) && user.institution.is_none() {
            return Err(guitu_domain::DomainError::Required {
                field: "institution".into(),
            }
            .into());
        }
        self.vault.add_user(&user, passphrase, kdf)?;
        Ok(user)
    }

    /// Changes a user's roles, institution or disabled flag. Nobody disables themselves
    /// or takes the administrator role from themselves.
    pub fn update_user(&mut self, user: &User) -> Result<()> {
        self.require(Permission::ManageUsers)?;
        if user.name == self.actor.name
            && (user.disabled || !user.roles.contains(&Role::Administrator))
        {
            return Err(guitu_store::StoreError::UserIsSelf.into());
        }
        self.vault.update_user(user)?;
        Ok(())
    }

    /// Sets a new passphrase for `name` (an administrator resetting a forgotten one).
    pub fn reset_passphrase(&mut self, name: &str, new: &Secret, kdf: &KdfParams) -> Result<()> {
        self.require(Permission::ManageUsers)?;
        if !self.vault.users().iter().any(|u| u == name) {
            return Err(guitu_store::StoreError::UserUnknown.into());
        }
        Ok(self.vault.change_passphrase(Some(name), new, kdf)?)
    }

    /// Removes `name` and re-keys the database (with progress); returns a new recovery
    /// code when the old one could not be carried over (show it once).
    pub fn remove_user(
        &mut self,
        name: &str,
        kdf: &KdfParams,
        progress: &(dyn Fn(RekeyProgress) + Sync),
    ) -> Result<Option<Secret>> {
        self.require(Permission::ManageUsers)?;
        let removed = self.vault.remove_user(name, kdf, progress)?;
        Ok(removed.new_recovery_code)
    }

    /// Audit entries by user, case (number or id) and time, newest first.
    pub fn audit(
        &self,
        user: Option<&str>,
        case: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        self.require(Permission::ReadAudit)?;
        let case_id = match case {
            Some(c) => Some(self.vault.find_case(c)?.id.to_string()),
            None => None,
        };
        Ok(self.vault.audit_query(&AuditQuery {
            user: user.map(str::to_owned),
            case_id,
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            limit,
        })?)
    }
}
