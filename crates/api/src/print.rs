//! Printing a case: the full file or a redacted hand-off summary (crates/print), logged
//! in the audit trail as who printed which case with which profile — never the file.
//!
//! R-HANDOFF-BASIS: a hand-off summary relies on the consent in force for its kind of
//! recipient, else on a legal basis the user gives; without either it is refused
//! (`handoff.basis_needed`). The audit entry names the basis (`consent` or the legal
//! basis), never its note.

use chrono::{Local, NaiveDate};

use guitu_domain::Warning;
use guitu_domain::access::Permission;
use guitu_domain::handoff::{self, HandoffBasis, RecipientKind};
use guitu_print::content::{PrintInput, TimelineEntry, VoidNote, VoidedEntry};
use guitu_print::doc::Document;
use guitu_print::profiles::{self, PrintKind, ProfileEntry};
use guitu_print::render::svg::{self, PagedHtml};
use guitu_print::render::{Fonts, RenderOptions};
use guitu_text::Lang;

use crate::{ApiError, Result, Session};

/// A printed file, ready to be saved.
#[derive(Debug)]
pub struct Printed {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Characters the font has no glyph for; printed as [U+XXXX] and reported here.
    pub missing_glyphs: Vec<char>,
    /// The Chinese file name, `DZ-2026-0143 移交摘要（学校）.pdf`
    /// ([`PrintPlan`] has it in English too).
    pub file_name: String,
    /// What a hand-off summary relied on (R-HANDOFF-BASIS); none for the full file.
    pub basis: Option<HandoffBasis>,
}

/// A void mark as the printed file says it: who, on which (local) day, why.
fn void_note(m: &guitu_store::VoidMark) -> VoidNote {
    let on = chrono::DateTime::parse_from_rfc3339(&m.at)
        .map(|t| t.with_timezone(&Local).date_naive())
        .unwrap_or_default();
    VoidNote {
        by: m.by.clone(),
        on,
        reason: m.reason.clone(),
    }
}

/// What a kind of file would carry for a case, before it is printed: what its profile
/// includes and leaves out, whether it fits the person (R-PRINT-FIT), the file name.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct PrintPlan {
    pub kind: PrintKind,
    /// Fields and sections the file carries, in print order (the case number, who printed
    /// it and when are on every file).
    pub includes: Vec<ProfileEntry>,
    /// Fields and sections of the full file this kind leaves out.
    pub leaves_out: Vec<ProfileEntry>,
    /// R-PRINT-FIT: the kind does not fit the person (a school's summary for an adult).
    pub warnings: Vec<Warning>,
    /// The name to save it under, in Chinese and in English.
    pub file_name_zh: String,
    pub file_name_en: String,
    /// The kind of recipient a hand-off summary goes to; none for the full file.
    pub recipient: Option<RecipientKind>,
    /// R-HANDOFF-BASIS: the consent in force today for that recipient, which the summary
    /// will state.
    pub consent: Option<HandoffBasis>,
    /// A hand-off summary without a consent in force: printing it needs a legal basis.
    pub basis_needed: bool,
}

fn describe(h: &guitu_store::HistoryEntry) -> String {
    let fields: Vec<&str> = h.changes.iter().map(|c| c.field.as_str()).collect();
    guitu_text::history_summary(
        h.action.as_str(),
        h.entity.as_str(),
        h.record_kind.as_deref(),
        &fields,
        guitu_text::Lang::Zh,
    )
}

impl Session {
    /// Prints a case as `kind`, optionally protected by `password` (AES-256). A hand-off
    /// summary needs a basis: the consent in force for its recipient, else `legal` (a
    /// [`HandoffBasis::Legal`]); without either it is refused with `handoff.basis_needed`.
    pub fn print(
        &mut self,
        reference: &str,
        kind: PrintKind,
        password: Option<&str>,
        legal: Option<HandoffBasis>,
        today: NaiveDate,
    ) -> Result<Printed> {
        let (doc, case_id, case_number, basis) = self.document(reference, kind, legal, today)?;
        let fonts = Fonts::shared().map_err(ApiError::Print)?;
        let rendered = guitu_print::render::render(&doc, fonts, &RenderOptions { password })
            .map_err(ApiError::Print)?;
        self.log_print(
            case_id,
            &audit_detail(
                &format!(
                    "{}{}",
                    kind.cli_name(),
                    if password.is_some() { "+password" } else { "" }
                ),
                basis.as_ref(),
            ),
        )?;
        Ok(Printed {
            bytes: rendered.bytes,
            pages: rendered.pages,
            missing_glyphs: rendered.missing_glyphs,
            file_name: kind.file_name(&case_number, Lang::Zh),
            basis,
        })
    }

    /// What printing a case as `kind` would carry, whether it fits the person and what it
    /// would rely on (the consent in force, or that a legal basis is needed), today.
    /// Reads the case number, the person's birth date and the case's consents; nothing
    /// leaves the vault, so it is not an audit entry.
    pub fn print_plan(
        &self,
        reference: &str,
        kind: PrintKind,
        today: NaiveDate,
    ) -> Result<PrintPlan> {
        let case = self.vault().find_case(reference)?;
        self.require_case(Permission::PrintCase, case.id, None)?;
        let person = self.vault().person(case.person_id)?;
        let recipient = kind.recipient();
        let consent = match recipient {
            Some(r) => handoff::consent_for(&self.vault().records_of_case(case.id)?, r, today),
            None => None,
        };
        Ok(PrintPlan {
            recipient,
            basis_needed: recipient.is_some() && consent.is_none(),
            consent,
            kind,
            includes: profiles::includes(kind),
            leaves_out: profiles::leaves_out(kind),
            warnings: profiles::fit(kind, &person, today),
            file_name_zh: kind.file_name(&case.case_number, Lang::Zh),
            file_name_en: kind.file_name(&case.case_number, Lang::En),
        })
    }

    /// Prints a case as `kind` for a printer: the same document and pages as [`print`](
    /// Self::print), as an HTML page of SVG pages for the system print dialog
    /// ([`svg::to_html`]); the page loads the fonts of [`svg::FontFile`]. An audit entry
    /// `print` with the profile and `+printer`. A hand-off summary needs a basis, as
    /// [`print`](Self::print).
    pub fn print_for_printer(
        &mut self,
        reference: &str,
        kind: PrintKind,
        legal: Option<HandoffBasis>,
        today: NaiveDate,
    ) -> Result<PagedHtml> {
        let (doc, case_id, _, basis) = self.document(reference, kind, legal, today)?;
        let fonts = Fonts::shared().map_err(ApiError::Print)?;
        let paged = svg::to_html(&doc, fonts).map_err(ApiError::Print)?;
        self.log_print(
            case_id,
            &audit_detail(&format!("{}+printer", kind.cli_name()), basis.as_ref()),
        )?;
        Ok(paged)
    }

    /// The document a print of `kind` would contain (for the benchmark's HTML comparison;
    /// not logged, since it does not leave the process). Only with the `bench` feature.
    #[cfg(feature = "bench")]
    pub fn print_document(
        &self,
        reference: &str,
        kind: PrintKind,
        legal: Option<HandoffBasis>,
        today: NaiveDate,
    ) -> Result<(Document, uuid::Uuid, String)> {
        self.document(reference, kind, legal, today)
            .map(|(doc, id, number, _)| (doc, id, number))
    }

    /// The document of a print and the basis it relies on (R-HANDOFF-BASIS), or
    /// `handoff.basis_needed` before anything is built.
    fn document(
        &self,
        reference: &str,
        kind: PrintKind,
        legal: Option<HandoffBasis>,
        today: NaiveDate,
    ) -> Result<(Document, uuid::Uuid, String, Option<HandoffBasis>)> {
        let case = self.vault().find_case(reference)?;
        self.require_case(Permission::PrintCase, case.id, None)?;
        let basis = match kind.recipient() {
            None => None,
            Some(recipient) => Some(
                handoff::basis_for(
                    &self.vault().records_of_case(case.id)?,
                    recipient,
                    today,
                    legal,
                )
                .ok_or(ApiError::BasisNeeded(recipient))?,
            ),
        };
        let view = self.build_view(case, today)?;
        let timeline: Vec<TimelineEntry> = view
            .history
            .iter()
            .map(|h| TimelineEntry {
                at: h.at.get(..16).unwrap_or(&h.at).replace('T', " "),
                actor: h.actor.clone(),
                what: describe(h),
            })
            .collect();
        let legal_aid: Vec<_> = view
            .legal_aid
            .iter()
            .map(|l| (l.record_id, l.status.clone()))
            .collect();
        let voided: Vec<VoidedEntry> = view
            .voided_records
            .iter()
            .map(|v| VoidedEntry {
                record: v.record.clone(),
                note: void_note(&v.void),
            })
            .collect();
        let case_void = view.void.as_ref().map(void_note);
        let input = PrintInput {
            case: &view.case,
            person: &view.person,
            records: &view.records,
            id3m: &view.id3m,
            legal_aid: &legal_aid,
            timeline: &timeline,
            approvals: &view.approvals,
            voided: &voided,
            case_void: case_void.as_ref(),
            printed_by: self.user(),
            printed_at: Local::now().naive_local(),
            basis: basis.as_ref(),
        };
        Ok((
            guitu_print::content::build(&input, kind),
            view.case.id,
            view.case.case_number.clone(),
            basis,
        ))
    }
}

/// The audit detail of a print: the profile (`school+printer`) and, for a hand-off, its
/// basis' code (`school+printer basis:consent`, `police basis:police_request`) — never the
/// note or a name.
fn audit_detail(profile: &str, basis: Option<&HandoffBasis>) -> String {
    match basis {
        Some(b) => format!("{profile} basis:{}", b.code()),
        None => profile.to_owned(),
    }
}
