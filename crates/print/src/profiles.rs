//! Redaction profiles: which fields each kind of printed file may carry.
//!
//! This file is the one place to review what leaves the vault on paper (R-PRIV). A field
//! that a profile does not list is never written into the document — not hidden, absent.
//! The full case file lists every field; each hand-off summary lists only what its
//! recipient needs for its task.

use guitu_domain::labelled_enum;
use guitu_domain::model::RecordKind;

labelled_enum!(
    /// The kinds of printed file.
    PrintKind {
        Full => ("full", "完整档案", "full case file"),
        School => ("school", "移交摘要（学校）", "hand-off summary for a school"),
        Hospital => ("hospital", "移交摘要（医院）", "hand-off summary for a hospital"),
        LegalAid => ("legal_aid", "移交摘要（法律援助中心）", "hand-off summary for a legal-aid centre"),
        Police => ("police", "移交摘要（公安机关）", "hand-off summary for the police"),
        CivilAffairs => ("civil_affairs", "移交摘要（民政部门）", "hand-off summary for another civil-affairs office"),
    }
);

impl PrintKind {
    /// The name used on the command line: `full`, `school`, `hospital`, `legal-aid`,
    /// `police`, `civil-affairs`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::School => "school",
            Self::Hospital => "hospital",
            Self::LegalAid => "legal-aid",
            Self::Police => "police",
            Self::CivilAffairs => "civil-affairs",
        }
    }

    /// Parses a command-line name.
    pub fn from_cli(name: &str) -> Option<PrintKind> {
        Self::ALL.iter().copied().find(|k| k.cli_name() == name)
    }

    /// The recipient, for the receipt slip (None for the full file).
    pub fn recipient_zh(self) -> Option<&'static str> {
        match self {
            Self::Full => None,
            Self::School => Some("学校（教育部门）"),
            Self::Hospital => Some("医疗机构（卫生健康部门）"),
            Self::LegalAid => Some("法律援助中心（司法行政部门）"),
            Self::Police => Some("公安机关"),
            Self::CivilAffairs => Some("民政部门"),
        }
    }
}

/// A printable field or section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    // Person
    Name,
    IntakeNumber,
    OtherNames,
    Sex,
    BirthDate,
    Nationality,
    Ethnicity,
    HouseholdRegistration,
    ResidentId,
    Disability,
    Languages,
    Guardians,
    FoundPlace,
    // Case
    ReceivedDate,
    Institution,
    Referral,
    PoliceReference,
    Caseworker,
    Flags,
    Stage,
    /// All records of one kind, as a section.
    Records(RecordKind),
    /// The R-ID-3M household-registration track with its due dates.
    Id3mTrack,
    /// The legal-aid green-channel steps with their due dates.
    LegalAidSteps,
    /// The dated timeline of every change.
    Timeline,
}

use Field::*;
use RecordKind as K;

const FULL: &[Field] = &[
    Name,
    IntakeNumber,
    OtherNames,
    Sex,
    BirthDate,
    Nationality,
    Ethnicity,
    HouseholdRegistration,
    ResidentId,
    Disability,
    Languages,
    Guardians,
    FoundPlace,
    ReceivedDate,
    Institution,
    Referral,
    PoliceReference,
    Caseworker,
    Flags,
    Stage,
    Records(K::ShelterStay),
    Records(K::IdentityAttempt),
    Id3mTrack,
    Records(K::Placement),
    Records(K::Rehabilitation),
    Records(K::Schooling),
    Records(K::FamilyReturn),
    Records(K::Employment),
    Records(K::LegalAid),
    LegalAidSteps,
    Records(K::FollowUp),
    Records(K::Interview),
    Records(K::MandatoryReport),
    Records(K::Note),
    Records(K::TrackStep),
    Records(K::TrackClosure),
    Timeline,
];

/// A school enrols or takes back a child: who the child is, the languages and any
/// disability it must provide for, and who to contact. Nothing of the trafficking, the
/// identity search, the police, the placement or health.
const SCHOOL: &[Field] = &[
    Name,
    Sex,
    BirthDate,
    Languages,
    Disability,
    Guardians,
    Institution,
    Caseworker,
    Records(K::Schooling),
];

/// A hospital treats the person: identity for its records, languages, disability, the
/// treatment history; nothing of the police inquiry, the placement or legal matters.
const HOSPITAL: &[Field] = &[
    Name,
    Sex,
    BirthDate,
    Languages,
    Disability,
    Guardians,
    Institution,
    Caseworker,
    Records(K::Rehabilitation),
];

/// A legal-aid centre represents the victim: identity and legal representatives, the
/// police case, the application and its steps, when interviews took place.
const LEGAL_AID: &[Field] = &[
    Name,
    OtherNames,
    Sex,
    BirthDate,
    Nationality,
    HouseholdRegistration,
    ResidentId,
    Disability,
    Languages,
    Guardians,
    ReceivedDate,
    Referral,
    PoliceReference,
    Caseworker,
    Records(K::LegalAid),
    LegalAidSteps,
    Records(K::Interview),
];

/// The police investigate and register household status: identity in full, where the
/// person was found, identity attempts, interviews, mandatory reports and the R-ID-3M
/// track (household registration is theirs). No health, schooling or notes.
const POLICE: &[Field] = &[
    Name,
    IntakeNumber,
    OtherNames,
    Sex,
    BirthDate,
    Nationality,
    Ethnicity,
    HouseholdRegistration,
    ResidentId,
    Languages,
    Guardians,
    FoundPlace,
    ReceivedDate,
    Institution,
    Referral,
    PoliceReference,
    Caseworker,
    Records(K::IdentityAttempt),
    Id3mTrack,
    Records(K::Interview),
    Records(K::MandatoryReport),
];

/// Another civil-affairs office takes the case over: everything it needs to go on
/// assisting, except the internal free-text notes and the change timeline.
const CIVIL_AFFAIRS: &[Field] = &[
    Name,
    IntakeNumber,
    OtherNames,
    Sex,
    BirthDate,
    Nationality,
    Ethnicity,
    HouseholdRegistration,
    ResidentId,
    Disability,
    Languages,
    Guardians,
    FoundPlace,
    ReceivedDate,
    Institution,
    Referral,
    PoliceReference,
    Caseworker,
    Flags,
    Stage,
    Records(K::ShelterStay),
    Records(K::IdentityAttempt),
    Id3mTrack,
    Records(K::Placement),
    Records(K::Rehabilitation),
    Records(K::Schooling),
    Records(K::FamilyReturn),
    Records(K::Employment),
    Records(K::LegalAid),
    LegalAidSteps,
    Records(K::FollowUp),
    Records(K::Interview),
    Records(K::MandatoryReport),
];

/// The fields a kind of file may carry, in print order.
pub fn fields(kind: PrintKind) -> &'static [Field] {
    match kind {
        PrintKind::Full => FULL,
        PrintKind::School => SCHOOL,
        PrintKind::Hospital => HOSPITAL,
        PrintKind::LegalAid => LEGAL_AID,
        PrintKind::Police => POLICE,
        PrintKind::CivilAffairs => CIVIL_AFFAIRS,
    }
}

/// Whether a kind of file may carry a field.
pub fn allows(kind: PrintKind, field: Field) -> bool {
    fields(kind).contains(&field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_full_file_carries_every_record_kind_and_hand_offs_carry_less() {
        for k in RecordKind::ALL
            .iter()
            .filter(|k| !matches!(k, K::TrackStep | K::TrackClosure))
        {
            assert!(
                allows(PrintKind::Full, Records(*k)),
                "the full file has a section for {k:?}"
            );
        }
        assert!(
            allows(PrintKind::Full, Id3mTrack),
            "track steps and closures print in the R-ID-3M section"
        );
        for kind in PrintKind::ALL.iter().filter(|k| **k != PrintKind::Full) {
            assert!(
                fields(*kind).len() < FULL.len(),
                "{kind:?} must leave something out"
            );
            assert!(
                !allows(*kind, Records(K::Note)),
                "internal notes never leave in a hand-off ({kind:?})"
            );
            assert!(
                !allows(*kind, Timeline),
                "the change timeline is internal ({kind:?})"
            );
        }
    }

    #[test]
    fn schools_and_hospitals_learn_nothing_of_the_police_case() {
        for kind in [PrintKind::School, PrintKind::Hospital] {
            for f in [
                ResidentId,
                PoliceReference,
                FoundPlace,
                HouseholdRegistration,
                Records(K::IdentityAttempt),
                Records(K::Interview),
                Id3mTrack,
            ] {
                assert!(!allows(kind, f), "{kind:?} must not receive {f:?}");
            }
        }
    }

    #[test]
    fn cli_names_round_trip() {
        for k in PrintKind::ALL {
            assert_eq!(PrintKind::from_cli(k.cli_name()), Some(*k));
        }
        assert_eq!(PrintKind::from_cli("press"), None);
    }
}
