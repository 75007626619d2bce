//! The annual report (R-ANNUAL): the figures of a year, as data for the desktop, as a
//! printed PDF and as a spreadsheet. A supervisor's or an auditor's report (permission
//! `reports`, over the whole vault): the figures are anonymous, but they are the
//! district's, not one caseworker's. Every report made is an audit entry naming the year
//! and the format, never a figure.

use chrono::{Local, NaiveDate};

use guitu_domain::access::Permission;
use guitu_domain::report::{self, AnnualReport, Period};
use guitu_print::render::{Fonts, RenderOptions};
use guitu_print::report::ReportInput;
use guitu_text::Problem;

use crate::{ApiError, Printed, Result, Session};

/// A spreadsheet ready to be saved.
#[derive(Debug)]
pub struct Spreadsheet {
    pub bytes: Vec<u8>,
    /// A file name such as `2026年度统计.xlsx`.
    pub file_name: String,
}

/// The first and last years a report may be made for (the dates Guitu accepts).
pub const REPORT_YEARS: (i32, i32) = (1900, 2100);

fn file_stem(year: i32) -> String {
    format!("{year}年度统计")
}

impl Session {
    /// The figures of `year` as of `today` (31 December for a past year). Logged as a
    /// report viewed.
    pub fn annual_report(&mut self, year: i32, today: NaiveDate) -> Result<AnnualReport> {
        let report = self.make_annual_report(year, today)?;
        self.log_report(year, "view")?;
        Ok(report)
    }

    /// The annual report as a PDF (the case files' engine: A4, the same fonts, 内部资料
    /// 注意保密, 第 X 页 / 共 Y 页, who made it and when).
    pub fn annual_report_pdf(&mut self, year: i32, today: NaiveDate) -> Result<Printed> {
        let report = self.make_annual_report(year, today)?;
        let doc = guitu_print::report::document(&ReportInput {
            report: &report,
            printed_by: self.user(),
            printed_at: Local::now().naive_local(),
        });
        let fonts = Fonts::shared().map_err(ApiError::Print)?;
        let rendered = guitu_print::render::render(&doc, fonts, &RenderOptions::default())
            .map_err(ApiError::Print)?;
        self.log_report(year, "pdf")?;
        Ok(Printed {
            bytes: rendered.bytes,
            pages: rendered.pages,
            missing_glyphs: rendered.missing_glyphs,
            file_name: format!("{}.pdf", file_stem(year)),
            basis: None,
        })
    }

    /// The annual report as a spreadsheet with the same tables.
    pub fn annual_report_xlsx(&mut self, year: i32, today: NaiveDate) -> Result<Spreadsheet> {
        let report = self.make_annual_report(year, today)?;
        let bytes = guitu_print::report::xlsx(&ReportInput {
            report: &report,
            printed_by: self.user(),
            printed_at: Local::now().naive_local(),
        })
        .map_err(ApiError::Print)?;
        self.log_report(year, "xlsx")?;
        Ok(Spreadsheet {
            bytes,
            file_name: format!("{}.xlsx", file_stem(year)),
        })
    }

    fn make_annual_report(&self, year: i32, today: NaiveDate) -> Result<AnnualReport> {
        self.require(Permission::Reports)?;
        let period = Period::new(year, today).ok_or(ApiError::Input(Problem::BadYear {
            given: year,
            min: REPORT_YEARS.0,
            max: REPORT_YEARS.1,
        }))?;
        let cases =
            self.vault
                .report_cases(period.start, period.as_of, &|received, stage, closing| {
                    period.counts(received, stage, closing)
                })?;
        Ok(report::annual_report(
            period,
            cases,
            &self.settings,
            &self.calendar,
        ))
    }

    fn log_report(&mut self, year: i32, format: &str) -> Result<()> {
        Ok(self
            .vault
            .log_report(&format!("report:annual:{year}"), format)?)
    }
}
