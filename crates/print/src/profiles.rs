//! Redaction profiles: which fields each kind of printed file may carry.
//!
//! This file is the one place to review what leaves the vault on paper (R-PRIV). A field
//! that a profile does not list is never written into the document — not hidden, absent.
//! The full case file lists every field; each hand-off summary lists only what its
//! recipient needs for its task.

use chrono::NaiveDate;
use guitu_domain::handoff::RecipientKind;
use guitu_domain::labelled_enum;
use guitu_domain::model::{Person, RecordKind};
use guitu_domain::rules::employment::age_on;
use guitu_domain::{Label, Warning};
use guitu_text::Lang;

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

    /// The kind of recipient a summary of this kind is handed to (R-HANDOFF-BASIS: the
    /// consent or legal basis it needs is for this kind); None for the full file, which is
    /// not a hand-off.
    pub fn recipient(self) -> Option<RecipientKind> {
        match self {
            Self::Full => None,
            Self::School => Some(RecipientKind::School),
            Self::Hospital => Some(RecipientKind::Hospital),
            Self::LegalAid => Some(RecipientKind::LegalAid),
            Self::Police => Some(RecipientKind::Police),
            Self::CivilAffairs => Some(RecipientKind::CivilAffairs),
        }
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

labelled_enum!(
    /// The sections of a printed file that are neither a field of the person or the case nor
    /// the records of one kind.
    PrintSection {
        Id3mTrack => ("id3m_track", "三个月身份查明和户籍安置程序", "three-month identity rule and household-registration track"),
        LegalAidSteps => ("legal_aid_steps", "法律援助绿色通道办理进度", "legal-aid green-channel progress"),
        Timeline => ("timeline", "审批记录和变更时间线", "approvals and the change timeline"),
    }
);

impl PrintKind {
    /// The name a file of this kind is saved under: the case number and the kind's label,
    /// `DZ-2026-0143 移交摘要（学校）.pdf` / `DZ-2026-0143 hand-off summary for a school.pdf`.
    /// A character no file system takes in a name (a path separator, a control character,
    /// Windows' reserved ones) becomes `-`.
    pub fn file_name(self, case_number: &str, lang: Lang) -> String {
        let label = match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        };
        let number: String = case_number
            .trim()
            .chars()
            .map(|c| {
                if c.is_control()
                    || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        format!("{number} {label}.pdf")
    }
}

/// One entry of what a kind of file carries or leaves out, as the front ends name it: a
/// person's or a case's field by its schema name (labelled by the schema), the records of a
/// kind (labelled by `RecordKind`) or a section (`PrintSection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(tag = "of", content = "name", rename_all = "snake_case")]
pub enum ProfileEntry {
    Person(&'static str),
    Case(&'static str),
    Records(RecordKind),
    Section(PrintSection),
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

impl Field {
    /// How the front ends name this field or section.
    pub fn entry(self) -> ProfileEntry {
        use ProfileEntry::{Case as C, Person as P};
        match self {
            Field::Name => P("name"),
            Field::IntakeNumber => P("intake_number"),
            Field::OtherNames => P("other_names"),
            Field::Sex => P("sex"),
            Field::BirthDate => P("birth_date"),
            Field::Nationality => P("nationality"),
            Field::Ethnicity => P("ethnicity"),
            Field::HouseholdRegistration => P("household_registration"),
            Field::ResidentId => P("resident_id"),
            Field::Disability => P("disability"),
            Field::Languages => P("languages"),
            Field::Guardians => P("guardians"),
            Field::FoundPlace => P("found_place"),
            Field::ReceivedDate => C("received_date"),
            Field::Institution => C("institution"),
            Field::Referral => C("referral"),
            Field::PoliceReference => C("police_reference"),
            Field::Caseworker => C("caseworker"),
            Field::Flags => C("flags"),
            Field::Stage => C("stage"),
            Field::Records(kind) => ProfileEntry::Records(kind),
            Field::Id3mTrack => ProfileEntry::Section(PrintSection::Id3mTrack),
            Field::LegalAidSteps => ProfileEntry::Section(PrintSection::LegalAidSteps),
            Field::Timeline => ProfileEntry::Section(PrintSection::Timeline),
        }
    }
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
    Records(K::Consent),
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

/// What a kind of file carries, in print order (the case number, who printed it and when
/// are on every file).
pub fn includes(kind: PrintKind) -> Vec<ProfileEntry> {
    fields(kind).iter().map(|f| f.entry()).collect()
}

/// What a kind of file leaves out: every field and section of the full file it does not
/// carry, in the full file's order.
pub fn leaves_out(kind: PrintKind) -> Vec<ProfileEntry> {
    FULL.iter()
        .filter(|f| !allows(kind, **f))
        .map(|f| f.entry())
        .collect()
}

/// Age from which a person is an adult (成年).
const ADULT_AGE: u32 = 18;

/// Whether a kind of file fits the person it is about, today: the warnings to show before
/// it is printed (it may still be printed). A school's hand-off summary is for a minor: for
/// an adult it warns with the age (by an estimated birth date too), and without a birth
/// date it warns that the age is unknown. The other kinds fit anyone.
pub fn fit(kind: PrintKind, person: &Person, today: NaiveDate) -> Vec<Warning> {
    match kind {
        PrintKind::School => match person.birth_date {
            None => vec![Warning::SchoolSummaryAgeUnknown],
            Some(birth) => {
                let age = age_on(birth.date, today);
                if age >= ADULT_AGE {
                    vec![Warning::SchoolSummaryForAdult {
                        age,
                        estimated: birth.estimated,
                    }]
                } else {
                    Vec::new()
                }
            }
        },
        PrintKind::Full
        | PrintKind::Hospital
        | PrintKind::LegalAid
        | PrintKind::Police
        | PrintKind::CivilAffairs => Vec::new(),
    }
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

    fn person(birth: Option<(&str, bool)>) -> Person {
        let mut p: Person = serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000000",
            "sex": "female"
        }))
        .expect("a person with only the required fields");
        p.birth_date = birth.map(|(d, estimated)| guitu_domain::model::BirthDate {
            date: d.parse().expect("test date"),
            estimated,
        });
        p
    }

    #[test]
    fn only_a_school_summary_asks_for_a_minor() {
        let today: NaiveDate = "2026-11-28".parse().expect("date");
        let child = person(Some(("2014-06-01", false)));
        let adult = person(Some(("1990-01-01", true)));
        let unknown = person(None);
        assert!(
            fit(PrintKind::School, &child, today).is_empty(),
            "a child fits"
        );
        assert_eq!(
            fit(PrintKind::School, &adult, today),
            vec![Warning::SchoolSummaryForAdult {
                age: 36,
                estimated: true
            }],
            "an adult by an estimated date warns, saying so"
        );
        assert_eq!(
            fit(PrintKind::School, &unknown, today),
            vec![Warning::SchoolSummaryAgeUnknown]
        );
        for kind in PrintKind::ALL.iter().filter(|k| **k != PrintKind::School) {
            for p in [&child, &adult, &unknown] {
                assert!(fit(*kind, p, today).is_empty(), "{kind:?} fits anyone");
            }
        }
    }

    #[test]
    fn includes_and_leaves_out_split_the_full_file() {
        assert!(leaves_out(PrintKind::Full).is_empty());
        for kind in PrintKind::ALL {
            let (inc, out) = (includes(*kind), leaves_out(*kind));
            assert_eq!(inc.len() + out.len(), FULL.len(), "{kind:?}");
            assert!(inc.iter().all(|e| !out.contains(e)), "{kind:?}: disjoint");
        }
        assert!(leaves_out(PrintKind::School).contains(&ProfileEntry::Person("resident_id")));
        assert!(includes(PrintKind::School).contains(&ProfileEntry::Records(K::Schooling)));
        assert_eq!(
            serde_json::to_value(ProfileEntry::Section(PrintSection::Timeline)).ok(),
            Some(serde_json::json!({"of": "section", "name": "timeline"})),
            "the wire form the UI reads"
        );
    }

    #[test]
    fn every_entry_names_a_field_the_content_maps_back() {
        for f in FULL {
            match f.entry() {
                ProfileEntry::Person(name) => {
                    assert_eq!(crate::content::person_field(name), Some(*f), "{name}")
                }
                ProfileEntry::Case(name) => {
                    assert_eq!(crate::content::case_field(name), Some(*f), "{name}")
                }
                ProfileEntry::Records(k) => assert_eq!(*f, Records(k)),
                ProfileEntry::Section(_) => {
                    assert!(matches!(f, Id3mTrack | LegalAidSteps | Timeline))
                }
            }
        }
    }

    #[test]
    fn file_names_are_the_case_number_and_the_kinds_label() {
        assert_eq!(
            PrintKind::School.file_name("DZ-2026-0143", Lang::Zh),
            "DZ-2026-0143 移交摘要（学校）.pdf"
        );
        assert_eq!(
            PrintKind::Full.file_name("DZ-2026-0143", Lang::En),
            "DZ-2026-0143 full case file.pdf"
        );
        assert_eq!(
            PrintKind::Police.file_name("a/b\\c:d", Lang::Zh),
            "a-b-c-d 移交摘要（公安机关）.pdf",
            "no path separators in a name"
        );
    }

    #[test]
    fn cli_names_round_trip() {
        for k in PrintKind::ALL {
            assert_eq!(PrintKind::from_cli(k.cli_name()), Some(*k));
        }
        assert_eq!(PrintKind::from_cli("press"), None);
    }
}
