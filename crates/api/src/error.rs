//! The one error type of the use-case API. The front ends show `message` and branch on
//! `code`; the desktop shell hands both to the UI as `{ code, message }`.

use guitu_domain::DomainError;
use guitu_store::StoreError;
use serde::Serialize;

/// What a front end receives for a failed call.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}

/// Errors of the use cases. Messages are bilingual, Chinese first, and name records by
/// number, id and field, never by personal data.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A domain rule refused the change.
    #[error(transparent)]
    Rule(#[from] DomainError),
    /// A rule refused one item of an import; nothing was imported.
    #[error(
        "导入被拒绝，未写入任何数据：{location}：{source} / Import refused, nothing was written: {location}: {source}"
    )]
    ImportRule {
        location: String,
        #[source]
        source: DomainError,
    },
    /// The import file is not (complete) JSON.
    #[error(
        "导入文件不是完整有效的JSON（第{line}行第{column}列），未写入任何数据 / The import file is not complete, valid JSON (line {line}, column {column}); nothing was written: {detail}"
    )]
    ImportNotJson {
        line: usize,
        column: usize,
        detail: String,
    },
    /// A field of the import has a wrong type, an unknown value or is missing.
    #[error(
        "导入文件中 {path} 无效，未写入任何数据：{detail} / Import refused, nothing was written: invalid {path}: {detail}"
    )]
    ImportInvalid { path: String, detail: String },
    /// The import refers to something that is not there, or repeats an id.
    #[error("导入被拒绝，未写入任何数据：{zh} / Import refused, nothing was written: {en}")]
    ImportInconsistent { zh: String, en: String },
    /// The vault refused or failed.
    #[error("{}", store_message(.0))]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("无法读写文件 {path}：{source} / Cannot read or write {path}: {source}")]
    File {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A PDF could not be made.
    #[error(transparent)]
    Print(guitu_print::PrintError),
    /// An argument is malformed (a date, a case reference).
    #[error("输入无效：{zh} / Invalid input: {en}")]
    BadInput { zh: String, en: String },
}

fn store_message(e: &StoreError) -> String {
    match e {
        StoreError::WrongPassphrase => "密码或恢复码不正确，保险库未作任何改动 / Wrong passphrase or recovery code; the vault was not changed".into(),
        StoreError::NoVault(p) => format!("{} 中没有保险库，请先创建 / There is no vault in {}: create one first", p.display(), p.display()),
        StoreError::VaultExists(p) => format!("{} 中已有保险库 / A vault already exists in {}", p.display(), p.display()),
        StoreError::NotWritable { path, source } => format!(
            "无法写入保险库目录 {}（{source}），请检查权限或换一个目录 / The vault directory {} is not writable ({source}): check its permissions or choose another",
            path.display(),
            path.display()
        ),
        StoreError::NewerVersion { found, supported } => format!(
            "此保险库由更新版本的归途创建（结构版本{found}，本程序支持到{supported}），请升级归途后再打开；文件未作改动 / This vault was made by a newer version of Guitu (schema {found}, this build knows up to {supported}): upgrade Guitu to open it; nothing was changed"
        ),
        StoreError::WeakPassphrase { min } => format!("密码太短，至少需要{min}个字符 / The passphrase is too short: at least {min} characters"),
        StoreError::NotFound { kind, id } => format!("未找到{}：{id} / {kind} not found: {id}", kind_zh(kind)),
        StoreError::Duplicate { what, value } => format!("{}已存在：{value} / {what} already exists: {value}", kind_zh(what)),
        StoreError::BadBackup(why) => format!("不是有效的归途备份文件：{why} / Not a valid Guitu backup: {why}"),
        StoreError::Corrupt(why) => format!("保险库数据已损坏：{why} / The vault is damaged: {why}"),
        StoreError::HeaderCorrupt(why) => format!("保险库密钥文件已损坏：{why} / The vault's key file is damaged: {why}"),
        StoreError::DatabaseMissing { dir } => format!("{} 中的保险库数据库 guitu.db 不见了（密钥文件还在），请从备份恢复 / The vault database guitu.db is missing from {} (the key file is there): restore a backup", dir.display(), dir.display()),
        StoreError::DatabaseEmpty { dir } => format!("{} 中的保险库数据库 guitu.db 是空的（被截断或替换），未作任何改动，请从备份恢复 / The vault database guitu.db in {} is empty (truncated or replaced); nothing was changed: restore a backup", dir.display(), dir.display()),
        StoreError::ChangesMissing { dir, missing, last_known_at, .. } => format!("{} 中的保险库缺少最近的{missing}项更改（最后一项为{}）：数据库被换成了旧副本，或其WAL文件被删除或截断；请从备份恢复 / The last {missing} changes to the vault in {}, of {}, are missing: the database was replaced by an older copy or its WAL file was deleted or truncated; restore a backup", dir.display(), date_part(last_known_at), dir.display(), date_part(last_known_at)),
        StoreError::HistoryDiverged { dir, seq } => format!("{} 中的保险库数据库被另一个副本替换（第{seq}项更改不符）/ The vault database in {} was replaced by another copy (change {seq} differs)", dir.display(), dir.display()),
        StoreError::CheckpointMissing { dir } => format!("{} 中的保险库校验点 vault.check 不见了，无法确认数据完整 / The vault checkpoint vault.check is missing from {}: the vault cannot be shown to be complete", dir.display(), dir.display()),
        StoreError::CheckpointInvalid { dir, reason } => format!("{} 中的保险库校验点 vault.check 无效 / The vault checkpoint in {} is not valid: {reason}", dir.display(), dir.display()),
        StoreError::HeaderRolledBack { dir, found, expected } => format!("{} 中的密钥文件 vault.json 被旧副本替换（第{found}版，应为第{expected}版），已撤销的密码不能再打开保险库 / The key file vault.json in {} was replaced by an older copy (generation {found}, expected {expected}): a revoked passphrase cannot open the vault", dir.display(), dir.display()),
        StoreError::RestoreOtherVault { .. } => "该备份属于另一个保险库；确认要替换当前保险库时请加 --replace-other-vault / The backup belongs to another vault: confirm with --replace-other-vault to replace this vault".into(),
        StoreError::RestoreOlder { backup_changes, current_changes, backup_last_at } => format!("该备份比当前保险库旧（备份到第{backup_changes}项更改，{}；保险库已有{current_changes}项），恢复将丢失较新的更改；确认时请加 --older / The backup is older than the vault (it ends at change {backup_changes}, of {}; the vault has {current_changes}): restoring it loses the newer changes; confirm with --older", date_part(backup_last_at), date_part(backup_last_at)),
        StoreError::DiskFull { dir } => format!("磁盘已满：无法写入保险库目录 {}，未写入任何内容；请腾出空间后重试 / Disk full: the vault folder {} cannot be written; nothing was half-written: free some space and try again", dir.display(), dir.display()),
        StoreError::Domain(d) => d.to_string(),
        other => format!("保险库操作失败：{other} / Vault operation failed: {other}"),
    }
}

/// The date of an RFC 3339 time (`2026-11-28T…` → `2026-11-28`).
fn date_part(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

fn kind_zh(kind: &str) -> &'static str {
    match kind {
        "case" => "个案",
        "person" => "人员",
        "record" => "记录",
        "case number" => "案件编号",
        "user" => "用户",
        _ => "对象",
    }
}

impl ApiError {
    /// A stable code for the front ends.
    pub fn code(&self) -> String {
        match self {
            Self::Rule(d) | Self::ImportRule { source: d, .. } => format!("rule.{}", d.code()),
            Self::ImportNotJson { .. } => "import.not_json".into(),
            Self::ImportInvalid { .. } => "import.invalid".into(),
            Self::ImportInconsistent { .. } => "import.inconsistent".into(),
            Self::Store(e) => format!(
                "vault.{}",
                match e {
                    StoreError::WrongPassphrase => "wrong_passphrase",
                    StoreError::NoVault(_) => "no_vault",
                    StoreError::VaultExists(_) => "exists",
                    StoreError::NotWritable { .. } => "not_writable",
                    StoreError::Io { .. } => "io",
                    StoreError::HeaderCorrupt(_) => "header_corrupt",
                    StoreError::NewerVersion { .. } => "newer_version",
                    StoreError::Crypto(_) => "crypto",
                    StoreError::WeakPassphrase { .. } => "weak_passphrase",
                    StoreError::NotFound { .. } => "not_found",
                    StoreError::Duplicate { .. } => "duplicate",
                    StoreError::Corrupt(_) => "corrupt",
                    StoreError::BadBackup(_) => "bad_backup",
                    StoreError::Sql(_) => "database",
                    StoreError::Json(_) => "decode",
                    StoreError::Domain(_) => "rule",
                    StoreError::DatabaseMissing { .. } => "database_missing",
                    StoreError::DatabaseEmpty { .. } => "database_empty",
                    StoreError::ChangesMissing { .. } => "changes_missing",
                    StoreError::HistoryDiverged { .. } => "history_diverged",
                    StoreError::CheckpointMissing { .. } => "checkpoint_missing",
                    StoreError::CheckpointInvalid { .. } => "checkpoint_invalid",
                    StoreError::HeaderRolledBack { .. } => "header_rolled_back",
                    StoreError::RestoreOtherVault { .. } => "restore_other_vault",
                    StoreError::RestoreOlder { .. } => "restore_older",
                    StoreError::DiskFull { .. } => "disk_full",
                    #[allow(unreachable_patterns)]
                    _ => "other",
                }
            ),
            Self::File { .. } => "file".into(),
            Self::Print(e) => match e {
                guitu_print::PrintError::WeakPassword { .. } => "print.weak_password".into(),
                _ => "print.failed".into(),
            },
            Self::BadInput { .. } => "bad_input".into(),
        }
    }

    /// `{ code, message }` for a front end.
    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }

    pub(crate) fn bad_input(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::BadInput {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Result alias of the API.
pub type Result<T, E = ApiError> = std::result::Result<T, E>;
