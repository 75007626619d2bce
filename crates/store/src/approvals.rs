//! Approval requests and their decisions (the rules are `guitu_domain::approval`; the
//! API checks who may request and decide). A decision and the act it approves (the case
//! closed, the placement's supervisor approval, the district-approval step) are written in
//! one transaction, with their history and audit entries.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use guitu_domain::approval::{ApprovalOutcome, ApprovalRequest};
use guitu_domain::label::LabelledEnum;
use guitu_domain::model::{Case, RecordBody};
use guitu_text::Thing;

use crate::audit::{self, AuditAction};
use crate::history::{self, Change, Entity, HistoryAction, Meta};
use crate::rows::{self, to_json};
use crate::{Result, StoreError, Vault};

/// What an approval does when it is approved.
#[derive(Debug, Clone)]
pub enum ApprovalAct {
    /// Nothing but the decision (a rejection).
    Nothing,
    /// The case saved as given (closed).
    SaveCase(Case),
    /// A record replaced (a placement with its supervisor approval).
    UpdateRecord(Uuid, RecordBody),
    /// A record added to the request's case (the district-approval step).
    AddRecord(RecordBody),
}

fn get(conn: &Connection, id: &str) -> Result<ApprovalRequest> {
    let data: Option<String> = conn
        .prepare_cached("SELECT data FROM approvals WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let data = data.ok_or_else(|| StoreError::NotFound {
        what: Thing::Approval,
        reference: id.to_owned(),
    })?;
    Ok(serde_json::from_str(&data)?)
}

fn query(
    conn: &Connection,
    filter: &str,
    arg: &dyn rusqlite::ToSql,
) -> Result<Vec<ApprovalRequest>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT data FROM approvals WHERE {filter} ORDER BY seq"
    ))?;
    let rows = stmt
        .query_map([arg], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.iter()
        .map(|d| serde_json::from_str(d).map_err(StoreError::from))
        .collect()
}

fn history_entry(
    tx: &Connection,
    meta: &Meta<'_>,
    req: &ApprovalRequest,
    action: HistoryAction,
    changes: &[Change],
) -> Result<()> {
    let cid = req.case_id.to_string();
    history::write(
        tx,
        meta,
        Entity::Approval,
        &req.id.to_string(),
        Some(&cid),
        action,
        changes,
    )
}

impl Vault {
    /// Records a new request (validated by the caller).
    pub fn request_approval(&mut self, req: &ApprovalRequest) -> Result<()> {
        self.write(|tx, meta| {
            rows::case(tx, &req.case_id.to_string())?;
            tx.prepare_cached(
                "INSERT INTO approvals (id, case_id, pending, requested_by, data) VALUES (?1, ?2, 1, ?3, ?4)",
            )?
            .execute(params![
                req.id.to_string(),
                req.case_id.to_string(),
                req.requested_by,
                to_json(req)?
            ])?;
            let changes = history::diff(None, &serde_json::to_value(req)?);
            history_entry(tx, meta, req, HistoryAction::Create, &changes)?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::ApprovalRequested,
                &format!("case:{}", req.case_id),
                req.subject.as_str(),
            )
        })
    }

    /// Decides the request `id` (checked by the caller) and does `act` in the same
    /// transaction. Returns the decided request.
    pub fn decide_approval(
        &mut self,
        id: Uuid,
        outcome: ApprovalOutcome,
        reason: Option<String>,
        on: NaiveDate,
        act: ApprovalAct,
    ) -> Result<ApprovalRequest> {
        self.write(|tx, meta| {
            let old = get(tx, &id.to_string())?;
            if !old.pending() {
                return Err(StoreError::Corrupt(
                    "the request was decided already".into(),
                ));
            }
            let mut req = old.clone();
            req.outcome = Some(outcome);
            req.decided_by = Some(meta.actor.to_owned());
            req.decided_on = Some(on);
            req.reason = reason;
            match act {
                ApprovalAct::Nothing => {}
                ApprovalAct::SaveCase(case) => {
                    crate::cases::update_case_tx(tx, meta, &case)?;
                }
                ApprovalAct::UpdateRecord(rid, body) => {
                    crate::records::update_record_tx(tx, meta, rid, body)?;
                }
                ApprovalAct::AddRecord(body) => {
                    crate::records::insert_record_tx(tx, meta, req.case_id, body)?;
                }
            }
            tx.prepare_cached("UPDATE approvals SET pending = 0, data = ?2 WHERE id = ?1")?
                .execute(params![id.to_string(), to_json(&req)?])?;
            let changes = history::diff(
                Some(&serde_json::to_value(&old)?),
                &serde_json::to_value(&req)?,
            );
            history_entry(tx, meta, &req, HistoryAction::Update, &changes)?;
            audit::append(
                tx,
                meta.actor,
                AuditAction::ApprovalDecided,
                &format!("case:{}", req.case_id),
                &format!("{}:{}", req.subject.as_str(), outcome.as_str()),
            )?;
            Ok(req)
        })
    }

    /// One request.
    pub fn approval(&self, id: Uuid) -> Result<ApprovalRequest> {
        get(&self.conn, &id.to_string())
    }

    /// The requests of a case, oldest first.
    pub fn approvals_of_case(&self, case_id: Uuid) -> Result<Vec<ApprovalRequest>> {
        query(&self.conn, "case_id = ?1", &case_id.to_string())
    }

    /// Every request still waiting for a decision, oldest first.
    pub fn pending_approvals(&self) -> Result<Vec<ApprovalRequest>> {
        query(&self.conn, "pending = ?1", &1)
    }

    /// The requests `user` made, oldest first (their outcomes, for the requester).
    pub fn approvals_requested_by(&self, user: &str) -> Result<Vec<ApprovalRequest>> {
        query(&self.conn, "requested_by = ?1", &user)
    }
}
