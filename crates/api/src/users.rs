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

/// Which audit entries to print or show.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter<'a> {
    pub user: Option<&'a str>,
    /// A case number or id.
    pub case: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub limit: u32,
}

impl Session {
    /// The audit trail as a PDF (the same printing engine as the case files): the filters,
    /// then one row per entry, case ids shown as case numbers. The print is itself audited.
    pub fn print_audit(&mut self, f: &AuditFilter<'_>) -> Result<crate::Printed> {
        use guitu_print::content::CONFIDENTIAL;
        use guitu_print::doc::{Block, Column, Document};
        let entries = self.audit(f.user, f.case, f.from, f.to, f.limit)?;
        let now = chrono::Local::now().naive_local();
        let printed = format!(
            "{} {}",
            guitu_text::date(now.date(), guitu_text::Lang::Zh),
            now.format("%H:%M")
        );
        let mut numbers = std::collections::HashMap::new();
        let mut target = |t: &str| -> String {
            let Some(id) = t.strip_prefix("case:") else {
                return t.to_owned();
            };
            numbers
                .entry(id.to_owned())
                .or_insert_with(|| {
                    self.vault
                        .find_case(id)
                        .map(|c| format!("个案 {}", c.case_number))
                        .unwrap_or_else(|_| t.to_owned())
                })
                .clone()
        };
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                vec![
                    e.at.get(..19).unwrap_or(&e.at).replace('T', " "),
                    e.actor.clone(),
                    e.action.clone(),
                    target(&e.target),
                    e.detail.clone(),
                ]
            })
            .collect();
        let any = "（全部）".to_owned();
        let filters = vec![
            (
                "操作人".to_owned(),
                f.user.map_or(any.clone(), str::to_owned),
            ),
            ("个案".to_owned(), f.case.map_or(any.clone(), str::to_owned)),
            (
                "起始日期".to_owned(),
                f.from.map_or(any.clone(), str::to_owned),
            ),
            ("截止日期".to_owned(), f.to.map_or(any, str::to_owned)),
            ("条数".to_owned(), entries.len().to_string()),
        ];
        let col = |t: &str, w: f32| Column {
            title: t.to_owned(),
            weight: w,
        };
        let doc = Document {
            title: "审计记录".into(),
            header_left: "审计记录".into(),
            header_right: CONFIDENTIAL.into(),
            footer_left: format!("打印人：{}　打印时间：{printed}", self.actor.name),
            created: now,
            blocks: vec![
                Block::Heading("审计记录".into()),
                Block::Fields(filters),
                Block::Table {
                    columns: vec![
                        col("时间", 3.0),
                        col("操作人", 2.0),
                        col("操作", 2.5),
                        col("对象", 3.0),
                        col("说明", 2.5),
                    ],
                    rows,
                },
            ],
        };
        let fonts = guitu_print::render::Fonts::shared().map_err(ApiError::Print)?;
        let rendered = guitu_print::render::render(
            &doc,
            fonts,
            &guitu_print::render::RenderOptions { password: None },
        )
        .map_err(ApiError::Print)?;
        self.vault
            .audit(guitu_store::AuditAction::Print, "audit", "audit_trail")?;
        Ok(crate::Printed {
            bytes: rendered.bytes,
            pages: rendered.pages,
            missing_glyphs: rendered.missing_glyphs,
            file_name: format!("审计记录-{}.pdf", now.format("%Y%m%d-%H%M")),
            basis: None,
        })
    }
}
