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
        StoreError::Domain(d) => d.to_string(),
        other => format!("保险库操作失败：{other} / Vault operation failed: {other}"),
    }
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
