//! Printing a case: the full file or a redacted hand-off summary (crates/print), logged
//! in the audit trail as who printed which case with which profile — never the file.

use chrono::{Local, NaiveDate};

use guitu_print::content::{PrintInput, TimelineEntry, VoidNote, VoidedEntry};
use guitu_print::doc::Document;
use guitu_print::profiles::PrintKind;
use guitu_print::render::{Fonts, RenderOptions};

use crate::{ApiError, Result, Session};

/// A printed file, ready to be saved.
#[derive(Debug)]
pub struct Printed {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Characters the font has no glyph for; printed as [U+XXXX] and reported here.
    pub missing_glyphs: Vec<char>,
    /// A file name such as `DZ-2026-0001-移交摘要-school.pdf`.
    pub file_name: String,
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
    /// Prints a case as `kind`, optionally protected by `password` (AES-256).
    pub fn print(
        &mut self,
        reference: &str,
        kind: PrintKind,
        password: Option<&str>,
        today: NaiveDate,
    ) -> Result<Printed> {
        let (doc, case_id, case_number) = self.document(reference, kind, today)?;
        let fonts = Fonts::shared().map_err(ApiError::Print)?;
        let rendered = guitu_print::render::render(&doc, fonts, &RenderOptions { password })
            .map_err(ApiError::Print)?;
        self.log_print(
            case_id,
            &format!(
                "{}{}",
                kind.cli_name(),
                if password.is_some() { "+password" } else { "" }
            ),
        )?;
        let label = if kind == PrintKind::Full {
            "完整档案"
        } else {
            "移交摘要"
        };
        Ok(Printed {
            bytes: rendered.bytes,
            pages: rendered.pages,
            missing_glyphs: rendered.missing_glyphs,
            file_name: format!("{case_number}-{label}-{}.pdf", kind.cli_name()),
        })
    }

    /// The document a print of `kind` would contain (for the benchmark's HTML comparison;
    /// not logged, since it does not leave the process). Only with the `bench` feature.
    #[cfg(feature = "bench")]
    pub fn print_document(
        &self,
        reference: &str,
        kind: PrintKind,
        today: NaiveDate,
    ) -> Result<(Document, uuid::Uuid, String)> {
        self.document(reference, kind, today)
    }

    fn document(
        &self,
        reference: &str,
        kind: PrintKind,
        today: NaiveDate,
    ) -> Result<(Document, uuid::Uuid, String)> {
        let case = self.vault().find_case(reference)?;
        self.require_case(guitu_domain::access::Permission::PrintCase, case.id, None)?;
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
        };
        Ok((
            guitu_print::content::build(&input, kind),
            view.case.id,
            view.case.case_number.clone(),
        ))
    }
}
