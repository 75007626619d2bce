//! One data row of a ledger made into what Guitu stores: a person, a case and its
//! records, all domain types checked by the domain's field checks — or the row's problems.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use guitu_domain::label::Label;
use guitu_domain::model::{
    BirthDate, Case, CaseFlags, InstitutionKind, Note, Person, RecordBody, ReferralSource, Sex,
    Stage,
};
use guitu_domain::rules::idnum;
use guitu_domain::{DomainError, validate};

use crate::cell::{Cell, DateProblem, cell_date, text_date};
use crate::column::LedgerColumn;
use crate::error::{RowError, RowProblem};
use crate::grammar::{self, Parsed};
use crate::sheet::Layout;

/// The nil id: the API gives every item its id.
fn nil() -> Uuid {
    Uuid::nil()
}

/// What making rows needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct RowContext<'a> {
    /// Dates after it are refused.
    pub today: NaiveDate,
    /// The office (接收机构 when the ledger has no such column; may be empty).
    pub office: &'a str,
    /// The importing user (经办人 when the ledger has none).
    pub user: &'a str,
}

/// A row as Guitu will store it. Ids are nil: the API gives them.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LedgerRow {
    /// The row as Excel numbers it.
    pub row: u32,
    pub person: Person,
    /// The case; its number is given at import (empty here).
    pub case: Case,
    /// The records, with the column each came from.
    pub records: Vec<LedgerRecord>,
}

/// A record made from a column of a row.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LedgerRecord {
    pub column: LedgerColumn,
    pub body: RecordBody,
}

/// The intake number of a person the ledger does not name.
pub fn intake_number(row: u32) -> String {
    format!("台账第{row}行")
}

/// The text of a note kept from a column: `〈header〉：text`.
pub fn note_text(column: LedgerColumn, text: &str) -> String {
    format!("{}：{text}", column.zh())
}

/// The column and text of a note kept from a column, if it is one.
pub fn note_of(text: &str) -> Option<(LedgerColumn, &str)> {
    LedgerColumn::ALL.iter().find_map(|c| {
        text.strip_prefix(c.zh())
            .and_then(|t| t.strip_prefix('：'))
            .map(|t| (*c, t))
    })
}

/// The referral a unit's name implies.
pub fn referral_of(unit: &str) -> ReferralSource {
    if let Some(r) = ReferralSource::ALL.iter().find(|r| r.zh() == unit.trim()) {
        return *r;
    }
    if unit.contains("公安") || unit.contains("派出所") {
        ReferralSource::PoliceRescue
    } else if unit.contains("热线") {
        ReferralSource::Hotline
    } else if unit.contains("本人") || unit.contains("自行") {
        ReferralSource::SelfReport
    } else if unit.contains("民政")
        || unit.contains("外区")
        || unit.contains("救助站")
        || unit.contains("救助管理站")
    {
        ReferralSource::OtherDistrict
    } else {
        ReferralSource::Other
    }
}

/// The kind of institution its name implies.
pub fn institution_kind_of(name: &str) -> InstitutionKind {
    if name.contains("儿童福利") {
        InstitutionKind::ChildWelfare
    } else if name.contains("未成年人") || name.contains("未保") {
        InstitutionKind::MinorProtectionCentre
    } else {
        InstitutionKind::AssistanceStation
    }
}

/// The sex a cell says.
pub const SEX_WORDS: &[&str] = &["男", "女", "不详", "未知"];

fn sex_of(s: &str) -> Option<Sex> {
    match s.trim() {
        "男" | "男性" => Some(Sex::Male),
        "女" | "女性" => Some(Sex::Female),
        "不详" | "未知" | "" => Some(Sex::Unknown),
        _ => None,
    }
}

/// Splits other names on 、 , ， ; ； /.
pub fn split_names(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '/', '／'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The stage a case is at, from what its records hold.
pub fn stage_of(records: &[RecordBody]) -> Stage {
    let has = |f: fn(&RecordBody) -> bool| records.iter().any(f);
    if has(|r| matches!(r, RecordBody::FollowUp(_))) {
        Stage::FollowUp
    } else if has(|r| matches!(r, RecordBody::Placement(_))) {
        Stage::Placement
    } else if has(|r| matches!(r, RecordBody::Rehabilitation(_))) {
        Stage::Rehabilitation
    } else if has(|r| matches!(r, RecordBody::IdentityAttempt(_))) {
        Stage::Identity
    } else {
        Stage::Intake
    }
}

/// The column a domain error's field belongs to.
fn column_of_field(field: &str, default: LedgerColumn) -> LedgerColumn {
    use LedgerColumn as C;
    let f = field;
    if f.starts_with("person.name") || f.starts_with("person.intake_number") {
        C::Name
    } else if f.starts_with("person.other_names") {
        C::OtherNames
    } else if f.starts_with("person.sex") {
        C::Sex
    } else if f.starts_with("person.birth_date") {
        C::BirthDate
    } else if f.starts_with("person.household_registration") {
        C::HouseholdRegistration
    } else if f.starts_with("person.resident_id") {
        C::ResidentId
    } else if f.starts_with("case.received_date") {
        C::ReceivedDate
    } else if f.starts_with("case.institution") {
        C::Institution
    } else if f.starts_with("case.caseworker") {
        C::Caseworker
    } else if f.starts_with("case.referral") {
        C::Referral
    } else {
        default
    }
}

/// A domain error as a row problem at its column.
pub fn domain_problem(error: DomainError, default: LedgerColumn) -> (LedgerColumn, RowProblem) {
    let column = error
        .field()
        .map_or(default, |f| column_of_field(f, default));
    let problem = match error {
        DomainError::TooLong { max, .. } => RowProblem::TooLong { max },
        DomainError::InvalidResidentId { problem } => RowProblem::InvalidIdNumber {
            id_problem: problem,
        },
        DomainError::NameOrIntakeNumber => RowProblem::MissingValue,
        error => RowProblem::Rule { error },
    };
    (column, problem)
}

fn date_problem(p: DateProblem) -> RowProblem {
    match p {
        DateProblem::NotADate => RowProblem::NotADate,
        DateProblem::Impossible => RowProblem::ImpossibleDate,
    }
}

/// A refused cell of `row` in `column`.
pub fn row_error(layout: &Layout, row: u32, column: LedgerColumn, problem: RowProblem) -> RowError {
    let mapped = layout.mapping.index_of(column);
    RowError {
        sheet: layout.sheet.clone(),
        sheet_index: layout.sheet_index,
        row,
        letter: mapped.map(|m| m.letter.clone()).unwrap_or_default(),
        header: mapped.map_or_else(|| column.zh().to_owned(), |m| m.header.clone()),
        column,
        problem,
    }
}

/// Reads one data row. Every problem of the row is returned, in column order.
pub fn read_row(
    layout: &Layout,
    row: u32,
    cells: &[Cell],
    ctx: &RowContext<'_>,
) -> Result<LedgerRow, Vec<RowError>> {
    let mut problems: Vec<(LedgerColumn, RowProblem)> = Vec::new();
    let cell = |c: LedgerColumn| -> Option<&Cell> {
        layout
            .mapping
            .index_of(c)
            .and_then(|m| cells.get(m.index as usize))
            .filter(|c| !c.is_empty())
    };
    let text =
        |c: LedgerColumn, problems: &mut Vec<(LedgerColumn, RowProblem)>| -> Option<String> {
            match cell(c) {
                Some(Cell::Error) => {
                    problems.push((c, RowProblem::ErrorCell));
                    None
                }
                Some(x) => x
                    .text()
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty()),
                None => None,
            }
        };
    let date = |c: LedgerColumn,
                problems: &mut Vec<(LedgerColumn, RowProblem)>|
     -> Option<(NaiveDate, bool)> {
        let x = cell(c)?;
        // 约1990年1月1日: an estimate.
        let (estimated, result) = match x {
            Cell::Text(t) if t.trim_start().starts_with('约') => (
                true,
                text_date(t.trim_start().trim_start_matches('约')).map(Some),
            ),
            x => (false, cell_date(x)),
        };
        match result {
            Ok(Some(d)) if d > ctx.today => {
                problems.push((c, RowProblem::FutureDate));
                None
            }
            Ok(d) => d.map(|d| (d, estimated)),
            Err(p) => {
                problems.push((c, date_problem(p)));
                None
            }
        }
    };

    let name = text(LedgerColumn::Name, &mut problems);
    let other_names = text(LedgerColumn::OtherNames, &mut problems)
        .map(|s| split_names(&s))
        .unwrap_or_default();
    let sex = match text(LedgerColumn::Sex, &mut problems) {
        None => Sex::Unknown,
        Some(s) => sex_of(&s).unwrap_or_else(|| {
            problems.push((
                LedgerColumn::Sex,
                RowProblem::UnknownValue {
                    allowed: SEX_WORDS.iter().map(|s| (*s).to_owned()).collect(),
                },
            ));
            Sex::Unknown
        }),
    };
    let resident_id = match cell(LedgerColumn::ResidentId) {
        Some(Cell::Number(f)) if f.abs() >= 1.0e15 => {
            problems.push((LedgerColumn::ResidentId, RowProblem::IdAsNumber));
            None
        }
        _ => text(LedgerColumn::ResidentId, &mut problems),
    };
    let mut id_birth = None;
    let resident_id = resident_id.and_then(|id| match idnum::parse(&id) {
        Ok((normalised, birth)) => {
            id_birth = Some(birth);
            Some(normalised)
        }
        Err(DomainError::InvalidResidentId { problem }) => {
            problems.push((
                LedgerColumn::ResidentId,
                RowProblem::InvalidIdNumber {
                    id_problem: problem,
                },
            ));
            None
        }
        Err(error) => {
            problems.push((LedgerColumn::ResidentId, RowProblem::Rule { error }));
            None
        }
    });
    let birth_date = date(LedgerColumn::BirthDate, &mut problems)
        .map(|(date, estimated)| BirthDate { date, estimated })
        .or_else(|| {
            // From the ID number when the ledger gives no birth date.
            (cell(LedgerColumn::BirthDate).is_none())
                .then_some(id_birth)
                .flatten()
                .map(|date| BirthDate {
                    date,
                    estimated: false,
                })
        });
    let household_registration = text(LedgerColumn::HouseholdRegistration, &mut problems);
    let received = date(LedgerColumn::ReceivedDate, &mut problems);
    if cell(LedgerColumn::ReceivedDate).is_none() {
        problems.push((LedgerColumn::ReceivedDate, RowProblem::MissingValue));
    }
    let institution = text(LedgerColumn::Institution, &mut problems)
        .unwrap_or_else(|| ctx.office.trim().to_owned());
    let unit = text(LedgerColumn::Referral, &mut problems);
    let caseworker =
        text(LedgerColumn::Caseworker, &mut problems).unwrap_or_else(|| ctx.user.to_owned());
    let received_date = received.map(|(d, _)| d).unwrap_or(NaiveDate::MIN);

    let mut records: Vec<LedgerRecord> = Vec::new();
    if let Some(unit) = &unit
        && ReferralSource::ALL.iter().all(|r| r.zh() != unit.as_str())
    {
        records.push(LedgerRecord {
            column: LedgerColumn::Referral,
            body: RecordBody::Note(Note {
                date: received_date,
                text: note_text(LedgerColumn::Referral, unit),
            }),
        });
    }
    let gctx = grammar::Context {
        caseworker: &caseworker,
    };
    for column in [
        LedgerColumn::Identity,
        LedgerColumn::Placement,
        LedgerColumn::Rehabilitation,
        LedgerColumn::LegalAid,
        LedgerColumn::Leaving,
        LedgerColumn::FollowUp,
    ] {
        let Some(t) = text(column, &mut problems) else {
            continue;
        };
        let mut kept: Vec<String> = Vec::new();
        for entry in grammar::entries(&t) {
            match grammar::parse(column, &entry, &gctx) {
                Ok(Parsed::Record(body)) => {
                    if body.date() > ctx.today {
                        problems.push((column, RowProblem::FutureDate));
                    }
                    records.push(LedgerRecord { column, body });
                }
                Ok(Parsed::Text) => kept.push(entry),
                Err(p) => problems.push((column, date_problem(p))),
            }
        }
        if !kept.is_empty() {
            records.push(LedgerRecord {
                column,
                body: RecordBody::Note(Note {
                    date: received_date,
                    text: note_text(column, &kept.join("\n")),
                }),
            });
        }
    }

    let mut person = Person {
        id: nil(),
        intake_number: name.is_none().then(|| intake_number(row)),
        name,
        other_names,
        sex,
        birth_date,
        household_registration,
        resident_id,
        ..Person::default()
    };
    let bodies: Vec<RecordBody> = records.iter().map(|r| r.body.clone()).collect();
    let mut case = Case {
        id: nil(),
        case_number: String::new(),
        person_id: nil(),
        institution_kind: institution_kind_of(&institution),
        institution,
        received_date,
        referral: unit.as_deref().map_or(ReferralSource::Other, referral_of),
        police_reference: None,
        caseworker,
        flags: CaseFlags::default(),
        stage: stage_of(&bodies),
    };
    if problems.is_empty() {
        // The domain's field checks (lengths, characters) on what the row makes.
        if let Err(e) = validate::validate_person(&mut person) {
            problems.push(domain_problem(e, LedgerColumn::Name));
        }
        guitu_domain::rules::flags::derive(&person, &mut case);
        let mut numbered = case.clone();
        numbered.case_number = "L-2000-0001".to_owned();
        if let Err(e) = validate::validate_case(&numbered) {
            problems.push(domain_problem(e, LedgerColumn::ReceivedDate));
        }
        for r in &records {
            if let Err(e) = r.body.check_fields() {
                problems.push(domain_problem(e, r.column));
            }
        }
    }
    if problems.is_empty() {
        return Ok(LedgerRow {
            row,
            person,
            case,
            records,
        });
    }
    Err(problems
        .into_iter()
        .map(|(column, problem)| row_error(layout, row, column, problem))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_say_where_a_case_came_from() {
        assert_eq!(referral_of("某市公安局"), ReferralSource::PoliceRescue);
        assert_eq!(referral_of("12345热线"), ReferralSource::Hotline);
        assert_eq!(referral_of("本人求助"), ReferralSource::SelfReport);
        assert_eq!(referral_of("自行来站"), ReferralSource::SelfReport);
        assert_eq!(referral_of("外区移交"), ReferralSource::OtherDistrict);
        assert_eq!(referral_of("江北区救助站"), ReferralSource::OtherDistrict);
        assert_eq!(referral_of("妇联"), ReferralSource::Other);
        assert_eq!(
            institution_kind_of("区未成年人救助保护中心"),
            InstitutionKind::MinorProtectionCentre
        );
        assert_eq!(
            institution_kind_of("市儿童福利院"),
            InstitutionKind::ChildWelfare
        );
        assert_eq!(
            institution_kind_of("大足区救助管理站"),
            InstitutionKind::AssistanceStation
        );
    }

    #[test]
    fn notes_name_their_column_and_read_back() {
        let t = note_text(LedgerColumn::Identity, "已核实");
        assert_eq!(t, "身份核查情况：已核实");
        assert_eq!(note_of(&t), Some((LedgerColumn::Identity, "已核实")));
        assert_eq!(note_of("随便写的"), None);
        assert_eq!(
            split_names("小红、阿红，红红/ 红"),
            vec!["小红", "阿红", "红红", "红"]
        );
    }
}
