//! R-WORKDAY — working days on China's official calendar.
//!
//! Weekends and public holidays are off; the make-up working days announced by the
//! State Council (调休上班) are on. The calendar is data: one JSON file per year,
//! transcribed from the State Council General Office's yearly notice
//! (国务院办公厅关于XXXX年部分节假日安排的通知), shipped for the known years and
//! replaceable by an administrator ([`WorkCalendar::with_year`]). A date in a year that
//! is not loaded falls back to Monday–Friday, and every computation that crossed such a
//! year says so ([`WorkdayResult::fallback_years`], [`WorkdayResult::warning`]).
//!
//! The file format:
//!
//! ```json
//! {
//!   "year": 2026,
//!   "source": "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
//!   "holidays": [{ "name": "春节", "dates": ["2026-02-15", "2026-02-16"] }],
//!   "makeup_workdays": ["2026-02-14"]
//! }
//! ```
//!
//! Every day of a holiday block is listed, including the weekend days inside it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::{CalendarProblem, DomainError, Warning};

/// The embedded 2025 calendar (国办发明电〔2024〕12号).
const BUILTIN_2025: &str = include_str!("../../../assets/calendars/2025.json");
/// The embedded 2026 calendar (国办发明电〔2025〕7号).
const BUILTIN_2026: &str = include_str!("../../../assets/calendars/2026.json");

/// The calendar files shipped with the product, in year order.
pub const BUILTIN_FILES: &[&str] = &[BUILTIN_2025, BUILTIN_2026];

/// The wire form of a calendar file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    source: String,
    holidays: Vec<HolidayFile>,
    #[serde(default)]
    makeup_workdays: Vec<NaiveDate>,
}

/// One holiday block of a calendar file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    name: String,
    dates: Vec<NaiveDate>,
}

/// One year of the official calendar: its holidays and make-up working days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearCalendar {
    /// The calendar year.
    pub year: i32,
    /// Title and document number of the State Council notice the data comes from.
    pub source: String,
    /// Every day off of the year's public holidays (weekend days inside a holiday block
    /// included), with the holiday's name.
    pub holidays: BTreeMap<NaiveDate, String>,
    /// Weekend days that are working days by the notice (调休上班).
    pub makeup_workdays: BTreeSet<NaiveDate>,
}

impl YearCalendar {
    /// Parses and checks a calendar file.
    ///
    /// Refused with [`DomainError::BadCalendar`]: malformed JSON or unknown fields, an
    /// empty source or holiday name, a date outside the file's year, a date listed in two
    /// holidays, a date that is both a holiday and a make-up working day, and a make-up
    /// working day that is not a Saturday or Sunday.
    pub fn parse_json(text: &str) -> Result<YearCalendar, DomainError> {
        let file: YearFile = serde_json::from_str(text).map_err(|e| {
            bad(CalendarProblem::NotCalendar {
                line: e.line(),
                column: e.column(),
            })
        })?;
        let year = file.year;
        if file.source.trim().is_empty() {
            return Err(bad(CalendarProblem::NoSource { year }));
        }
        let mut holidays = BTreeMap::new();
        for block in file.holidays {
            let name = block.name.trim();
            if name.is_empty() {
                return Err(bad(CalendarProblem::NoHolidayName { year }));
            }
            for date in block.dates {
                check_year(year, date)?;
                if let Some(other) = holidays.insert(date, name.to_owned()) {
                    let _ = other;
                    return Err(bad(CalendarProblem::TwoHolidays { date }));
                }
            }
        }
        let mut makeup_workdays = BTreeSet::new();
        for date in file.makeup_workdays {
            check_year(year, date)?;
            if holidays.contains_key(&date) {
                return Err(bad(CalendarProblem::HolidayAndWorkday { date }));
            }
            if !is_weekend(date) {
                return Err(bad(CalendarProblem::MakeupNotWeekend { date }));
            }
            makeup_workdays.insert(date);
        }
        Ok(YearCalendar {
            year,
            source: file.source.trim().to_owned(),
            holidays,
            makeup_workdays,
        })
    }
}

fn bad(problem: CalendarProblem) -> DomainError {
    DomainError::BadCalendar { problem }
}

/// Refuses a date that is not in the file's year.
fn check_year(year: i32, date: NaiveDate) -> Result<(), DomainError> {
    if date.year() == year {
        Ok(())
    } else {
        Err(bad(CalendarProblem::OutsideYear { year, date }))
    }
}

/// Saturday or Sunday.
fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The result of a working-day computation, with the unloaded years it crossed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkdayResult<T = NaiveDate> {
    /// The computed value.
    pub value: T,
    /// Years whose calendar is not loaded and that the computation looked at: for
    /// those days Monday–Friday was assumed. Sorted, without duplicates.
    pub fallback_years: Vec<i32>,
}

impl<T> WorkdayResult<T> {
    /// The `calendar_fallback` warning, if the computation crossed an unloaded year.
    pub fn warning(&self) -> Option<Warning> {
        fallback_warning(&self.fallback_years)
    }

    /// True when Monday–Friday was assumed somewhere.
    pub fn is_fallback(&self) -> bool {
        !self.fallback_years.is_empty()
    }
}

/// The `calendar_fallback` warning for the given unloaded years (none if empty).
///
/// Several years are named together in one warning. Rules that make several computations collect the
/// years of all of them (see [`merge_years`]) and raise one warning.
pub fn fallback_warning(years: &[i32]) -> Option<Warning> {
    let mut years = years.to_vec();
    years.sort_unstable();
    years.dedup();
    (!years.is_empty()).then_some(Warning::CalendarFallback { years })
}

/// Adds `more` to the sorted, duplicate-free year list `into`.
pub fn merge_years(into: &mut Vec<i32>, more: &[i32]) {
    into.extend_from_slice(more);
    into.sort_unstable();
    into.dedup();
}

/// The working-day calendar: the loaded years, Monday–Friday elsewhere (R-WORKDAY).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearCalendar>,
}

impl WorkCalendar {
    /// The calendar shipped with the product (2025 and 2026, from the State Council
    /// notices). An embedded file that failed to parse would be left out (that year then
    /// falls back to Monday–Friday with a warning) rather than stop the program; the
    /// tests make sure every embedded file parses.
    pub fn builtin() -> WorkCalendar {
        BUILTIN_FILES
            .iter()
            .filter_map(|text| YearCalendar::parse_json(text).ok())
            .fold(WorkCalendar::empty(), WorkCalendar::with_year)
    }

    /// A calendar with no year loaded: Monday–Friday everywhere, with warnings.
    pub fn empty() -> WorkCalendar {
        WorkCalendar {
            years: BTreeMap::new(),
        }
    }

    /// Adds a year, or replaces the loaded one (an administrator's update).
    #[must_use]
    pub fn with_year(mut self, y: YearCalendar) -> WorkCalendar {
        self.years.insert(y.year, y);
        self
    }

    /// The loaded years, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The loaded data of a year.
    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    /// Whether the year's official calendar is loaded.
    pub fn is_known_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `d` is a working day: in a loaded year, a make-up working day or a
    /// Monday–Friday that is not a holiday; in any other year, Monday–Friday.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        match self.years.get(&d.year()) {
            Some(y) => {
                y.makeup_workdays.contains(&d) || (!is_weekend(d) && !y.holidays.contains_key(&d))
            }
            None => !is_weekend(d),
        }
    }

    /// The name of the public holiday `d` belongs to, if any (loaded years only).
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        self.years
            .get(&d.year())
            .and_then(|y| y.holidays.get(&d))
            .map(String::as_str)
    }

    /// `n = 0`: `d` itself if it is a working day, else the next working day.
    /// `n ≥ 1`: the `n`-th working day after `d` (`d` itself does not count).
    ///
    /// Strictly increasing in `n` for `n ≥ 1`, and for every `n` when `d` is a working
    /// day; when `d` is a day off, `n = 0` and `n = 1` both give the next working day
    /// ("the same day" on a day off means the next working day).
    ///
    /// Never panics: at the end of chrono's date range the result saturates at
    /// [`NaiveDate::MAX`]. The result lists the unloaded years of the days looked at.
    pub fn add_workdays(&self, d: NaiveDate, n: u32) -> WorkdayResult {
        let mut fallback_years = Vec::new();
        let mut remaining = n;
        let mut value = NaiveDate::MAX;
        // n = 0 looks at d itself; n ≥ 1 starts with the day after d.
        let skip = usize::from(n > 0);
        for day in d.iter_days().skip(skip) {
            self.note_fallback(day, &mut fallback_years);
            if self.is_workday(day) {
                if remaining <= 1 {
                    value = day;
                    break;
                }
                remaining -= 1;
            }
        }
        WorkdayResult {
            value,
            fallback_years,
        }
    }

    /// The number of working days in `(from, to]`: `from` excluded, `to` included;
    /// 0 when `to <= from`. For a working day `d`,
    /// `workdays_between(d, add_workdays(d, n).value).value == n`.
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> WorkdayResult<u32> {
        let mut fallback_years = Vec::new();
        let mut value: u32 = 0;
        if to > from {
            for day in from.iter_days().skip(1).take_while(|day| *day <= to) {
                self.note_fallback(day, &mut fallback_years);
                if self.is_workday(day) {
                    value = value.saturating_add(1);
                }
            }
        }
        WorkdayResult {
            value,
            fallback_years,
        }
    }

    /// Records `day`'s year when it is not loaded.
    fn note_fallback(&self, day: NaiveDate, years: &mut Vec<i32>) {
        let year = day.year();
        if !self.is_known_year(year) && years.last() != Some(&year) {
            years.push(year);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dates(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|x| *x <= to).collect()
    }

    #[test]
    fn every_embedded_file_parses() {
        for (i, text) in BUILTIN_FILES.iter().enumerate() {
            let parsed = YearCalendar::parse_json(text);
            assert!(
                parsed.is_ok(),
                "embedded calendar file #{i} must parse: {parsed:?}"
            );
        }
        let cal = WorkCalendar::builtin();
        assert_eq!(
            cal.years(),
            vec![2025, 2026],
            "both shipped years must be loaded"
        );
    }

    #[test]
    fn builtin_2025_matches_state_council_notice() {
        let cal = WorkCalendar::builtin();
        let y = cal.year(2025).unwrap();
        assert!(
            y.source.contains("国办发明电〔2024〕12号"),
            "source names the notice"
        );
        let expected: Vec<(&str, Vec<NaiveDate>)> = vec![
            ("元旦", vec![d(2025, 1, 1)]),
            ("春节", dates(d(2025, 1, 28), d(2025, 2, 4))),
            ("清明节", dates(d(2025, 4, 4), d(2025, 4, 6))),
            ("劳动节", dates(d(2025, 5, 1), d(2025, 5, 5))),
            ("端午节", dates(d(2025, 5, 31), d(2025, 6, 2))),
            ("国庆节、中秋节", dates(d(2025, 10, 1), d(2025, 10, 8))),
        ];
        let mut count = 0;
        for (name, days) in &expected {
            for day in days {
                assert_eq!(cal.holiday_name(*day), Some(*name), "{day} is {name}");
                assert!(!cal.is_workday(*day), "{day} ({name}) is a day off");
                count += 1;
            }
        }
        assert_eq!(y.holidays.len(), count, "no holiday beyond the notice's");
        assert_eq!(count, 1 + 8 + 3 + 5 + 3 + 8, "the notice's day counts");
        let makeup = [
            d(2025, 1, 26),
            d(2025, 2, 8),
            d(2025, 4, 27),
            d(2025, 9, 28),
            d(2025, 10, 11),
        ];
        assert_eq!(
            y.makeup_workdays,
            makeup.into_iter().collect(),
            "notice's 上班 days"
        );
        for m in makeup {
            assert!(cal.is_workday(m), "make-up day {m} is a working day");
        }
    }

    #[test]
    fn builtin_2026_matches_state_council_notice() {
        let cal = WorkCalendar::builtin();
        let y = cal.year(2026).unwrap();
        assert!(
            y.source.contains("国办发明电〔2025〕7号"),
            "source names the notice"
        );
        let expected: Vec<(&str, Vec<NaiveDate>)> = vec![
            ("元旦", dates(d(2026, 1, 1), d(2026, 1, 3))),
            ("春节", dates(d(2026, 2, 15), d(2026, 2, 23))),
            ("清明节", dates(d(2026, 4, 4), d(2026, 4, 6))),
            ("劳动节", dates(d(2026, 5, 1), d(2026, 5, 5))),
            ("端午节", dates(d(2026, 6, 19), d(2026, 6, 21))),
            ("中秋节", dates(d(2026, 9, 25), d(2026, 9, 27))),
            ("国庆节", dates(d(2026, 10, 1), d(2026, 10, 7))),
        ];
        let mut count = 0;
        for (name, days) in &expected {
            for day in days {
                assert_eq!(cal.holiday_name(*day), Some(*name), "{day} is {name}");
                assert!(!cal.is_workday(*day), "{day} ({name}) is a day off");
                count += 1;
            }
        }
        assert_eq!(y.holidays.len(), count, "no holiday beyond the notice's");
        assert_eq!(count, 3 + 9 + 3 + 5 + 3 + 3 + 7, "the notice's day counts");
        let makeup = [
            d(2026, 1, 4),
            d(2026, 2, 14),
            d(2026, 2, 28),
            d(2026, 5, 9),
            d(2026, 9, 20),
            d(2026, 10, 10),
        ];
        assert_eq!(
            y.makeup_workdays,
            makeup.into_iter().collect(),
            "notice's 上班 days"
        );
        for m in makeup {
            assert!(cal.is_workday(m), "make-up day {m} is a working day");
        }
    }

    #[test]
    fn ordinary_days() {
        let cal = WorkCalendar::builtin();
        assert!(cal.is_workday(d(2026, 3, 2)), "an ordinary Monday works");
        assert!(
            !cal.is_workday(d(2026, 3, 7)),
            "an ordinary Saturday is off"
        );
        assert!(!cal.is_workday(d(2026, 3, 8)), "an ordinary Sunday is off");
        assert_eq!(cal.holiday_name(d(2026, 3, 2)), None, "not a holiday");
    }

    #[test]
    fn add_workdays_over_national_day_2026() {
        let cal = WorkCalendar::builtin();
        let start = d(2026, 9, 30);
        assert_eq!(cal.add_workdays(start, 0).value, start, "Wednesday works");
        // 10-01..10-07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up day), 10-12 Mon.
        assert_eq!(cal.add_workdays(start, 1).value, d(2026, 10, 8));
        assert_eq!(cal.add_workdays(start, 2).value, d(2026, 10, 9));
        assert_eq!(
            cal.add_workdays(start, 3).value,
            d(2026, 10, 10),
            "make-up Saturday"
        );
        assert_eq!(cal.add_workdays(start, 4).value, d(2026, 10, 12));
        let r = cal.add_workdays(start, 4);
        assert!(
            r.fallback_years.is_empty() && r.warning().is_none(),
            "2026 is loaded"
        );
        assert_eq!(cal.workdays_between(start, d(2026, 10, 12)).value, 4);
    }

    #[test]
    fn add_workdays_zero_moves_off_days_forward() {
        let cal = WorkCalendar::builtin();
        assert_eq!(
            cal.add_workdays(d(2026, 2, 15), 0).value,
            d(2026, 2, 24),
            "after 春节"
        );
        assert_eq!(
            cal.add_workdays(d(2025, 1, 25), 0).value,
            d(2025, 1, 26),
            "make-up Sunday"
        );
    }

    #[test]
    fn unknown_year_falls_back_with_warning() {
        let cal = WorkCalendar::builtin();
        assert!(!cal.is_known_year(2030), "2030 is not shipped");
        // 2030-10-01 is a Tuesday: Mon–Fri is assumed, so National Day is not skipped.
        assert!(cal.is_workday(d(2030, 10, 1)), "Mon–Fri assumed in 2030");
        let r = cal.add_workdays(d(2030, 10, 4), 1);
        assert_eq!(r.value, d(2030, 10, 7), "Friday + 1 working day = Monday");
        assert_eq!(r.fallback_years, vec![2030]);
        let w = r.warning().unwrap();
        assert_eq!(w, Warning::CalendarFallback { years: vec![2030] });
    }

    #[test]
    fn crossing_into_unknown_year_is_reported() {
        let cal = WorkCalendar::builtin();
        let r = cal.add_workdays(d(2026, 12, 30), 5);
        assert_eq!(r.fallback_years, vec![2027], "days of 2027 were looked at");
        let r = cal.workdays_between(d(2026, 12, 1), d(2026, 12, 31));
        assert!(r.fallback_years.is_empty(), "stays within 2026");
        let w = fallback_warning(&[2031, 2030, 2031]).unwrap();
        assert_eq!(
            w,
            Warning::CalendarFallback {
                years: vec![2030, 2031]
            },
            "years sorted, each named once"
        );
    }

    #[test]
    fn empty_calendar_is_mon_fri() {
        let cal = WorkCalendar::empty();
        assert!(cal.years().is_empty());
        assert!(cal.is_workday(d(2026, 10, 1)), "no holidays without data");
        assert!(
            !cal.is_workday(d(2026, 10, 10)),
            "no make-up days without data"
        );
    }

    #[test]
    fn with_year_replaces() {
        let replacement = YearCalendar::parse_json(
            r#"{"year": 2026, "source": "test notice", "holidays": [], "makeup_workdays": []}"#,
        )
        .unwrap();
        let cal = WorkCalendar::builtin().with_year(replacement);
        assert_eq!(cal.years(), vec![2025, 2026]);
        assert!(
            cal.is_workday(d(2026, 10, 1)),
            "replaced year has no holidays"
        );
        assert_eq!(cal.year(2026).unwrap().source, "test notice");
    }

    #[test]
    fn workdays_between_edges() {
        let cal = WorkCalendar::builtin();
        let day = d(2026, 3, 2);
        assert_eq!(cal.workdays_between(day, day).value, 0, "empty interval");
        assert_eq!(
            cal.workdays_between(day, d(2026, 3, 1)).value,
            0,
            "reversed interval"
        );
        assert_eq!(
            cal.workdays_between(d(2026, 3, 1), day).value,
            1,
            "end included"
        );
        assert_eq!(
            cal.workdays_between(day, d(2026, 3, 9)).value,
            5,
            "one week"
        );
    }

    #[test]
    fn saturates_at_the_end_of_time() {
        let cal = WorkCalendar::empty();
        let r = cal.add_workdays(NaiveDate::MAX, 3);
        assert_eq!(r.value, NaiveDate::MAX, "no panic, saturates");
    }

    fn parse_err(json: &str) -> String {
        match YearCalendar::parse_json(json) {
            Err(DomainError::BadCalendar { problem }) => format!("{problem:?}"),
            other => panic!("expected BadCalendar, got {other:?}"),
        }
    }

    #[test]
    fn parse_refuses_bad_files() {
        let msg = parse_err(
            r#"{"year": 2026, "source": "s", "holidays": [{"name": "x", "dates": ["2027-01-01"]}], "makeup_workdays": []}"#,
        );
        assert!(msg.contains("2027-01-01"), "date outside the year: {msg}");
        let msg = parse_err(
            r#"{"year": 2026, "source": "s", "holidays": [{"name": "x", "dates": ["2026-10-10"]}], "makeup_workdays": ["2026-10-10"]}"#,
        );
        assert!(
            msg.contains("2026-10-10"),
            "both holiday and make-up: {msg}"
        );
        let msg = parse_err(
            r#"{"year": 2026, "source": "s", "holidays": [], "makeup_workdays": ["2026-10-09"]}"#,
        );
        assert!(msg.contains("2026-10-09"), "make-up day on a Friday: {msg}");
        let msg = parse_err(
            r#"{"year": 2026, "source": "s", "holidays": [], "makeup_workdays": ["2025-10-11"]}"#,
        );
        assert!(
            msg.contains("2025-10-11"),
            "make-up day outside the year: {msg}"
        );
        parse_err(r#"{"year": 2026, "source": " ", "holidays": []}"#);
        parse_err(r#"{"year": 2026, "source": "s", "holidays": [{"name": "", "dates": []}]}"#);
        parse_err(
            r#"{"year": 2026, "source": "s", "holidays": [{"name": "a", "dates": ["2026-01-01"]}, {"name": "b", "dates": ["2026-01-01"]}]}"#,
        );
        parse_err(r#"{"year": 2026, "source": "s", "holidays": [], "extra": 1}"#);
        parse_err(
            r#"{"year": 2026, "source": "s", "holidays": [{"name": "a", "dates": ["2026-02-30"]}]}"#,
        );
        parse_err("not json");
    }
}
