//! What the deadline rules need, selected in SQL: the domain judges it.

use chrono::NaiveDate;
use uuid::Uuid;

use guitu_domain::model::{FollowUp, InstitutionKind, LegalAid, RecordBody};

use crate::rows::{Db, date, uuid};
use crate::{Result, StoreError, Vault};

/// A case the R-ID-3M rule may concern: what the rule needs and what a list shows.
#[derive(Debug, Clone)]
pub struct Id3mCandidate {
    pub case_id: Uuid,
    pub case_number: String,
    /// The person's name as recorded (`None` while unknown).
    pub name: Option<String>,
    /// The intake number that stands in while the name is unknown.
    pub intake_number: Option<String>,
    pub received: NaiveDate,
    pub institution_kind: InstitutionKind,
    /// Earliest verified date of an identity attempt.
    pub identity_verified: Option<NaiveDate>,
    /// The case's track records (steps and closures).
    pub track: Vec<RecordBody>,
}

/// An open legal-aid application and its case.
#[derive(Debug, Clone)]
pub struct LegalAidCandidate {
    pub case_id: Uuid,
    pub case_number: String,
    pub name: Option<String>,
    pub intake_number: Option<String>,
    pub record_id: Uuid,
    pub application: LegalAid,
}

/// A case with a follow-up visit that plans the next one, and no later visit: its
/// visits of that latest day (R-FOLLOWUP).
#[derive(Debug, Clone)]
pub struct FollowUpCandidate {
    pub case_id: Uuid,
    pub case_number: String,
    pub name: Option<String>,
    pub intake_number: Option<String>,
    pub visits: Vec<FollowUp>,
}

/// Cases and records the deadline queries need, selected in SQL and judged by the domain.
#[derive(Debug, Clone, Default)]
pub struct DueCandidates {
    pub id3m: Vec<Id3mCandidate>,
    pub legal_aid: Vec<LegalAidCandidate>,
    pub follow_up: Vec<FollowUpCandidate>,
}

fn name(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

impl Vault {
    /// The cases and records the deadline rules may concern: R-ID-3M cases received on
    /// or before `received_until` that the rule may still ask something of, and open
    /// legal-aid applications, and the follow-up visits that plan a next one with no later
    /// visit of their case.
    pub fn due_candidates(&self, received_until: NaiveDate) -> Result<DueCandidates> {
        let mut out = DueCandidates::default();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.case_number, c.received_date, c.institution_kind, c.identity_verified,
                    c.person_name, c.intake_number,
                    (SELECT '[' || coalesce(group_concat(r.data, ','), '') || ']' FROM records r
                      WHERE r.case_id = c.id AND r.kind IN ('track_step', 'track_closure')
                        AND r.voided_at IS NULL)
             FROM cases c INDEXED BY cases_id3m
             WHERE c.id3m_open = 1 AND c.stage <> 'closed' AND c.institution_kind <> 'other'
               AND c.voided_at IS NULL AND c.received_date <= ?1",
        )?;
        let mut rows = stmt.query([received_until.to_string()])?;
        while let Some(r) = rows.next()? {
            let verified: Option<String> = r.get(4)?;
            let track: String = r.get(7)?;
            out.id3m.push(Id3mCandidate {
                case_id: uuid(&r.get::<_, String>(0)?)?,
                case_number: r.get(1)?,
                received: date(&r.get::<_, String>(2)?)?,
                institution_kind: r.get::<_, Db<InstitutionKind>>(3)?.0,
                identity_verified: verified.as_deref().map(date).transpose()?,
                name: name(r.get(5)?),
                intake_number: r.get(6)?,
                track: serde_json::from_str(&track)?,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.case_number, c.person_name, c.intake_number, r.id, r.data
             FROM records r INDEXED BY records_open CROSS JOIN cases c ON c.id = r.case_id
             WHERE r.kind = 'legal_aid' AND r.open = 1 AND c.stage <> 'closed'
               AND r.voided_at IS NULL AND c.voided_at IS NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let body: RecordBody = serde_json::from_str(&r.get::<_, String>(5)?)?;
            let RecordBody::LegalAid(application) = body else {
                return Err(StoreError::Corrupt(
                    "a legal_aid row holds another kind of record".into(),
                ));
            };
            out.legal_aid.push(LegalAidCandidate {
                case_id: uuid(&r.get::<_, String>(0)?)?,
                case_number: r.get(1)?,
                name: name(r.get(2)?),
                intake_number: r.get(3)?,
                record_id: uuid(&r.get::<_, String>(4)?)?,
                application,
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.case_number, c.person_name, c.intake_number, r.data
             FROM records r INDEXED BY records_open CROSS JOIN cases c ON c.id = r.case_id
             WHERE r.kind = 'follow_up' AND r.open = 1 AND c.stage <> 'closed'
               AND r.voided_at IS NULL AND c.voided_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM records l INDEXED BY records_case
                               WHERE l.case_id = r.case_id AND l.kind = 'follow_up' AND l.date > r.date
                                 AND l.voided_at IS NULL)
             ORDER BY c.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let case_id = uuid(&r.get::<_, String>(0)?)?;
            let body: RecordBody = serde_json::from_str(&r.get::<_, String>(4)?)?;
            let RecordBody::FollowUp(visit) = body else {
                return Err(StoreError::Corrupt(
                    "a follow_up row holds another kind of record".into(),
                ));
            };
            match out.follow_up.last_mut() {
                Some(last) if last.case_id == case_id => last.visits.push(visit),
                _ => out.follow_up.push(FollowUpCandidate {
                    case_id,
                    case_number: r.get(1)?,
                    name: name(r.get(2)?),
                    intake_number: r.get(3)?,
                    visits: vec![visit],
                }),
            }
        }
        Ok(out)
    }
}
