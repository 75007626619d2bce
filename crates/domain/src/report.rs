//! R-ANNUAL — the annual report (seed 七(四)): aggregated, anonymous figures of a year's
//! work, due to the joint-meeting office by 15 December.
//!
//! The store hands over every case that may have been open in the year (with its person,
//! its records and when its stage became closed); this module decides everything else:
//! which cases count, what each figure means, and which cells are too small to show.
//! Definitions (docs/rules.md, R-ANNUAL):
//!
//! * The report describes the year as it stood on its **reference day** (`as_of`): 31
//!   December, or today while the year is running. Anything dated after it is left out
//!   (a record, a step of a legal-aid application, a discharge, a verification), so a past
//!   year's report does not change when next year's work is recorded.
//! * A case is **active** in the year when it was received on or before the reference day
//!   and was not closed before 1 January.
//! * A case's **closure date** is the day its stage last became closed (from its change
//!   history). A case imported as closed has no such day: it counts as closed on the date
//!   of its latest record (its received date when it has none), and the report says how
//!   many closures were dated that way.
//! * **Persons assisted** are the distinct persons with an active case. Each person is
//!   counted once: sex as recorded, age band by the age on the later of 1 January and the
//!   received date of their earliest active case (an estimated birth date counts; no birth
//!   date: the row 年龄不详), flags when any of their active cases has them.
//! * **Counts** of 1 to 4 are shown as "<5" ([`Count`]); in a group of rows that adds up
//!   to a shown total, a single such cell would follow from the others, so the smallest
//!   other non-zero cell of the group is withheld too. **Shares** ([`Share`]) are withheld
//!   when their base, their numerator or the difference is 1 to 4.
//!
//! Nothing here names a person, a case, an institution or a place: rows are typed labels
//! ([`RowLabel`]), cells are numbers.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};
use uuid::Uuid;

use crate::calendar::WorkCalendar;
use crate::label::Label;
use crate::labelled_enum;
use crate::model::{
    Case, CaseFlag, EmploymentService, LegalAid, LegalAidDecision, Person, PlacementKind,
    RecordBody, RecordKind, RehabService, ReturnKind, SchoolStatus, Sex, ShelterKind, Stage,
    TrackStep,
};
use crate::rules::employment::age_on;
use crate::rules::id3m::{self, Id3mRecords, Id3mStatus};
use crate::rules::legal_aid::{self, LaStep};
use crate::settings::RuleSettings;

/// The record kinds the report reads whatever their date (an earlier stay may run into
/// the year, R-ID-3M needs a case's whole track); every other kind it reads counts only
/// when dated in the year ([`IN_YEAR_KINDS`]). The store may leave out the rest.
pub const ANY_DATE_KINDS: &[RecordKind] = &[
    RecordKind::ShelterStay,
    RecordKind::IdentityAttempt,
    RecordKind::TrackStep,
    RecordKind::TrackClosure,
];

/// The record kinds the report counts only when their date falls in the year.
pub const IN_YEAR_KINDS: &[RecordKind] = &[
    RecordKind::Placement,
    RecordKind::Rehabilitation,
    RecordKind::Schooling,
    RecordKind::FamilyReturn,
    RecordKind::Employment,
    RecordKind::LegalAid,
    RecordKind::FollowUp,
];

/// Counts below this (and above zero) are not shown.
pub const SUPPRESS_BELOW: u64 = 5;

/// The day of December by which member units report the year (seed 七(四)).
pub const REPORT_DUE_DAY: u32 = 15;

// ---------------------------------------------------------------------------------------
// Cells

/// A count as the report shows it: the exact number when it is 0 or at least
/// [`SUPPRESS_BELOW`]; otherwise only that it is small. The exact number never leaves
/// this module: it serialises as the number, `"lt5"` (1 to 4) or `"withheld"` (withheld
/// so that a small cell cannot be worked out from a total).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ts_rs::TS)]
#[ts(type = "number | \"lt5\" | \"withheld\"")]
pub struct Count {
    exact: u64,
    withheld: bool,
}

/// What a reader is shown of a [`Count`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Number(u64),
    /// 1 to 4: printed "<5".
    Small,
    /// Withheld so that a small cell of the same group cannot be worked out.
    Withheld,
}

impl Count {
    /// A count of `n`.
    pub fn of(n: u64) -> Count {
        Count {
            exact: n,
            withheld: false,
        }
    }

    fn small(self) -> bool {
        (1..SUPPRESS_BELOW).contains(&self.exact)
    }

    /// What may be shown.
    pub fn shown(self) -> Shown {
        if self.small() {
            Shown::Small
        } else if self.withheld {
            Shown::Withheld
        } else {
            Shown::Number(self.exact)
        }
    }

    /// The number, when it may be shown.
    pub fn number(self) -> Option<u64> {
        match self.shown() {
            Shown::Number(n) => Some(n),
            Shown::Small | Shown::Withheld => None,
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.shown() {
            Shown::Number(n) => s.serialize_u64(n),
            Shown::Small => s.serialize_str("lt5"),
            Shown::Withheld => s.serialize_str("withheld"),
        }
    }
}

/// In a group of counts that adds up to `total`, a single small cell could be worked out
/// from the total and the others: withhold the smallest other non-zero cell as well.
fn protect(total: Count, group: &mut [Count]) {
    if total.number().is_none() {
        return;
    }
    let hidden = group.iter().filter(|c| c.number().is_none()).count();
    if hidden != 1 {
        return;
    }
    if let Some(other) = group
        .iter_mut()
        .filter(|c| c.number().is_some_and(|n| n > 0))
        .min_by_key(|c| c.exact)
    {
        other.withheld = true;
    }
}

/// A share (on-time percentage) as the report shows it. Withheld when its base, its
/// numerator or the rest (base − numerator) is 1 to 4: "100 %" of three applications would
/// otherwise tell that all three were on time. Serialises as the percentage (one decimal),
/// `"none"` (no base) or `"withheld"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ts_rs::TS)]
#[ts(type = "number | \"none\" | \"withheld\"")]
pub enum Share {
    /// Nothing to divide by.
    NoBase,
    Withheld,
    /// Tenths of a percent, rounded half up (875 = 87.5 %).
    Permille(u32),
}

impl Share {
    /// `numerator` of `base`.
    pub fn of(numerator: u64, base: u64) -> Share {
        let small = |n: u64| (1..SUPPRESS_BELOW).contains(&n);
        if base == 0 {
            return Share::NoBase;
        }
        let rest = base.saturating_sub(numerator);
        if small(base) || small(numerator) || small(rest) {
            return Share::Withheld;
        }
        let permille = (numerator.min(base) * 2000 + base) / (2 * base);
        Share::Permille(u32::try_from(permille).unwrap_or(1000))
    }

    /// The percentage, when it may be shown.
    pub fn percent(self) -> Option<f64> {
        match self {
            Share::Permille(p) => Some(f64::from(p) / 10.0),
            Share::NoBase | Share::Withheld => None,
        }
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Share::NoBase => s.serialize_str("none"),
            Share::Withheld => s.serialize_str("withheld"),
            Share::Permille(_) => s.serialize_f64(self.percent().unwrap_or(0.0)),
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Count(Count),
    Share(Share),
}

// ---------------------------------------------------------------------------------------
// Labels

labelled_enum!(
    /// The sections (tables) of the annual report, in print order.
    ReportSection {
        Persons => ("persons", "受助人员", "persons assisted"),
        Cases => ("cases", "个案办理", "cases"),
        Shelter => ("shelter", "救助与临时监护", "shelter"),
        Placements => ("placements", "安置", "placements"),
        Rehabilitation => ("rehabilitation", "康复服务", "rehabilitation services"),
        Reintegration => ("reintegration", "回归社会", "reintegration"),
        FollowUps => ("follow_ups", "跟踪回访", "follow-up visits"),
        LegalAid => ("legal_aid", "法律援助", "legal aid"),
        LegalAidSteps => ("legal_aid_steps", "法律援助各环节办理时限", "legal-aid steps on time"),
        Id3m => ("id3m", "满三个月未查明身份人员", "three-month identity rule"),
        Id3mSteps => ("id3m_steps", "户籍安置程序各步骤办理时限", "three-month track steps on time"),
    }
);

labelled_enum!(
    /// Age bands of the persons assisted.
    AgeBand {
        UpTo6 => ("up_to_6", "6岁及以下", "6 and under"),
        From7To13 => ("7_to_13", "7至13岁", "7 to 13"),
        From14To17 => ("14_to_17", "14至17岁", "14 to 17"),
        From18To59 => ("18_to_59", "18至59岁", "18 to 59"),
        From60 => ("60_and_over", "60岁及以上", "60 and over"),
        Unknown => ("unknown", "年龄不详", "age unknown"),
    }
);

impl AgeBand {
    /// The band of a full age in years.
    pub fn of_age(years: u32) -> AgeBand {
        match years {
            0..=6 => AgeBand::UpTo6,
            7..=13 => AgeBand::From7To13,
            14..=17 => AgeBand::From14To17,
            18..=59 => AgeBand::From18To59,
            _ => AgeBand::From60,
        }
    }
}

labelled_enum!(
    /// The report's own rows (the others are values of the model's enumerations).
    ReportLine {
        PersonsAssisted => ("persons_assisted", "受助人员合计", "persons assisted, total"),
        CasesActive => ("cases_active", "年内在办个案", "cases open during the year"),
        NewIntakes => ("new_intakes", "新接收个案", "new intakes"),
        Closures => ("closures", "结案个案", "cases closed"),
        ClosuresDatedByRecords => ("closures_dated_by_records", "其中：按最后记录日期计结案日期", "of which dated by their latest record"),
        ShelterStays => ("shelter_stays", "救助/临时监护人次", "shelter stays"),
        ShelterDays => ("shelter_days", "救助/临时监护天数", "shelter days"),
        PlacementsTotal => ("placements_total", "安置合计", "placements, total"),
        RehabilitationTotal => ("rehabilitation_total", "康复服务合计", "rehabilitation services, total"),
        SchoolingTotal => ("schooling_total", "就学合计", "schooling, total"),
        FamilyReturnTotal => ("family_return_total", "回归家庭/社区合计", "returns to family or community, total"),
        EmploymentTotal => ("employment_total", "就业服务合计", "employment services, total"),
        FollowUpVisits => ("follow_up_visits", "回访次数", "visits"),
        PersonsVisited => ("persons_visited", "回访人数", "persons visited"),
        LegalAidApplications => ("legal_aid_applications", "法律援助申请", "legal-aid applications"),
        GreenChannel => ("green_channel", "其中：绿色通道", "of which green channel"),
        Id3mReached => ("id3m_reached", "年内满三个月仍未查明身份", "reached the three-month line"),
        Id3mClosed => ("id3m_closed", "年内查明身份、终止户籍安置程序", "tracks closed, identity found"),
    }
);

labelled_enum!(
    /// The columns of the report's tables.
    ReportColumn {
        Count => ("count", "数量", "number"),
        OnTime => ("on_time", "按时完成", "done on time"),
        Late => ("late", "逾期完成", "done late"),
        Overdue => ("overdue", "逾期未完成", "open and overdue"),
        OnTimeShare => ("on_time_share", "按时完成率", "on time"),
    }
);

/// The label of a row: a value of one labelled enumeration, tagged by the enumeration's
/// name (the UI labels it from its generated catalogue of enumerations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "enum", content = "value")]
pub enum RowLabel {
    ReportLine(ReportLine),
    Sex(Sex),
    AgeBand(AgeBand),
    CaseFlag(CaseFlag),
    ShelterKind(ShelterKind),
    PlacementKind(PlacementKind),
    RehabService(RehabService),
    SchoolStatus(SchoolStatus),
    ReturnKind(ReturnKind),
    EmploymentService(EmploymentService),
    LegalAidDecision(LegalAidDecision),
    LaStep(LaStep),
    TrackStep(TrackStep),
}

impl Label for RowLabel {
    fn zh(&self) -> &'static str {
        self.inner().zh()
    }
    fn en(&self) -> &'static str {
        self.inner().en()
    }
}

impl RowLabel {
    fn inner(&self) -> &dyn Label {
        match self {
            Self::ReportLine(v) => v,
            Self::Sex(v) => v,
            Self::AgeBand(v) => v,
            Self::CaseFlag(v) => v,
            Self::ShelterKind(v) => v,
            Self::PlacementKind(v) => v,
            Self::RehabService(v) => v,
            Self::SchoolStatus(v) => v,
            Self::ReturnKind(v) => v,
            Self::EmploymentService(v) => v,
            Self::LegalAidDecision(v) => v,
            Self::LaStep(v) => v,
            Self::TrackStep(v) => v,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The report

/// One row: its label and a cell per column of its table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Row {
    pub label: RowLabel,
    pub cells: Vec<Cell>,
}

/// One section of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Table {
    pub section: ReportSection,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The row labelled `label`.
    pub fn row(&self, label: RowLabel) -> Option<&Row> {
        self.rows.iter().find(|r| r.label == label)
    }

    /// The cell of row `label` in column `column`.
    pub fn cell(&self, label: RowLabel, column: ReportColumn) -> Option<Cell> {
        let i = self.columns.iter().position(|c| *c == column)?;
        self.row(label)?.cells.get(i).copied()
    }
}

/// The annual report (R-ANNUAL): aggregated, anonymous figures of `year` as they stood on
/// `as_of` (31 December, or the day it was made while the year runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AnnualReport {
    pub year: i32,
    pub as_of: NaiveDate,
    pub tables: Vec<Table>,
}

impl AnnualReport {
    /// The table of `section`.
    pub fn table(&self, section: ReportSection) -> Option<&Table> {
        self.tables.iter().find(|t| t.section == section)
    }
}

/// A case as the report reads it: the case, its person, its records (the store may leave
/// out records dated after the reference day; they are left out here anyway), and what is
/// known of its closing.
#[derive(Debug, Clone)]
pub struct ReportCase {
    pub case: Case,
    pub person: Person,
    pub records: Vec<RecordBody>,
    pub closing: Closing,
}

/// What the store knows of when a case was closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Closing {
    /// The day the stage last became closed, from the change history; `None` when the
    /// case is not closed or its history does not say (a case imported as closed).
    pub closed_on: Option<NaiveDate>,
    /// The date of the case's latest record (all records, whatever their date).
    pub last_record_date: Option<NaiveDate>,
}

/// When a closed case counts as closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub date: NaiveDate,
    /// The history does not say: the latest record's date (or the received date) stands in.
    pub dated_by_records: bool,
}

impl Closing {
    /// The closure of a case received on `received` in `stage` (see the module's
    /// definitions); `None` while it is not closed.
    pub fn closure(&self, stage: Stage, received: NaiveDate) -> Option<Closure> {
        if stage != Stage::Closed {
            return None;
        }
        Some(match self.closed_on {
            Some(date) => Closure {
                date,
                dated_by_records: false,
            },
            None => Closure {
                date: self.last_record_date.map_or(received, |d| d.max(received)),
                dated_by_records: true,
            },
        })
    }
}

impl ReportCase {
    /// The closure of a closed case; `None` while open.
    pub fn closure(&self) -> Option<Closure> {
        self.closing
            .closure(self.case.stage, self.case.received_date)
    }
}

/// The reporting period: 1 January to the reference day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub start: NaiveDate,
    /// 31 December, or today while the year runs (before `start` for a year to come).
    pub as_of: NaiveDate,
}

impl Period {
    /// The period of `year` as of `today`; `None` for a year outside the dates Guitu
    /// accepts (1900–2100).
    pub fn new(year: i32, today: NaiveDate) -> Option<Period> {
        if !(1900..=2100).contains(&year) {
            return None;
        }
        let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31)?;
        Some(Period {
            year,
            start,
            as_of: end.min(today),
        })
    }

    /// Whether `d` falls in the period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.as_of
    }

    /// Whether a case counts for the year: received by the reference day, not closed
    /// before 1 January.
    pub fn is_active(&self, c: &ReportCase) -> bool {
        self.counts(c.case.received_date, c.case.stage, &c.closing)
    }

    /// [`Period::is_active`] from the facts the store reads before the case itself, so
    /// the cases that do not count are never read.
    pub fn counts(&self, received: NaiveDate, stage: Stage, closing: &Closing) -> bool {
        received <= self.as_of
            && closing
                .closure(stage, received)
                .is_none_or(|cl| cl.date >= self.start)
    }
}

/// A record as it stood on `as_of`: `None` when dated after it; dates inside it after
/// `as_of` (a discharge, a verification, a step of a legal-aid application) taken out.
fn as_of(body: &RecordBody, as_of: NaiveDate) -> Option<RecordBody> {
    if body.date() > as_of {
        return None;
    }
    let after = |d: Option<NaiveDate>| d.filter(|d| *d <= as_of);
    let mut body = body.clone();
    match &mut body {
        RecordBody::ShelterStay(s) => s.discharged = after(s.discharged),
        RecordBody::IdentityAttempt(a) if a.verified_date.is_some_and(|d| d > as_of) => {
            a.verified_date = None;
            a.outcome = crate::model::IdentityOutcome::Pending;
        }
        RecordBody::LegalAid(la) => legal_aid_as_of(la, as_of),
        _ => {}
    }
    Some(body)
}

fn legal_aid_as_of(la: &mut LegalAid, as_of: NaiveDate) {
    let after = |d: Option<NaiveDate>| d.filter(|d| *d <= as_of);
    la.accepted = after(la.accepted);
    la.reviewed = after(la.reviewed);
    if la.reviewed.is_none() {
        la.decision = None;
    }
    la.assigned = after(la.assigned);
    la.handled = after(la.handled);
    la.closed = after(la.closed);
}

/// Tallies of one step (on time, late, open and overdue).
#[derive(Debug, Default, Clone, Copy)]
struct StepTally {
    on_time: u64,
    late: u64,
    overdue: u64,
}

impl StepTally {
    fn add(&mut self, done: Option<NaiveDate>, late: bool, overdue: bool) {
        match (done, late, overdue) {
            (Some(_), false, _) => self.on_time += 1,
            (Some(_), true, _) => self.late += 1,
            (None, _, true) => self.overdue += 1,
            (None, _, false) => {}
        }
    }

    fn cells(self) -> Vec<Cell> {
        let base = self.on_time + self.late + self.overdue;
        vec![
            Cell::Count(Count::of(self.on_time)),
            Cell::Count(Count::of(self.late)),
            Cell::Count(Count::of(self.overdue)),
            Cell::Share(Share::of(self.on_time, base)),
        ]
    }
}

/// Counts by a labelled key, in the enumeration's order.
struct Tally<K: Copy + Eq + std::hash::Hash> {
    counts: HashMap<K, u64>,
}

impl<K: Copy + Eq + std::hash::Hash> Tally<K> {
    fn new() -> Self {
        Tally {
            counts: HashMap::new(),
        }
    }
    fn add(&mut self, k: K, n: u64) {
        *self.counts.entry(k).or_insert(0) += n;
    }
    fn get(&self, k: K) -> u64 {
        self.counts.get(&k).copied().unwrap_or(0)
    }
}

/// A group of rows adding up to a total row (the total first when `total` is given, then
/// one row per value), protected against working out a small cell from the total.
fn group<K: Copy + Eq + std::hash::Hash>(
    total: Option<ReportLine>,
    values: &[K],
    tally: &Tally<K>,
    label: impl Fn(K) -> RowLabel,
) -> Vec<Row> {
    let sum: u64 = values.iter().map(|k| tally.get(*k)).sum();
    let total_count = Count::of(sum);
    let mut counts: Vec<Count> = values.iter().map(|k| Count::of(tally.get(*k))).collect();
    protect(total_count, &mut counts);
    let mut rows = Vec::new();
    if let Some(line) = total {
        rows.push(count_row(RowLabel::ReportLine(line), total_count));
    }
    rows.extend(
        values
            .iter()
            .zip(counts)
            .map(|(k, c)| count_row(label(*k), c)),
    );
    rows
}

fn count_row(label: RowLabel, c: Count) -> Row {
    Row {
        label,
        cells: vec![Cell::Count(c)],
    }
}

fn line(l: ReportLine, n: u64) -> Row {
    count_row(RowLabel::ReportLine(l), Count::of(n))
}

fn count_table(section: ReportSection, rows: Vec<Row>) -> Table {
    Table {
        section,
        columns: vec![ReportColumn::Count],
        rows,
    }
}

fn steps_table(section: ReportSection, rows: Vec<Row>) -> Table {
    Table {
        section,
        columns: vec![
            ReportColumn::OnTime,
            ReportColumn::Late,
            ReportColumn::Overdue,
            ReportColumn::OnTimeShare,
        ],
        rows,
    }
}

/// What a person adds up to over their active cases.
struct PersonFacts {
    sex: Sex,
    /// The later of 1 January and the received date of the earliest active case.
    on: NaiveDate,
    band: AgeBand,
    flags: HashSet<CaseFlag>,
}

/// The legal-aid steps that have a target (closure has none).
const TIMED_LA_STEPS: [LaStep; 4] = [
    LaStep::Accept,
    LaStep::Decide,
    LaStep::Assign,
    LaStep::Handle,
];

/// Builds the annual report of `period` from every case the store found for it (cases
/// that are not active in the period are skipped), judging deadlines with the vault's
/// settings and calendar.
pub fn annual_report(
    period: Period,
    cases: impl IntoIterator<Item = ReportCase>,
    settings: &RuleSettings,
    calendar: &WorkCalendar,
) -> AnnualReport {
    let p = period;
    let mut persons: HashMap<Uuid, PersonFacts> = HashMap::new();
    let (mut active, mut intakes, mut closures, mut closures_by_records) = (0u64, 0u64, 0u64, 0u64);
    let mut stays = Tally::new();
    let mut shelter_days = 0u64;
    let mut placements = Tally::new();
    let mut rehab = Tally::new();
    let mut school = Tally::new();
    let mut returns = Tally::new();
    let mut employment = Tally::new();
    let (mut visits, mut visited) = (0u64, HashSet::new());
    let (mut applications, mut green) = (0u64, 0u64);
    let mut decisions = Tally::new();
    let mut la_steps: HashMap<LaStep, StepTally> = HashMap::new();
    let (mut reached, mut track_closed) = (0u64, 0u64);
    let mut track_steps: HashMap<TrackStep, StepTally> = HashMap::new();

    for c in cases {
        if !p.is_active(&c) {
            continue;
        }
        active += 1;
        let received = c.case.received_date;
        if p.contains(received) {
            intakes += 1;
        }
        if let Some(cl) = c.closure()
            && p.contains(cl.date)
        {
            closures += 1;
            if cl.dated_by_records {
                closures_by_records += 1;
            }
        }

        // The person: once, with the earliest active case's received date.
        let on = received.max(p.start);
        let band_on = |on: NaiveDate| {
            c.person
                .birth_date
                .map_or(AgeBand::Unknown, |b| AgeBand::of_age(age_on(b.date, on)))
        };
        let facts = persons.entry(c.person.id).or_insert_with(|| PersonFacts {
            sex: c.person.sex,
            on,
            band: band_on(on),
            flags: HashSet::new(),
        });
        // Cases come in any order: the earliest active case decides the age.
        if on < facts.on {
            facts.on = on;
            facts.band = band_on(on);
        }
        facts.flags.extend(c.case.flags.set());

        let records: Vec<RecordBody> = c.records.iter().filter_map(|r| as_of(r, p.as_of)).collect();
        for r in &records {
            match r {
                RecordBody::ShelterStay(s) => {
                    let end = s.discharged.unwrap_or(p.as_of).min(p.as_of);
                    let begin = s.admitted.max(p.start);
                    if begin <= end {
                        stays.add(s.kind, 1);
                        shelter_days += u64::try_from((end - begin).num_days() + 1).unwrap_or(0);
                    }
                }
                RecordBody::Placement(pl) if p.contains(pl.start) => placements.add(pl.kind, 1),
                RecordBody::Rehabilitation(rh) if p.contains(rh.start) => rehab.add(rh.service, 1),
                RecordBody::Schooling(s) if p.contains(s.date) => school.add(s.status, 1),
                RecordBody::FamilyReturn(f) if p.contains(f.date) => returns.add(f.kind, 1),
                RecordBody::Employment(e) if p.contains(e.date) => employment.add(e.service, 1),
                RecordBody::FollowUp(f) if p.contains(f.date) => {
                    visits += 1;
                    visited.insert(c.person.id);
                }
                RecordBody::LegalAid(la) if p.contains(la.received) => {
                    applications += 1;
                    if la.green_channel {
                        green += 1;
                    }
                    if let Some(d) = la.decision {
                        decisions.add(d, 1);
                    }
                    let (status, _) =
                        legal_aid::evaluate(la, p.as_of, &settings.legal_aid, calendar);
                    for s in status
                        .steps
                        .iter()
                        .filter(|s| s.due.is_some() && !s.skipped)
                    {
                        la_steps
                            .entry(s.step)
                            .or_default()
                            .add(s.done, s.late, s.overdue);
                    }
                }
                _ => {}
            }
        }

        // R-ID-3M as it stood on the reference day.
        let gathered = Id3mRecords::gather(records.iter());
        let input = gathered.input(
            c.case.institution_kind.is_assistance_institution(),
            received,
        );
        let (status, _) = id3m::evaluate(&input, p.as_of, &settings.id3m, calendar);
        match &status {
            Id3mStatus::Triggered { due, steps, .. } | Id3mStatus::Closed { due, steps, .. }
                if p.contains(*due) =>
            {
                reached += 1;
                for s in steps {
                    track_steps
                        .entry(s.step)
                        .or_default()
                        .add(s.done, s.late, s.overdue);
                }
            }
            _ => {}
        }
        if let Id3mStatus::Closed { closed_on, .. } = &status
            && p.contains(*closed_on)
        {
            track_closed += 1;
        }
    }

    let mut sexes = Tally::new();
    let mut bands = Tally::new();
    let mut flags = Tally::new();
    for f in persons.values() {
        sexes.add(f.sex, 1);
        bands.add(f.band, 1);
        for flag in &f.flags {
            flags.add(*flag, 1);
        }
    }
    let mut person_rows = group(
        Some(ReportLine::PersonsAssisted),
        Sex::ALL,
        &sexes,
        RowLabel::Sex,
    );
    // The bands add up to the persons assisted too.
    person_rows.extend(group(None, AgeBand::ALL, &bands, RowLabel::AgeBand));
    person_rows.extend(
        CaseFlag::ALL
            .iter()
            .map(|f| count_row(RowLabel::CaseFlag(*f), Count::of(flags.get(*f)))),
    );

    let mut shelter_rows = group(
        Some(ReportLine::ShelterStays),
        ShelterKind::ALL,
        &stays,
        RowLabel::ShelterKind,
    );
    shelter_rows.insert(1, line(ReportLine::ShelterDays, shelter_days));

    let mut reintegration = group(
        Some(ReportLine::SchoolingTotal),
        SchoolStatus::ALL,
        &school,
        RowLabel::SchoolStatus,
    );
    reintegration.extend(group(
        Some(ReportLine::FamilyReturnTotal),
        ReturnKind::ALL,
        &returns,
        RowLabel::ReturnKind,
    ));
    reintegration.extend(group(
        Some(ReportLine::EmploymentTotal),
        EmploymentService::ALL,
        &employment,
        RowLabel::EmploymentService,
    ));

    let mut legal_rows = vec![
        line(ReportLine::LegalAidApplications, applications),
        line(ReportLine::GreenChannel, green),
    ];
    legal_rows.extend(
        LegalAidDecision::ALL
            .iter()
            .map(|d| count_row(RowLabel::LegalAidDecision(*d), Count::of(decisions.get(*d)))),
    );

    let tables = vec![
        count_table(ReportSection::Persons, person_rows),
        count_table(
            ReportSection::Cases,
            vec![
                line(ReportLine::CasesActive, active),
                line(ReportLine::NewIntakes, intakes),
                line(ReportLine::Closures, closures),
                line(ReportLine::ClosuresDatedByRecords, closures_by_records),
            ],
        ),
        count_table(ReportSection::Shelter, shelter_rows),
        count_table(
            ReportSection::Placements,
            group(
                Some(ReportLine::PlacementsTotal),
                PlacementKind::ALL,
                &placements,
                RowLabel::PlacementKind,
            ),
        ),
        count_table(
            ReportSection::Rehabilitation,
            group(
                Some(ReportLine::RehabilitationTotal),
                RehabService::ALL,
                &rehab,
                RowLabel::RehabService,
            ),
        ),
        count_table(ReportSection::Reintegration, reintegration),
        count_table(
            ReportSection::FollowUps,
            vec![
                line(ReportLine::FollowUpVisits, visits),
                line(ReportLine::PersonsVisited, visited.len() as u64),
            ],
        ),
        count_table(ReportSection::LegalAid, legal_rows),
        steps_table(
            ReportSection::LegalAidSteps,
            TIMED_LA_STEPS
                .iter()
                .map(|s| Row {
                    label: RowLabel::LaStep(*s),
                    cells: la_steps.get(s).copied().unwrap_or_default().cells(),
                })
                .collect(),
        ),
        count_table(
            ReportSection::Id3m,
            vec![
                line(ReportLine::Id3mReached, reached),
                line(ReportLine::Id3mClosed, track_closed),
            ],
        ),
        steps_table(
            ReportSection::Id3mSteps,
            TrackStep::ALL
                .iter()
                .map(|s| Row {
                    label: RowLabel::TrackStep(*s),
                    cells: track_steps.get(s).copied().unwrap_or_default().cells(),
                })
                .collect(),
        ),
    ];
    AnnualReport {
        year: p.year,
        as_of: p.as_of,
        tables,
    }
}

// ---------------------------------------------------------------------------------------
// The due date

/// The annual report's due date, shown from 1 December (R-ANNUAL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AnnualReportDue {
    pub year: i32,
    /// 15 December of `year`.
    pub due: NaiveDate,
    /// Days from today to `due`: negative once it has passed (overdue, until 31 December).
    #[ts(type = "number")]
    pub days_left: i64,
}

/// The reminder of the annual report: from 1 December on, the year's report is due on 15
/// December; `None` the rest of the year.
pub fn annual_report_due(today: NaiveDate) -> Option<AnnualReportDue> {
    if today.month() != 12 {
        return None;
    }
    let due = NaiveDate::from_ymd_opt(today.year(), 12, REPORT_DUE_DAY)?;
    Some(AnnualReportDue {
        year: today.year(),
        due,
        days_left: (due - today).num_days(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        BirthDate, CarerRelation, CaseFlags, InstitutionKind, LegalAid, Placement, ReferralSource,
        ShelterStay,
    };

    fn d(s: &str) -> NaiveDate {
        crate::dates::parse_strict(s).expect("a test date")
    }

    fn person(n: u128, sex: Sex, birth: Option<&str>) -> Person {
        Person {
            id: Uuid::from_u128(n),
            sex,
            birth_date: birth.map(|b| BirthDate {
                date: d(b),
                estimated: false,
            }),
            ..Person::default()
        }
    }

    fn case(p: &Person, n: u128, received: &str, stage: Stage) -> ReportCase {
        ReportCase {
            case: Case {
                id: Uuid::from_u128(1000 + n),
                case_number: format!("DZ-{n}"),
                person_id: p.id,
                institution: "站".into(),
                institution_kind: InstitutionKind::AssistanceStation,
                received_date: d(received),
                referral: ReferralSource::PoliceRescue,
                police_reference: None,
                caseworker: "王".into(),
                flags: CaseFlags::default(),
                stage,
            },
            person: p.clone(),
            records: Vec::new(),
            closing: Closing::default(),
        }
    }

    fn period(year: i32, today: &str) -> Period {
        Period::new(year, d(today)).expect("a year in range")
    }

    fn report(year: i32, today: &str, cases: Vec<ReportCase>) -> AnnualReport {
        annual_report(
            period(year, today),
            cases,
            &RuleSettings::default(),
            &WorkCalendar::builtin(),
        )
    }

    fn count(r: &AnnualReport, section: ReportSection, label: RowLabel) -> Shown {
        match r.table(section).and_then(|t| t.cell(label, t.columns[0])) {
            Some(Cell::Count(c)) => c.shown(),
            other => panic!("no count for {label:?} in {section:?}: {other:?}"),
        }
    }

    #[test]
    fn counts_of_one_to_four_are_shown_as_small_and_serialise_without_the_number() {
        assert_eq!(Count::of(0).shown(), Shown::Number(0), "zero is shown");
        for n in 1..5 {
            assert_eq!(Count::of(n).shown(), Shown::Small, "{n} is small");
            assert_eq!(
                serde_json::to_string(&Count::of(n)).expect("json"),
                "\"lt5\"",
                "the number {n} never reaches the wire"
            );
        }
        assert_eq!(Count::of(5).shown(), Shown::Number(5), "five is shown");
        assert_eq!(serde_json::to_string(&Count::of(12)).expect("json"), "12");
    }

    #[test]
    fn a_single_small_cell_of_a_group_takes_the_smallest_other_with_it() {
        let mut g = [Count::of(7), Count::of(3), Count::of(0), Count::of(9)];
        protect(Count::of(19), &mut g);
        assert_eq!(
            g.map(Count::shown),
            [
                Shown::Withheld,
                Shown::Small,
                Shown::Number(0),
                Shown::Number(9)
            ],
            "3 = 19 − 7 − 0 − 9 would be read off the total: the 7 is withheld too"
        );
        let mut two = [Count::of(2), Count::of(3), Count::of(10)];
        protect(Count::of(15), &mut two);
        assert_eq!(
            two.map(Count::shown),
            [Shown::Small, Shown::Small, Shown::Number(10)],
            "two small cells only give their sum (5): nothing more is withheld"
        );
        let mut hidden_total = [Count::of(1), Count::of(2)];
        protect(Count::of(3), &mut hidden_total);
        assert_eq!(
            hidden_total.map(Count::shown),
            [Shown::Small, Shown::Small],
            "a small total reveals nothing to protect"
        );
    }

    #[test]
    fn shares_are_withheld_when_base_numerator_or_rest_is_small() {
        assert_eq!(Share::of(0, 0), Share::NoBase, "no base, no share");
        assert_eq!(
            Share::of(3, 3),
            Share::Withheld,
            "100 % of three tells all three"
        );
        assert_eq!(
            Share::of(9, 10),
            Share::Withheld,
            "one late of ten would show"
        );
        assert_eq!(
            Share::of(2, 10),
            Share::Withheld,
            "two on time of ten would show"
        );
        assert_eq!(Share::of(5, 5).percent(), Some(100.0), "five of five");
        assert_eq!(Share::of(5, 10).percent(), Some(50.0));
        assert_eq!(Share::of(0, 6).percent(), Some(0.0), "none of six on time");
        assert_eq!(Share::of(7, 12).percent(), Some(58.3), "7/12 = 58.33 %");
        assert_eq!(Share::of(5, 8).percent(), None, "rest 3 is small");
        assert_eq!(
            serde_json::to_string(&Share::of(15, 16)).expect("json"),
            "\"withheld\""
        );
    }

    #[test]
    fn age_bands_have_their_edges_at_6_13_17_and_59() {
        let cases = [
            (6, AgeBand::UpTo6),
            (7, AgeBand::From7To13),
            (13, AgeBand::From7To13),
            (14, AgeBand::From14To17),
            (17, AgeBand::From14To17),
            (18, AgeBand::From18To59),
            (59, AgeBand::From18To59),
            (60, AgeBand::From60),
        ];
        for (age, band) in cases {
            assert_eq!(AgeBand::of_age(age), band, "age {age}");
        }
    }

    #[test]
    fn the_age_is_taken_on_1_january_or_the_later_intake_of_the_earliest_case() {
        // Born 2019-06-01: 6 on 1 January 2026, 7 from 1 June 2026.
        let child = person(1, Sex::Female, Some("2019-06-01"));
        let early = case(&child, 1, "2025-03-01", Stage::Intake);
        let r = report(2026, "2026-12-31", vec![early]);
        assert_eq!(
            count(
                &r,
                ReportSection::Persons,
                RowLabel::AgeBand(AgeBand::UpTo6)
            ),
            Shown::Small,
            "received before the year: the age on 1 January (6)"
        );
        let late = case(&child, 2, "2026-07-01", Stage::Intake);
        let r = report(2026, "2026-12-31", vec![late.clone()]);
        assert_eq!(
            count(
                &r,
                ReportSection::Persons,
                RowLabel::AgeBand(AgeBand::From7To13)
            ),
            Shown::Small,
            "received in July: the age on that day (7)"
        );
        let both = report(
            2026,
            "2026-12-31",
            vec![late, case(&child, 3, "2026-02-01", Stage::Intake)],
        );
        assert_eq!(
            count(
                &both,
                ReportSection::Persons,
                RowLabel::AgeBand(AgeBand::UpTo6)
            ),
            Shown::Small,
            "two cases of one person: the earliest decides, whatever the order"
        );
        assert_eq!(
            count(
                &both,
                ReportSection::Persons,
                RowLabel::AgeBand(AgeBand::From7To13)
            ),
            Shown::Number(0),
            "the person is counted once"
        );
        let unknown = report(
            2026,
            "2026-12-31",
            vec![case(
                &person(2, Sex::Male, None),
                4,
                "2026-01-05",
                Stage::Intake,
            )],
        );
        assert_eq!(
            count(
                &unknown,
                ReportSection::Persons,
                RowLabel::AgeBand(AgeBand::Unknown)
            ),
            Shown::Small,
            "no birth date: its own row"
        );
    }

    #[test]
    fn a_case_counts_when_received_by_the_reference_day_and_not_closed_before_the_year() {
        let p = period(2026, "2026-12-31");
        let who = person(1, Sex::Female, None);
        let mut closed_2025 = case(&who, 1, "2025-01-01", Stage::Closed);
        closed_2025.closing.closed_on = Some(d("2025-12-31"));
        assert!(!p.is_active(&closed_2025), "closed before 1 January");
        closed_2025.closing.closed_on = Some(d("2026-01-01"));
        assert!(
            p.is_active(&closed_2025),
            "closed on 1 January: active that day"
        );
        let next_year = case(&who, 2, "2027-01-01", Stage::Intake);
        assert!(!p.is_active(&next_year), "received after 31 December");
        let running = period(2026, "2026-06-30");
        let july = case(&who, 3, "2026-07-01", Stage::Intake);
        assert!(
            !running.is_active(&july),
            "received after the reference day"
        );
    }

    #[test]
    fn a_closed_case_without_its_closing_day_is_dated_by_its_latest_record() {
        let who = person(1, Sex::Female, None);
        let mut imported = case(&who, 1, "2025-05-01", Stage::Closed);
        imported.closing.last_record_date = Some(d("2026-02-03"));
        assert_eq!(
            imported.closure(),
            Some(Closure {
                date: d("2026-02-03"),
                dated_by_records: true
            })
        );
        imported.closing.last_record_date = None;
        assert_eq!(
            imported.closure().map(|c| c.date),
            Some(d("2025-05-01")),
            "no record: the received date"
        );
        imported.closing.closed_on = Some(d("2026-04-04"));
        assert_eq!(
            imported.closure(),
            Some(Closure {
                date: d("2026-04-04"),
                dated_by_records: false
            }),
            "the history's day wins"
        );
        let r = report(2026, "2026-12-31", {
            let mut c = case(&who, 2, "2025-05-01", Stage::Closed);
            c.closing.last_record_date = Some(d("2026-02-03"));
            vec![c]
        });
        let t = r.table(ReportSection::Cases).expect("cases table");
        assert_eq!(
            t.cell(
                RowLabel::ReportLine(ReportLine::ClosuresDatedByRecords),
                ReportColumn::Count
            )
            .map(|c| matches!(c, Cell::Count(c) if c.shown() == Shown::Small)),
            Some(true),
            "the closure dated by records is counted as such"
        );
    }

    #[test]
    fn shelter_days_count_the_days_inside_the_year_and_an_open_stay_runs_to_the_reference_day() {
        let who = person(1, Sex::Female, None);
        let stay = |admitted: &str, discharged: Option<&str>| {
            RecordBody::ShelterStay(ShelterStay {
                institution: "站".into(),
                kind: ShelterKind::AssistanceStation,
                admitted: d(admitted),
                discharged: discharged.map(d),
                reason: None,
            })
        };
        let mut c = case(&who, 1, "2025-12-20", Stage::Intake);
        c.records = vec![
            // 1–10 January inside the year: 10 days.
            stay("2025-12-20", Some("2026-01-10")),
            // 1 March to the reference day 31 March: 31 days.
            stay("2026-03-01", None),
            // Discharged after the reference day: open on it, 1 April not yet counted.
            stay("2026-03-25", Some("2026-04-20")),
            // Before the year: no overlap.
            stay("2025-12-01", Some("2025-12-19")),
        ];
        let r = report(2026, "2026-03-31", vec![c]);
        assert_eq!(
            count(
                &r,
                ReportSection::Shelter,
                RowLabel::ReportLine(ReportLine::ShelterDays)
            ),
            Shown::Number(10 + 31 + 7),
            "10 + 31 + 7 (25–31 March) days"
        );
        assert_eq!(
            count(
                &r,
                ReportSection::Shelter,
                RowLabel::ReportLine(ReportLine::ShelterStays)
            ),
            Shown::Small,
            "three stays overlap the year"
        );
    }

    fn placement(kind: PlacementKind, start: &str) -> RecordBody {
        RecordBody::Placement(Placement {
            kind,
            start: d(start),
            end: None,
            place: "镇".into(),
            carer: CarerRelation::Parents,
            decided_by: "王".into(),
            supervisor_approval: None,
            district_approval: None,
            notes: None,
        })
    }

    #[test]
    fn placements_dated_in_the_year_are_counted_by_kind_and_totalled() {
        let mut cases = Vec::new();
        for n in 0..8u128 {
            let who = person(n, Sex::Female, None);
            let mut c = case(&who, n, "2026-01-02", Stage::Placement);
            let kind = if n < 6 {
                PlacementKind::ReturnToFamily
            } else {
                PlacementKind::Relatives
            };
            c.records = vec![placement(kind, "2026-02-01"), placement(kind, "2025-12-31")];
            cases.push(c);
        }
        let r = report(2026, "2026-12-31", cases);
        let s = ReportSection::Placements;
        assert_eq!(
            count(&r, s, RowLabel::ReportLine(ReportLine::PlacementsTotal)),
            Shown::Number(8),
            "eight placements in 2026; the 2025 ones do not count"
        );
        assert_eq!(
            count(&r, s, RowLabel::PlacementKind(PlacementKind::Relatives)),
            Shown::Small
        );
        assert_eq!(
            count(
                &r,
                s,
                RowLabel::PlacementKind(PlacementKind::ReturnToFamily)
            ),
            Shown::Withheld,
            "6 would give the 2 relatives away from the total of 8"
        );
    }

    #[test]
    fn legal_aid_steps_are_on_time_late_or_overdue_as_of_the_reference_day() {
        // 2026-03-02 is a Monday. Green channel: accept the same day, decide in 3
        // working days (5 March), assign 1 working day after the decision.
        let mut cases = Vec::new();
        for n in 0..10u128 {
            let who = person(n, Sex::Female, None);
            let mut c = case(&who, n, "2026-03-01", Stage::Intake);
            let mut la = LegalAid::application("中心", "事项", d("2026-03-02"));
            if n < 6 {
                la.accepted = Some(d("2026-03-02"));
            } else {
                la.accepted = Some(d("2026-03-03"));
            }
            if n < 5 {
                // Decided after the reference day: open and overdue on it.
                la.reviewed = Some(d("2026-03-20"));
                la.decision = Some(LegalAidDecision::Granted);
            }
            c.records = vec![RecordBody::LegalAid(la)];
            cases.push(c);
        }
        let r = report(2026, "2026-03-10", cases);
        let t = r.table(ReportSection::LegalAidSteps).expect("steps table");
        let cell = |col| t.cell(RowLabel::LaStep(LaStep::Accept), col);
        assert_eq!(cell(ReportColumn::OnTime), Some(Cell::Count(Count::of(6))));
        assert!(
            matches!(cell(ReportColumn::Late), Some(Cell::Count(c)) if c.shown() == Shown::Small),
            "four accepted a day late"
        );
        assert_eq!(
            cell(ReportColumn::OnTimeShare),
            Some(Cell::Share(Share::Withheld)),
            "6 of 10: the rest (4) is small"
        );
        let decide = |col| t.cell(RowLabel::LaStep(LaStep::Decide), col);
        assert_eq!(
            decide(ReportColumn::Overdue),
            Some(Cell::Count(Count::of(10))),
            "the decisions of 20 March did not exist on 10 March"
        );
        assert_eq!(
            decide(ReportColumn::OnTimeShare),
            Some(Cell::Share(Share::Permille(0))),
            "none of ten on time"
        );
        let summary = r.table(ReportSection::LegalAid).expect("legal aid");
        assert_eq!(
            summary.cell(
                RowLabel::LegalAidDecision(LegalAidDecision::Granted),
                ReportColumn::Count
            ),
            Some(Cell::Count(Count::of(0))),
            "a decision after the reference day is not counted"
        );
    }

    #[test]
    fn the_three_month_line_reached_in_the_year_and_its_steps() {
        let mut cases = Vec::new();
        for n in 0..5u128 {
            let who = person(n, Sex::Male, None);
            // Line 2026-04-01 (received 2026-01-01); step 1 due 20 working days later.
            let mut c = case(&who, n, "2026-01-01", Stage::Identity);
            c.records = vec![RecordBody::TrackStep(crate::model::TrackStepRecord {
                step: TrackStep::HouseholdRegistration,
                date: d("2026-04-10"),
                by: "王".into(),
                notes: None,
            })];
            cases.push(c);
        }
        let who = person(9, Sex::Male, None);
        let mut verified_late = case(&who, 9, "2025-12-01", Stage::Identity);
        verified_late.records = vec![RecordBody::IdentityAttempt(crate::model::IdentityAttempt {
            date: d("2026-05-01"),
            method: crate::model::IdentityMethod::PoliceInquiry,
            outcome: crate::model::IdentityOutcome::Verified,
            verified_date: Some(d("2026-05-01")),
            police_reference: None,
            notes: None,
        })];
        cases.push(verified_late);
        let r = report(2026, "2026-12-31", cases);
        assert_eq!(
            count(
                &r,
                ReportSection::Id3m,
                RowLabel::ReportLine(ReportLine::Id3mReached)
            ),
            Shown::Number(6),
            "five lines on 1 April and one on 1 March"
        );
        assert_eq!(
            count(
                &r,
                ReportSection::Id3m,
                RowLabel::ReportLine(ReportLine::Id3mClosed)
            ),
            Shown::Small,
            "identity found on 1 May closed one track"
        );
        let t = r.table(ReportSection::Id3mSteps).expect("steps");
        assert_eq!(
            t.cell(
                RowLabel::TrackStep(TrackStep::HouseholdRegistration),
                ReportColumn::OnTime
            ),
            Some(Cell::Count(Count::of(5))),
            "five registrations on 10 April, well before their target"
        );
        assert_eq!(
            t.cell(
                RowLabel::TrackStep(TrackStep::TownPlacement),
                ReportColumn::Overdue
            ),
            Some(Cell::Count(Count::of(5))),
            "the open tracks' last step is overdue on 31 December (the closed one is not)"
        );
    }

    #[test]
    fn the_report_is_due_on_15_december_and_reminded_from_1_december() {
        assert_eq!(annual_report_due(d("2026-11-30")), None, "not in November");
        let first = annual_report_due(d("2026-12-01")).expect("from 1 December");
        assert_eq!(
            (first.year, first.due, first.days_left),
            (2026, d("2026-12-15"), 14)
        );
        let due_day = annual_report_due(d("2026-12-15")).expect("on the day");
        assert_eq!(due_day.days_left, 0);
        let last = annual_report_due(d("2026-12-31")).expect("until 31 December");
        assert_eq!(last.days_left, -16, "overdue by 16 days");
        assert_eq!(annual_report_due(d("2027-01-01")), None, "a new year");
    }

    #[test]
    fn years_outside_the_accepted_dates_have_no_period() {
        assert!(Period::new(1899, d("2026-01-01")).is_none());
        assert!(Period::new(2101, d("2026-01-01")).is_none());
        let future = period(2027, "2026-06-01");
        assert!(
            future.as_of < future.start,
            "a year to come has nothing in it yet"
        );
    }
}
