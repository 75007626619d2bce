//! R-HANDOFF-BASIS — every hand-off says why it may happen.
//!
//! A hand-off (a printed summary for a school, a hospital, a legal-aid centre, the police
//! or another civil-affairs office; a bundle to another Guitu installation) gives a
//! person's information to someone outside the office. It relies either on the person's
//! (or the guardian's) consent in force for that kind of recipient (a `consent` record,
//! R-CONSENT), or on a legal basis the user names when there is none. Without either it
//! does not happen. Pure: the caller passes the case's live (not voided) records and
//! today's date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::labelled_enum;
use crate::model::{Consent, ConsentGiver, Record, RecordBody};

labelled_enum!(
    /// The kinds of recipient a hand-off goes to, and a consent names (R-CONSENT). The
    /// printed summaries' kinds map onto them; an assistance institution (a shelter)
    /// receives bundles.
    RecipientKind {
        AssistanceInstitution => ("assistance_institution", "救助管理机构", "assistance institution (shelter)"),
        School => ("school", "学校", "school"),
        Hospital => ("hospital", "医疗机构", "hospital or clinic"),
        LegalAid => ("legal_aid", "法律援助机构", "legal-aid centre"),
        Police => ("police", "公安机关", "police"),
        CivilAffairs => ("civil_affairs", "民政部门", "civil-affairs office"),
    }
);

labelled_enum!(
    /// The legal bases on which a hand-off may happen without the person's consent
    /// (R-HANDOFF-BASIS), in the vocabulary of the Personal Information Protection Law
    /// (个人信息保护法 art. 13), the assistance and minor-protection rules and the
    /// criminal procedure law.
    LegalBasis {
        /// 履行法定职责所必需: the assistance and placement work civil affairs must do
        /// (救助管理、安置), art. 13(3).
        AssistanceDuty => ("assistance_duty", "依法履行救助管理职责", "statutory assistance duty"),
        /// 公安机关依法调取证据: the police collect evidence under the criminal procedure law.
        PoliceRequest => ("police_request", "公安机关依法调取", "police request under law"),
        /// 紧急情况下为保护自然人的生命健康所必需, art. 13(4).
        Emergency => ("emergency", "为保护生命健康的紧急情况", "emergency to protect life or health"),
        /// 未成年人保护: the child's best interests and state guardianship (监护干预).
        ChildProtection => ("child_protection", "依法履行未成年人保护职责", "child protection in the child's best interests"),
        /// 法律援助: the person's legal-aid application needs the file.
        LegalAidApplication => ("legal_aid_application", "办理法律援助申请", "legal-aid application"),
    }
);

/// What a hand-off relies on: the consent in force for its kind of recipient, or a legal
/// basis the user named (with an optional note, e.g. the police's request number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum HandoffBasis {
    Consent {
        /// The consent record.
        record_id: Uuid,
        given_by: ConsentGiver,
        /// The guardian's name, when a guardian agreed.
        guardian_name: Option<String>,
        /// The day it was given.
        from: NaiveDate,
        /// The kinds of recipient it covers.
        recipients: Vec<RecipientKind>,
    },
    Legal {
        basis: LegalBasis,
        note: Option<String>,
    },
}

impl HandoffBasis {
    /// What the audit trail records of a hand-off's basis: `consent` or the legal basis'
    /// wire name — never the note, the guardian's name or any other personal value.
    pub fn code(&self) -> &'static str {
        use crate::label::LabelledEnum;
        match self {
            HandoffBasis::Consent { .. } => "consent",
            HandoffBasis::Legal { basis, .. } => basis.as_str(),
        }
    }

    /// A legal basis with its note trimmed (a blank note is none).
    pub fn legal(basis: LegalBasis, note: Option<&str>) -> HandoffBasis {
        HandoffBasis::Legal {
            basis,
            note: note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        }
    }
}

/// Whether a consent is in force on `today`: given on or before it and not withdrawn on or
/// before it (a consent withdrawn today no longer counts today).
pub fn in_force(consent: &Consent, today: NaiveDate) -> bool {
    consent.from <= today && consent.withdrawn.is_none_or(|w| w > today)
}

/// The consent in force on `today` for a hand-off to `recipient`, among a case's live
/// records (the caller leaves voided ones out): the latest given, of those whose
/// recipients include the kind. `None` when there is none — the hand-off then needs a
/// [`LegalBasis`].
pub fn consent_for(
    records: &[Record],
    recipient: RecipientKind,
    today: NaiveDate,
) -> Option<HandoffBasis> {
    records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::Consent(c) if in_force(c, today) && c.recipients.contains(&recipient) => {
                Some((r, c))
            }
            _ => None,
        })
        // The latest given; of two given the same day, the one recorded last.
        .max_by_key(|(r, c)| (c.from, r.created_at, r.id))
        .map(|(r, c)| HandoffBasis::Consent {
            record_id: r.id,
            given_by: c.given_by,
            guardian_name: match c.given_by {
                ConsentGiver::Guardian => c.guardian_name.clone(),
                ConsentGiver::Person => None,
            },
            from: c.from,
            recipients: c.recipients.clone(),
        })
}

/// The basis a hand-off to `recipient` relies on: the consent in force, else the legal
/// basis the user gave; `None` when there is neither, and the hand-off must not happen.
pub fn basis_for(
    records: &[Record],
    recipient: RecipientKind,
    today: NaiveDate,
    legal: Option<HandoffBasis>,
) -> Option<HandoffBasis> {
    consent_for(records, recipient, today)
        .or_else(|| legal.filter(|b| matches!(b, HandoffBasis::Legal { .. })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn consent(
        from: NaiveDate,
        withdrawn: Option<NaiveDate>,
        recipients: &[RecipientKind],
    ) -> Consent {
        Consent {
            given_by: ConsentGiver::Guardian,
            guardian_name: Some("王丽".into()),
            covers: "就学所需的基本情况".into(),
            recipients: recipients.to_vec(),
            from,
            withdrawn,
            notes: None,
        }
    }

    fn record(n: u8, c: Consent) -> Record {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 8, n.into(), 0).unwrap();
        Record {
            id: Uuid::from_u128(n.into()),
            case_id: Uuid::from_u128(100),
            body: RecordBody::Consent(c),
            created_at: at,
            created_by: "李敏".into(),
            updated_at: at,
            updated_by: "李敏".into(),
        }
    }

    fn from_of(b: Option<HandoffBasis>) -> Option<NaiveDate> {
        match b {
            Some(HandoffBasis::Consent { from, .. }) => Some(from),
            _ => None,
        }
    }

    #[test]
    fn a_consent_counts_from_its_day_until_the_day_it_is_withdrawn() {
        use RecipientKind::School;
        let records = [record(
            1,
            consent(d(2026, 3, 1), Some(d(2026, 5, 1)), &[School]),
        )];
        assert_eq!(
            from_of(consent_for(&records, School, d(2026, 2, 28))),
            None,
            "a consent given tomorrow does not count today"
        );
        assert_eq!(
            from_of(consent_for(&records, School, d(2026, 3, 1))),
            Some(d(2026, 3, 1)),
            "a consent counts from the day it was given"
        );
        assert_eq!(
            from_of(consent_for(&records, School, d(2026, 4, 30))),
            Some(d(2026, 3, 1)),
            "it counts until the day before it is withdrawn"
        );
        assert_eq!(
            consent_for(&records, School, d(2026, 5, 1)),
            None,
            "withdrawn today: it no longer counts today"
        );
    }

    #[test]
    fn a_consent_covers_only_the_kinds_it_names() {
        let records = [record(
            1,
            consent(
                d(2026, 3, 1),
                None,
                &[RecipientKind::School, RecipientKind::Hospital],
            ),
        )];
        let today = d(2026, 3, 2);
        assert!(consent_for(&records, RecipientKind::Hospital, today).is_some());
        assert_eq!(
            consent_for(&records, RecipientKind::Police, today),
            None,
            "a consent for schools and hospitals says nothing of the police"
        );
    }

    #[test]
    fn of_two_consents_in_force_the_latest_given_is_the_basis() {
        use RecipientKind::School;
        let mut later = consent(d(2026, 4, 1), None, &[School]);
        later.given_by = ConsentGiver::Person;
        let records = [
            record(2, later),
            record(1, consent(d(2026, 3, 1), None, &[School])),
        ];
        match consent_for(&records, School, d(2026, 4, 2)) {
            Some(HandoffBasis::Consent {
                record_id,
                given_by,
                guardian_name,
                from,
                ..
            }) => {
                assert_eq!(record_id, Uuid::from_u128(2), "the later consent");
                assert_eq!(from, d(2026, 4, 1));
                assert_eq!(given_by, ConsentGiver::Person);
                assert_eq!(
                    guardian_name, None,
                    "the person's own consent names no guardian"
                );
            }
            other => panic!("expected the later consent, got {other:?}"),
        }
        assert_eq!(
            from_of(consent_for(&records, School, d(2026, 3, 31))),
            Some(d(2026, 3, 1)),
            "before the later one is given, the earlier one counts"
        );
    }

    #[test]
    fn without_a_consent_only_a_legal_basis_lets_a_hand_off_happen() {
        let records = [record(
            1,
            consent(d(2026, 3, 1), None, &[RecipientKind::School]),
        )];
        let today = d(2026, 3, 2);
        assert_eq!(
            basis_for(&records, RecipientKind::Police, today, None),
            None,
            "no consent for the police and no basis given: refused"
        );
        let legal = HandoffBasis::legal(LegalBasis::PoliceRequest, Some("  公调字12号 "));
        assert_eq!(
            basis_for(&records, RecipientKind::Police, today, Some(legal.clone())),
            Some(HandoffBasis::Legal {
                basis: LegalBasis::PoliceRequest,
                note: Some("公调字12号".into())
            })
        );
        assert!(
            matches!(
                basis_for(&records, RecipientKind::School, today, Some(legal)),
                Some(HandoffBasis::Consent { .. })
            ),
            "a consent in force is the basis even when a legal one is given"
        );
    }

    #[test]
    fn the_audit_code_is_consent_or_the_legal_basis_never_the_note() {
        let b = HandoffBasis::legal(LegalBasis::Emergency, Some("送医抢救"));
        assert_eq!(b.code(), "emergency");
        let records = [record(
            1,
            consent(d(2026, 3, 1), None, &[RecipientKind::School]),
        )];
        let c = consent_for(&records, RecipientKind::School, d(2026, 3, 1));
        assert_eq!(c.map(|c| c.code()), Some("consent"));
        assert_eq!(
            HandoffBasis::legal(LegalBasis::Emergency, Some("  ")),
            HandoffBasis::Legal {
                basis: LegalBasis::Emergency,
                note: None
            },
            "a blank note is no note"
        );
    }

    #[test]
    fn the_basis_travels_as_tagged_json() {
        let b = HandoffBasis::legal(LegalBasis::ChildProtection, None);
        let v = serde_json::to_value(&b).unwrap();
        assert_eq!(v["type"], "legal");
        assert_eq!(v["basis"], "child_protection");
        let back: HandoffBasis = serde_json::from_value(v).unwrap();
        assert_eq!(back, b);
    }
}
