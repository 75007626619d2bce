//! Hand-off between devices (issue 11, docs/SYNC.md): this device's contact card, its
//! peers, sending cases in signed and encrypted bundles, opening a peer's bundle, and the
//! conflicts a merge leaves for a person.
//!
//! Every hand-off says why it may happen (R-HANDOFF-BASIS): each case sent relies on the
//! consent in force for the peer's kind of recipient, or on a legal basis the user names;
//! a case with neither is not sent. The basis travels with the case and shows in the
//! receiver's merge report. Peers are managed by administrators and supervisors
//! (`manage_peers`); sending is `send_bundle` over the cases in reach; opening is
//! `open_bundle`. A conflict is resolved by whoever may edit what it is about.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::access::Permission;
use guitu_domain::handoff::{HandoffBasis, LegalBasis, RecipientKind, consent_for};
use guitu_domain::label::LabelledEnum;
use guitu_store::{Conflict, DeviceCard, Entity, MergeReport, Peer, Resolution};
use guitu_text::Problem;

use crate::{ApiError, Result, Session};

/// A peer device as the front ends show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct PeerView {
    pub device_id: String,
    pub name: String,
    /// What the peer is, as a recipient of hand-offs: the consent a case needs to go there.
    pub kind: RecipientKind,
    pub fingerprint: String,
    pub added_at: String,
    pub added_by: String,
    pub removed: bool,
    /// Cases shared with it.
    #[ts(type = "number")]
    pub cases: u64,
}

impl PeerView {
    fn of(p: Peer) -> PeerView {
        PeerView {
            kind: p
                .kind
                .parse()
                .unwrap_or(RecipientKind::AssistanceInstitution),
            device_id: p.device_id,
            name: p.name,
            fingerprint: p.fingerprint,
            added_at: p.added_at,
            added_by: p.added_by,
            removed: p.removed_at.is_some(),
            cases: p.cases,
        }
    }
}

/// A contact card read from a file, before a person has compared its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct CardPreview {
    pub device_id: String,
    pub name: String,
    pub fingerprint: String,
    /// The peer this card belongs to already, if any (adding it again renews its keys).
    pub known: Option<PeerView>,
}

/// This device: its card, as shown to compare with a peer and saved as a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DeviceView {
    pub device_id: String,
    pub name: String,
    pub fingerprint: String,
}

/// A case about to be sent, with what it may be sent on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct HandoffCase {
    pub case_id: Uuid,
    pub case_number: String,
    /// The consent in force for the peer's kind of recipient; `None`: a legal basis is
    /// needed.
    pub consent: Option<HandoffBasis>,
    /// Shared with the peer before (only changes it has not acknowledged go).
    pub shared: bool,
}

/// What "send to…" would do, before it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct HandoffPlan {
    pub peer: PeerView,
    pub cases: Vec<HandoffCase>,
    /// Some case has no consent for the peer's kind: the user must name a legal basis.
    pub needs_basis: bool,
    /// The legal bases to choose from.
    pub allowed: Vec<LegalBasis>,
}

/// A bundle written to a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BundleMade {
    pub bundle_id: String,
    pub peer: PeerView,
    #[ts(type = "number")]
    pub cases: u64,
    #[ts(type = "number")]
    pub changes: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A conflict as the conflicts view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ConflictView {
    #[serde(flatten)]
    pub conflict: Conflict,
    pub case_number: String,
}

/// How a person resolves a conflict (the desktop's and the CLI's choice).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "choice", rename_all = "snake_case")]
pub enum ConflictChoice {
    /// Keep the value here.
    Local,
    /// Take the other device's value.
    Incoming,
    /// A value the person writes (the field's JSON value).
    Value {
        #[ts(type = "unknown")]
        value: serde_json::Value,
    },
}

/// The file name a bundle for `peer` is offered under: `归途移交包 庇护所 2026-11-30.guitu`.
pub fn bundle_file_name(peer: &PeerView, today: NaiveDate) -> String {
    let name: String = peer
        .name
        .chars()
        .filter(|c| {
            !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') && !c.is_control()
        })
        .collect();
    format!("归途移交包 {} {today}.guitu", name.trim())
}

fn access_reaches(s: &Session, permission: Permission) -> bool {
    !guitu_domain::access::reaches(&s.actor, permission).is_empty()
}

/// `value` set as `field` of a serialised entity, read back as its type.
fn with_field<T: serde::de::DeserializeOwned + Serialize>(
    entity: &T,
    field: &str,
    value: &serde_json::Value,
) -> Result<T> {
    let mut json =
        serde_json::to_value(entity).map_err(|_| ApiError::Input(Problem::ConflictValue))?;
    if let Some(map) = json.as_object_mut() {
        if value.is_null() {
            map.remove(field);
        } else {
            map.insert(field.to_owned(), value.clone());
        }
    }
    serde_json::from_value(json).map_err(|_| ApiError::Input(Problem::ConflictValue))
}

impl Session {
    /// The rules a written value must pass: those of an edit of the record, case or
    /// person (the void mark is not written this way).
    fn check_resolution(&self, c: &Conflict, value: &serde_json::Value) -> Result<()> {
        if c.field == "void_reason" {
            return Err(ApiError::Input(Problem::ConflictValue));
        }
        let id =
            Uuid::parse_str(&c.entity_id).map_err(|_| ApiError::Input(Problem::ConflictValue))?;
        match c.entity {
            Entity::Record => {
                let record = self.vault.record(id)?;
                let body = with_field(&record.body, &c.field, value)?;
                self.check_record(record.case_id, &body, Some(id))?;
            }
            Entity::Case => {
                let case = with_field(&self.vault.case(id)?, &c.field, value)?;
                guitu_domain::validate::validate_case(&case)?;
                guitu_domain::validate::case_dates(&case, self.today()?)?;
            }
            _ => {
                let person = with_field(&self.vault.person(id)?, &c.field, value)?;
                Session::check_person(person)?;
            }
        }
        Ok(())
    }

    /// This device's name, id and fingerprint.
    pub fn device(&self) -> Result<DeviceView> {
        let card = self.vault.device_card()?;
        Ok(DeviceView {
            device_id: card.device_id,
            name: card.name,
            fingerprint: card.fingerprint,
        })
    }

    /// This device's contact card, as the text of a `.guitu-card` file (public keys only).
    pub fn device_card_text(&self) -> Result<String> {
        self.require(Permission::ManagePeers)?;
        Ok(self.vault.device_card()?.to_text()?)
    }

    /// Renames this device.
    pub fn rename_device(&mut self, name: &str) -> Result<DeviceView> {
        self.require(Permission::ManagePeers)?;
        let name = guitu_domain::validate::device_name(name)?;
        self.vault.rename_device(&name)?;
        self.device()
    }

    /// Reads a contact card (checks its keys, fingerprint and signature) so a person can
    /// compare the fingerprint before adding the peer.
    pub fn read_card(&self, text: &str) -> Result<CardPreview> {
        self.require(Permission::ManagePeers)?;
        let card = DeviceCard::parse(text)?;
        if card.device_id == self.vault.device_id()? {
            return Err(ApiError::Input(Problem::OwnDevice));
        }
        let known = self
            .vault
            .peers()?
            .into_iter()
            .find(|p| p.device_id == card.device_id)
            .map(PeerView::of);
        Ok(CardPreview {
            device_id: card.device_id,
            name: card.name,
            fingerprint: card.fingerprint,
            known,
        })
    }

    /// Adds a peer from its card, once a person confirmed the fingerprint `confirmed`
    /// (what they compared; it must be the card's).
    pub fn add_peer(
        &mut self,
        text: &str,
        kind: RecipientKind,
        confirmed: &str,
    ) -> Result<PeerView> {
        self.require(Permission::ManagePeers)?;
        let card = DeviceCard::parse(text)?;
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        if digits(confirmed) != digits(&card.fingerprint) {
            return Err(ApiError::Input(Problem::FingerprintMismatch));
        }
        Ok(PeerView::of(self.vault.add_peer(&card, kind.as_str())?))
    }

    /// Removes a peer: its bundles are refused from now on.
    pub fn remove_peer(&mut self, device_id: &str) -> Result<()> {
        self.require(Permission::ManagePeers)?;
        Ok(self.vault.remove_peer(device_id)?)
    }

    /// The peers (for managing them, or for choosing whom to send to).
    pub fn peers(&self) -> Result<Vec<PeerView>> {
        if access_reaches(self, Permission::ManagePeers) {
            return Ok(self.vault.peers()?.into_iter().map(PeerView::of).collect());
        }
        self.require_any(Permission::SendBundle)?;
        Ok(self.vault.peers()?.into_iter().map(PeerView::of).collect())
    }

    /// The peers a case has been handed off to, with the basis of each.
    pub fn case_handoffs(&self, case_id: Uuid) -> Result<Vec<(PeerView, Option<HandoffBasis>)>> {
        self.require_case(Permission::ReadCase, case_id, None)?;
        Ok(self
            .vault
            .shares_of_case(case_id)?
            .into_iter()
            .map(|(p, b)| (PeerView::of(p), b))
            .collect())
    }

    fn active_peer(&self, device_id: &str) -> Result<PeerView> {
        let peer = PeerView::of(self.vault.peer(device_id)?);
        if peer.removed {
            return Err(guitu_store::StoreError::NotFound {
                what: guitu_text::Thing::Peer,
                reference: device_id.to_owned(),
            }
            .into());
        }
        Ok(peer)
    }

    /// What sending `cases` (or, when `None`, the shared cases with changes the peer has
    /// not acknowledged) would rely on, case by case.
    pub fn handoff_plan(
        &self,
        peer: &str,
        cases: Option<&[Uuid]>,
        today: NaiveDate,
    ) -> Result<HandoffPlan> {
        let peer = self.active_peer(peer)?;
        let shared = self.vault.shared_cases(&peer.device_id)?;
        // By default the shared cases with something the peer has not acknowledged; none
        // (a bundle of acknowledgements only) when nothing changed.
        let chosen: Vec<Uuid> = match cases {
            Some([]) => return Err(ApiError::Input(Problem::BundleNoCases)),
            Some(c) => c.to_vec(),
            None if shared.is_empty() => return Err(ApiError::Input(Problem::BundleNoCases)),
            None => self.vault.cases_to_send(&peer.device_id)?,
        };
        let mut out = Vec::with_capacity(chosen.len());
        for id in chosen {
            self.require_case(Permission::SendBundle, id, None)?;
            let case = self.vault.case(id)?;
            let records = self.vault.records_of_case(id)?;
            out.push(HandoffCase {
                case_id: id,
                case_number: case.case_number,
                consent: consent_for(&records, peer.kind, today),
                shared: shared.contains(&id),
            });
        }
        Ok(HandoffPlan {
            needs_basis: out.iter().any(|c| c.consent.is_none()),
            peer,
            cases: out,
            allowed: LegalBasis::ALL.to_vec(),
        })
    }

    /// Sends cases to a peer: a bundle of every change of them the peer has not
    /// acknowledged, signed by this device and encrypted to the peer, written to `path`
    /// (0600). Each case goes on the consent in force for the peer's kind, else on `legal`;
    /// a case with neither refuses the whole bundle (`handoff.basis_needed`).
    pub fn create_bundle(
        &mut self,
        peer: &str,
        cases: Option<&[Uuid]>,
        legal: Option<HandoffBasis>,
        today: NaiveDate,
        path: &Path,
    ) -> Result<BundleMade> {
        let plan = self.handoff_plan(peer, cases, today)?;
        let legal = legal.filter(|b| matches!(b, HandoffBasis::Legal { .. }));
        let mut chosen = Vec::with_capacity(plan.cases.len());
        for c in &plan.cases {
            let basis = match (&c.consent, &legal) {
                (Some(consent), _) => consent.clone(),
                (None, Some(l)) => l.clone(),
                (None, None) => {
                    return Err(ApiError::Input(Problem::HandoffBasisNeeded {
                        recipient: plan.peer.kind,
                        allowed: LegalBasis::ALL.to_vec(),
                    }));
                }
            };
            chosen.push((c.case_id, Some(basis)));
        }
        let sealed = self.vault.create_bundle(&plan.peer.device_id, &chosen)?;
        crate::files::write_private(path, &sealed.bytes)?;
        Ok(BundleMade {
            bundle_id: sealed.id,
            cases: sealed.cases as u64,
            changes: sealed.changes as u64,
            bytes: sealed.bytes.len() as u64,
            peer: PeerView::of(self.vault.peer(&plan.peer.device_id)?),
        })
    }

    /// Opens a peer's bundle from `path`: verified, decrypted and merged in one
    /// transaction; a refusal changes nothing.
    pub fn open_bundle(&mut self, path: &Path) -> Result<MergeReport> {
        self.require(Permission::OpenBundle)?;
        let bytes = std::fs::read(path).map_err(|source| ApiError::File {
            path: path.display().to_string(),
            source,
        })?;
        Ok(self.vault.open_bundle(&bytes)?)
    }

    /// The conflicts waiting, of one case or of every case the user may read.
    pub fn conflicts(&self, case_id: Option<Uuid>) -> Result<Vec<ConflictView>> {
        if let Some(id) = case_id {
            self.require_case(Permission::ReadCase, id, None)?;
        }
        let mut out = Vec::new();
        for c in self.vault.conflicts(case_id)? {
            let Ok(case_uuid) = Uuid::parse_str(&c.case_id) else {
                continue;
            };
            if self
                .require_case_quietly(Permission::ReadCase, case_uuid)
                .is_err()
            {
                continue;
            }
            let case_number = self.vault.case(case_uuid)?.case_number;
            out.push(ConflictView {
                conflict: c,
                case_number,
            });
        }
        Ok(out)
    }

    /// How many conflicts wait in the cases the user may read (the dashboard's badge).
    pub fn conflict_count(&self) -> Result<u64> {
        let mut n = 0;
        for (case, count) in self.vault.conflict_counts()? {
            if self
                .require_case_quietly(Permission::ReadCase, case)
                .is_ok()
            {
                n += count;
            }
        }
        Ok(n)
    }

    /// Resolves a conflict: keep the value here, take the other, or write a new one. The
    /// resolution is a change of its own: it travels to the peers with the next bundle.
    pub fn resolve_conflict(&mut self, id: i64, choice: ConflictChoice) -> Result<()> {
        let conflict =
            self.vault
                .conflict(id)?
                .ok_or_else(|| guitu_store::StoreError::NotFound {
                    what: guitu_text::Thing::Conflict,
                    reference: id.to_string(),
                })?;
        let case = Uuid::parse_str(&conflict.case_id)
            .map_err(|_| guitu_store::StoreError::Corrupt("conflict case".into()))?;
        match conflict.entity {
            Entity::Record => {
                let kind = conflict.record_kind.as_deref().and_then(|k| k.parse().ok());
                self.require_case(Permission::EditRecord, case, kind)?;
            }
            _ => self.require_case(Permission::EditCase, case, None)?,
        }
        let choice = match choice {
            ConflictChoice::Local => Resolution::Local,
            ConflictChoice::Incoming => Resolution::Incoming,
            ConflictChoice::Value { value } => {
                // A value a person writes passes the rules of an edit, like any other.
                self.check_resolution(&conflict, &value)?;
                Resolution::Value(value)
            }
        };
        Ok(self.vault.resolve_conflict(id, &choice)?)
    }
}
