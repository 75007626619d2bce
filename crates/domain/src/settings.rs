//! Administrator settings that change rules without a rebuild ("configurable" in DOMAIN.md).

use serde::{Deserialize, Serialize};

use crate::rules::id3m::Id3mSettings;
use crate::rules::legal_aid::LegalAidSettings;
use crate::{DomainError, SettingProblem};

/// The longest case-number prefix.
pub const MAX_PREFIX_CHARS: usize = 8;
/// The longest office name (填报单位 of a ledger, and its receiving institution when the
/// ledger has none).
pub const MAX_OFFICE_CHARS: usize = 50;
/// The idle minutes the desktop app may wait before it locks.
pub const IDLE_LOCK_MINUTES: std::ops::RangeInclusive<u32> = 1..=240;

/// The limits of the settings, for forms that check as the user types (exported to the
/// UI with the bindings, so no limit is copied into TypeScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SettingLimits {
    pub case_prefix_max: u32,
    pub idle_lock_minutes_min: u32,
    pub idle_lock_minutes_max: u32,
    pub lead_days_max: u32,
    pub step_target_max: u32,
    pub legal_aid_target_max: u32,
    pub duplicate_score_min: u32,
    pub duplicate_score_max: u32,
    pub office_max: u32,
}

/// The limits of the settings.
pub const LIMITS: SettingLimits = SettingLimits {
    case_prefix_max: MAX_PREFIX_CHARS as u32,
    idle_lock_minutes_min: *IDLE_LOCK_MINUTES.start(),
    idle_lock_minutes_max: *IDLE_LOCK_MINUTES.end(),
    lead_days_max: crate::rules::id3m::MAX_LEAD_DAYS,
    step_target_max: crate::rules::id3m::MAX_STEP_TARGET_WORKDAYS,
    legal_aid_target_max: crate::rules::legal_aid::MAX_TARGET_WORKDAYS,
    duplicate_score_min: *crate::duplicates::SCORE_RANGE.start(),
    duplicate_score_max: *crate::duplicates::SCORE_RANGE.end(),
    office_max: MAX_OFFICE_CHARS as u32,
};

/// Every configurable value of the rules, stored in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct RuleSettings {
    /// District case-number prefix, e.g. `DZ` for `DZ-2026-0001`.
    pub case_prefix: String,
    /// R-ID-3M lead times and step targets.
    pub id3m: Id3mSettings,
    /// R-LA-GC targets.
    pub legal_aid: LegalAidSettings,
    /// Idle minutes before the desktop app locks the vault.
    pub idle_lock_minutes: u32,
    /// R-DUP: from which score two persons are shown as possibly the same.
    pub duplicates: crate::duplicates::DuplicateSettings,
    /// The office (填报单位) a ledger export names, and the receiving institution of a
    /// ledger's cases when the ledger has no 接收机构 column. May be empty.
    pub office: String,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            case_prefix: "DZ".to_owned(),
            id3m: Id3mSettings::default(),
            legal_aid: LegalAidSettings::default(),
            idle_lock_minutes: 10,
            duplicates: crate::duplicates::DuplicateSettings::default(),
            office: String::new(),
        }
    }
}

impl RuleSettings {
    /// Checks every value is in range.
    pub fn validate(&self) -> Result<(), DomainError> {
        let prefix_ok = !self.case_prefix.is_empty()
            && self.case_prefix.chars().count() <= MAX_PREFIX_CHARS
            && self
                .case_prefix
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !prefix_ok {
            return Err(DomainError::BadSetting {
                problem: SettingProblem::CasePrefix {
                    max: MAX_PREFIX_CHARS as u32,
                },
            });
        }
        if !IDLE_LOCK_MINUTES.contains(&self.idle_lock_minutes) {
            return Err(DomainError::BadSetting {
                problem: SettingProblem::IdleMinutes {
                    min: *IDLE_LOCK_MINUTES.start(),
                    max: *IDLE_LOCK_MINUTES.end(),
                },
            });
        }
        if !self.duplicates.is_valid() {
            let range = crate::duplicates::SCORE_RANGE;
            return Err(DomainError::BadSetting {
                problem: SettingProblem::DuplicateScores {
                    min: *range.start(),
                    max: *range.end(),
                },
            });
        }
        if self.office.chars().count() > MAX_OFFICE_CHARS
            || self.office.chars().any(|c| c.is_control())
        {
            return Err(DomainError::BadSetting {
                problem: SettingProblem::Office {
                    max: MAX_OFFICE_CHARS as u32,
                },
            });
        }
        self.id3m.validate()?;
        self.legal_aid.validate()
    }

    /// The case number for a sequence number within a year: `DZ-2026-0001`.
    pub fn case_number(&self, year: i32, seq: u32) -> String {
        format!("{}-{year}-{seq:04}", self.case_prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_settings_are_valid_and_number_cases_like_the_brief() {
        let s = RuleSettings::default();
        assert_eq!(
            s.validate(),
            Ok(()),
            "defaults must pass their own validation"
        );
        assert_eq!(
            s.case_number(2026, 1),
            "DZ-2026-0001",
            "DOMAIN.md's example number"
        );
    }

    #[test]
    fn bad_prefix_and_idle_minutes_are_refused() {
        let s = RuleSettings {
            case_prefix: "dz-".into(),
            ..RuleSettings::default()
        };
        assert!(
            matches!(s.validate(), Err(DomainError::BadSetting { .. })),
            "lower case and dash are not a prefix"
        );
        let s = RuleSettings {
            idle_lock_minutes: 0,
            ..RuleSettings::default()
        };
        assert!(
            matches!(s.validate(), Err(DomainError::BadSetting { .. })),
            "0 minutes would lock at once"
        );
    }

    #[test]
    fn the_office_may_be_empty_and_at_most_fifty_characters() {
        let office = |o: &str| RuleSettings {
            office: o.to_owned(),
            ..RuleSettings::default()
        };
        assert_eq!(office("").validate(), Ok(()), "no office is allowed");
        assert_eq!(office(&"站".repeat(50)).validate(), Ok(()));
        assert_eq!(
            office(&"站".repeat(51)).validate(),
            Err(DomainError::BadSetting {
                problem: SettingProblem::Office { max: 50 }
            })
        );
        assert!(
            office("救助站\u{7}").validate().is_err(),
            "a control character is refused"
        );
    }
}
