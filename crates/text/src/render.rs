//! The renderer: codes, labels, dates and names into Chinese or English text.

use chrono::{Datelike, NaiveDate};
use guitu_domain::handoff::{HandoffBasis, RecipientKind};

use guitu_domain::model::{CaseFlags, TrackStep};
use guitu_domain::rules::due::DueWhat;
use guitu_domain::rules::legal_aid::LaStep;
use guitu_domain::rules::placement::UnknownParentsGuidance;
use guitu_domain::{
    CalendarProblem, Channel, DomainError, IdNumberProblem, Label, SettingProblem, Warning,
};

use crate::problem::{
    BackupProblem, BundleProblem, ImportLocation, ImportProblem, IoKind, Problem, Thing, ValueKind,
};

/// The language text is made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The language of a locale name (`LANG`): English for `en…`, else Chinese.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Parses `zh`, `zh-CN`, `en` …; `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "en" || s.starts_with("en-") || s.starts_with("en_") {
            Some(Lang::En)
        } else if s == "zh" || s.starts_with("zh-") || s.starts_with("zh_") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One text in either language: `t!(lang, "中文{x}", "English {x}")`.
macro_rules! t {
    ($lang:expr, $zh:literal, $en:literal $(,)?) => {
        match $lang {
            Lang::Zh => format!($zh),
            Lang::En => format!($en),
        }
    };
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as its reader writes it: 2026年1月31日, 31 Jan 2026.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => {
            let m = MONTHS.get(d.month0() as usize).copied().unwrap_or_default();
            format!("{} {m} {}", d.day(), d.year())
        }
    }
}

/// The label of an enumeration value.
pub fn label<E: Label>(e: &E, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => e.zh(),
        Lang::En => e.en(),
    }
}

/// The basis a hand-off relies on (R-HANDOFF-BASIS), as a summary, the CLI and the print
/// dialog state it: `监护人（王丽）于2026年3月1日同意向学校提供本摘要所列信息` or
/// `未取得同意，依据：公安机关依法调取`. The guardian is named only when `name_guardian`
/// (the printed kind carries guardians); the legal basis' note is not part of it.
pub fn handoff_basis(
    basis: &HandoffBasis,
    recipient: RecipientKind,
    name_guardian: bool,
    lang: Lang,
) -> String {
    match basis {
        HandoffBasis::Consent {
            given_by,
            guardian_name,
            from,
            ..
        } => {
            let who = label(given_by, lang);
            let who = match guardian_name {
                Some(n) if name_guardian => match lang {
                    Lang::Zh => format!("{who}（{n}）"),
                    Lang::En => format!("{who} ({n})"),
                },
                _ => who.to_owned(),
            };
            let (on, to) = (date(*from, lang), label(&recipient, lang));
            t!(
                lang,
                "{who}于{on}同意向{to}提供本摘要所列信息",
                "Consent of {who} given on {on} to share this summary with a recipient of the kind '{to}'"
            )
        }
        HandoffBasis::Legal { basis, .. } => {
            let b = label(basis, lang);
            t!(
                lang,
                "未取得同意，依据：{b}",
                "Without consent, on the legal basis: {b}"
            )
        }
    }
}

/// 是 / 否, yes / no.
pub fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// The name to show for a person: the name, else 身份不明 with the intake number.
pub fn person_name(name: Option<&str>, intake_number: Option<&str>, lang: Lang) -> String {
    match (
        name.filter(|n| !n.trim().is_empty()),
        intake_number.filter(|i| !i.trim().is_empty()),
    ) {
        (Some(n), _) => n.to_owned(),
        (None, Some(i)) => t!(lang, "身份不明（{i}）", "Identity unknown ({i})"),
        (None, None) => lang.pick("身份不明", "Identity unknown").to_owned(),
    }
}

/// The label of a field by its schema path (`shelter_stay.discharged` → 离站日期).
pub fn field(path: &str, lang: Lang) -> String {
    let (zh, en) = guitu_domain::schema::field_label(path);
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The flags that are set, as one list: 未成年人、外籍.
pub fn case_flag_list(flags: &CaseFlags, lang: Lang) -> String {
    let names: Vec<&str> = flags.set().iter().map(|f| label(f, lang)).collect();
    names.join(lang.pick("、", ", "))
}

fn track_step(s: TrackStep, lang: Lang) -> &'static str {
    label(&s, lang)
}

fn la_step(s: LaStep, lang: Lang) -> &'static str {
    label(&s, lang)
}

fn channel(c: Channel, lang: Lang) -> &'static str {
    match c {
        Channel::Green => lang.pick("绿色通道", "green channel"),
        Channel::Ordinary => lang.pick("普通程序", "ordinary procedure"),
    }
}

/// A rule's refusal.
pub fn rule_error(e: &DomainError, lang: Lang) -> String {
    match e {
        DomainError::InvalidResidentId { problem } => {
            let why = match problem {
                IdNumberProblem::Length => lang.pick(
                    "应为18位（或旧式15位）",
                    "it must be 18 characters (or an old 15-digit number)",
                ),
                IdNumberProblem::Characters => lang.pick(
                    "只能包含数字，末位可为X",
                    "it may hold only digits and a final X",
                ),
                IdNumberProblem::BirthDate => lang.pick(
                    "出生日期部分不是有效日期",
                    "its birth-date part is not a real date",
                ),
                IdNumberProblem::CheckCharacter => {
                    lang.pick("校验码不正确", "its check character is wrong")
                }
            };
            t!(
                lang,
                "居民身份证号码无效：{why}",
                "Invalid resident ID number: {why}"
            )
        }
        DomainError::Required { field: f } => {
            let f = field(f, lang);
            t!(lang, "必填项“{f}”为空", "Required field '{f}' is empty")
        }
        DomainError::NameOrIntakeNumber => lang
            .pick(
                "姓名不详时须填写接收编号",
                "Give the name or, while it is unknown, the intake number",
            )
            .to_owned(),
        DomainError::TooLong { field: f, max } => {
            let f = field(f, lang);
            t!(
                lang,
                "“{f}”过长：最多{max}个字符",
                "'{f}' is too long: at most {max} characters"
            )
        }
        DomainError::BadCharacters { field: f } => {
            let f = field(f, lang);
            t!(
                lang,
                "“{f}”含有控制字符或文字方向控制符",
                "'{f}' holds control or text-direction characters"
            )
        }
        DomainError::OutOfRange { field: f, min, max } => {
            let f = field(f, lang);
            t!(
                lang,
                "“{f}”应在{min}至{max}之间",
                "'{f}' must be between {min} and {max}"
            )
        }
        DomainError::DateOutOfRange {
            field: f,
            min_year,
            max_year,
        } => {
            let f = field(f, lang);
            t!(
                lang,
                "“{f}”不是{min_year}年至{max_year}年之间的日期",
                "'{f}' is not a date between {min_year} and {max_year}"
            )
        }
        DomainError::EndBeforeStart {
            field: f,
            start_field,
            start,
            end,
        } => {
            let (f, s) = (field(f, lang), field(start_field, lang));
            let (start, end) = (date(*start, lang), date(*end, lang));
            t!(
                lang,
                "“{f}”（{end}）早于“{s}”（{start}）",
                "'{f}' ({end}) is before '{s}' ({start})"
            )
        }
        DomainError::DateAfterToday { field: f, today } => {
            let (f, today) = (field(f, lang), date(*today, lang));
            t!(
                lang,
                "“{f}”晚于今天（{today}）：尚未发生的事不能登记为已完成（R-DATE）",
                "'{f}' is after today ({today}): what has not happened cannot be recorded as done (R-DATE)"
            )
        }
        DomainError::ConfirmationNeeded { warnings } => {
            let list: Vec<String> = warnings.iter().map(|w| warning(w, lang)).collect();
            match lang {
                Lang::Zh => format!("请确认后再保存：{}", list.join("；")),
                Lang::En => format!("Confirm to save: {}", list.join("; ")),
            }
        }
        DomainError::PlacementWithBuyer => lang
            .pick(
                "不得由收买家庭继续抚养：安置对象不能是收买家庭（R-PL-BUYER）",
                "A rescued child must not be placed with the family that bought them (R-PL-BUYER)",
            )
            .to_owned(),
        DomainError::EmploymentUnder16 { age } => t!(
            lang,
            "就业服务仅面向年满十六周岁的人员，服务日期时年龄为{age}岁（R-EMP-16）",
            "Employment services are for persons aged 16 or over; age on the service date is {age} (R-EMP-16)"
        ),
        DomainError::EmploymentNotWanted => lang
            .pick(
                "就业服务仅提供给有意愿的人员（R-EMP-16）",
                "Employment services are given only to persons who want them (R-EMP-16)",
            )
            .to_owned(),
        DomainError::VerifiedDateWithoutVerified => lang
            .pick(
                "只有结果为“已查明”时才填写查明日期",
                "Only a verified outcome has a verified date",
            )
            .to_owned(),
        DomainError::LegalAidAfterRefusal { step } => {
            let s = la_step(*step, lang);
            t!(
                lang,
                "不予援助的申请不能再{s}",
                "A refused legal-aid application has no {s}"
            )
        }
        DomainError::LegalAidStepOrder {
            step,
            date: d,
            previous,
        } => {
            let s = la_step(*step, lang);
            let (d, p) = (date(*d, lang), date(*previous, lang));
            t!(
                lang,
                "法律援助步骤“{s}”的日期（{d}）早于上一步（{p}）",
                "Legal-aid step '{s}' on {d} is before the previous step on {p}"
            )
        }
        DomainError::RepeatInterviewNeedsReason => lang
            .pick(
                "已有询问记录，再次询问须说明理由（一站式询问，R-ONESTOP）",
                "An interview is already on record: a repeat interview needs a reason (R-ONESTOP)",
            )
            .to_owned(),
        DomainError::BadCalendar { problem } => {
            let why = calendar_problem(problem, lang);
            t!(
                lang,
                "节假日日历文件无效：{why}",
                "Invalid holiday calendar file: {why}"
            )
        }
        DomainError::BadSetting { problem } => {
            let why = setting_problem(problem, lang);
            t!(lang, "设置无效：{why}", "Invalid setting: {why}")
        }
        DomainError::PermissionDenied {
            permission,
            record_kind,
        } => {
            let what = label(permission, lang);
            match record_kind {
                Some(kind) => {
                    let kind = label(kind, lang);
                    t!(
                        lang,
                        "您的角色无权{what}（{kind}）",
                        "Your role may not {what} ({kind})"
                    )
                }
                None => t!(lang, "您的角色无权{what}", "Your role may not {what}"),
            }
        }
        DomainError::SelfApproval => lang
            .pick(
                "不能审批自己提出的申请，请由另一位主管审批",
                "You cannot decide your own request: another supervisor must",
            )
            .to_owned(),
        DomainError::AlreadyDecided => lang
            .pick("该申请已审批", "The request was decided already")
            .to_owned(),
        DomainError::ApprovalNeeded { subject } => {
            let what = label(subject, lang);
            t!(
                lang,
                "“{what}”需经主管审批，请提请审批",
                "{what} needs a supervisor's approval: request it"
            )
        }
    }
}

fn calendar_problem(p: &CalendarProblem, lang: Lang) -> String {
    match p {
        CalendarProblem::NotCalendar { line, column } => t!(
            lang,
            "不是日历文件的格式（第{line}行第{column}列）",
            "not in the calendar layout (line {line}, column {column})"
        ),
        CalendarProblem::NoSource { year } => t!(
            lang,
            "{year}年缺少来源（通知标题与文号）",
            "year {year}: the source notice is missing"
        ),
        CalendarProblem::NoHolidayName { year } => t!(
            lang,
            "{year}年有节日名称为空",
            "year {year}: a holiday has no name"
        ),
        CalendarProblem::OutsideYear { year, date: d } => {
            let d = date(*d, lang);
            t!(lang, "{d}不在{year}年内", "{d} is not in {year}")
        }
        CalendarProblem::TwoHolidays { date: d } => {
            let d = date(*d, lang);
            t!(
                lang,
                "{d}同时列于两个节日",
                "{d} is listed under two holidays"
            )
        }
        CalendarProblem::HolidayAndWorkday { date: d } => {
            let d = date(*d, lang);
            t!(
                lang,
                "{d}既是假日又是调休上班日",
                "{d} is both a holiday and a make-up working day"
            )
        }
        CalendarProblem::MakeupNotWeekend { date: d } => {
            let d = date(*d, lang);
            t!(
                lang,
                "调休上班日{d}不是周末",
                "make-up working day {d} is not a Saturday or Sunday"
            )
        }
    }
}

fn setting_problem(p: &SettingProblem, lang: Lang) -> String {
    match p {
        SettingProblem::CasePrefix { max } => t!(
            lang,
            "个案编号前缀须为1至{max}位大写字母或数字",
            "the case-number prefix must be 1 to {max} upper-case letters or digits"
        ),
        SettingProblem::IdleMinutes { min, max } => t!(
            lang,
            "自动锁定时间须在{min}至{max}分钟之间",
            "idle-lock minutes must be {min} to {max}"
        ),
        SettingProblem::LeadDays { max } => t!(
            lang,
            "三个月身份规则的提前提醒天数不能超过{max}天",
            "an R-ID-3M warning lead cannot exceed {max} days"
        ),
        SettingProblem::StepTarget { step, max } => {
            let s = track_step(*step, lang);
            t!(
                lang,
                "“{s}”的期限不能超过{max}个工作日",
                "the target of '{s}' cannot exceed {max} working days"
            )
        }
        SettingProblem::StepOrder { step, previous } => {
            let (s, p) = (track_step(*step, lang), track_step(*previous, lang));
            t!(
                lang,
                "“{s}”的期限不能早于上一步“{p}”",
                "the target of '{s}' cannot be before the step before it, '{p}'"
            )
        }
        SettingProblem::LegalAidTarget {
            channel: c,
            step,
            max,
        } => {
            let (c, s) = (channel(*c, lang), la_step(*step, lang));
            t!(
                lang,
                "法律援助{c}的{s}期限不能超过{max}个工作日",
                "legal aid ({c}): the {s} target cannot exceed {max} working days"
            )
        }
        SettingProblem::AcceptAfterDecide { channel: c } => {
            let c = channel(*c, lang);
            t!(
                lang,
                "法律援助{c}的受理期限不能晚于审查决定期限",
                "legal aid ({c}): acceptance cannot be due after the decision"
            )
        }
        SettingProblem::GreenSlower { step } => {
            let s = la_step(*step, lang);
            t!(
                lang,
                "法律援助绿色通道的{s}期限不能长于普通程序",
                "legal aid: the green channel's {s} target cannot be longer than the ordinary one"
            )
        }
        SettingProblem::DuplicateScores { min, max } => t!(
            lang,
            "疑似重复的分数线应在{min}至{max}之间，且“很可能”不低于“可能”",
            "duplicate scores must be {min} to {max}, and the likely score not below the candidate score"
        ),
        SettingProblem::Office { max } => t!(
            lang,
            "填报单位不能超过{max}个字，且不能含控制字符",
            "the office name cannot exceed {max} characters or hold control characters"
        ),
    }
}

/// A refused ledger cell: where (sheet, row as Excel numbers it, header as written in the
/// file) and why; never the cell's value.
fn ledger_refusal(at: &crate::problem::LedgerCell, lang: Lang, why: &str) -> String {
    // In English the sheet and the column are named by place and key: their names are
    // the file's own (Chinese) text.
    let (sheet, row, header, column) = (&at.sheet, at.row, &at.header, &at.column);
    let (index, letter) = (at.sheet_index, &at.letter);
    t!(
        lang,
        "台账被拒绝，未写入任何数据：工作表“{sheet}”第{row}行“{header}”列{why}",
        "Ledger refused, nothing was written: sheet {index}, row {row}, column {letter} ({column}) {why}"
    )
}

/// A rule's warning.
pub fn warning(w: &Warning, lang: Lang) -> String {
    match w {
        Warning::AgeUnknown => lang
            .pick(
                "出生日期不详，无法确认是否年满十六周岁（R-EMP-16）",
                "Birth date unknown: cannot confirm the person is 16 or over (R-EMP-16)",
            )
            .to_owned(),
        Warning::EstimatedBirthDate { age } => t!(
            lang,
            "出生日期为估计值，按估计年龄{age}岁判断，请核实（R-EMP-16）",
            "The birth date is estimated (age {age} by the estimate): please confirm (R-EMP-16)"
        ),
        Warning::IdBirthDateMismatch { id_birth, recorded } => {
            let (i, r) = (date(*id_birth, lang), date(*recorded, lang));
            t!(
                lang,
                "身份证号码中的出生日期（{i}）与登记的出生日期（{r}）不一致（R-ID-NUM）",
                "The ID number's birth date ({i}) differs from the recorded birth date ({r}) (R-ID-NUM)"
            )
        }
        Warning::CalendarFallback { years } => {
            let list: Vec<String> = years.iter().map(i32::to_string).collect();
            match lang {
                Lang::Zh => {
                    let y = list
                        .iter()
                        .map(|y| format!("{y}年"))
                        .collect::<Vec<_>>()
                        .join("、");
                    format!("{y}节假日安排未载入，按周一至周五计算工作日")
                }
                Lang::En => {
                    let y = list.join(", ");
                    let what = if years.len() == 1 {
                        "calendar is"
                    } else {
                        "calendars are"
                    };
                    format!(
                        "The {y} holiday {what} not loaded: working days assumed Monday to Friday"
                    )
                }
            }
        }
        Warning::MinorInterviewWithoutGuardian => lang
            .pick(
                "询问未成年人时应有监护人或社会工作者在场",
                "A guardian or social worker should be present when a minor is interviewed",
            )
            .to_owned(),
        Warning::DistrictApprovalNeeded => lang
            .pick(
                "身份三个月未查明，安置须报区政府同意（R-ID-3M）",
                "Identity not established within three months: the placement needs district government approval (R-ID-3M)",
            )
            .to_owned(),
        Warning::BeforeIntake { field: f, received } => {
            let (f, received) = (field(f, lang), date(*received, lang));
            t!(
                lang,
                "“{f}”早于个案的接收日期（{received}），请核对（R-DATE）",
                "'{f}' is before the case was received ({received}): please check (R-DATE)"
            )
        }
        Warning::BirthDateInFuture => lang
            .pick(
                "出生日期晚于今天，请核对（R-DATE）",
                "The birth date is after today: please check (R-DATE)",
            )
            .to_owned(),
        Warning::AgeOver100 { age } => t!(
            lang,
            "按出生日期计算已{age}岁，请核对（R-DATE）",
            "The birth date makes the person {age} years old: please check (R-DATE)"
        ),
        Warning::UnknownParents { guidance } => match guidance {
            UnknownParentsGuidance::NotApplicable => String::new(),
            UnknownParentsGuidance::TemporaryGuardianship => lang
                .pick(
                    "父母或监护人无法查找：应由未成年人救助保护机构临时监护（R-PL-UNKNOWN）",
                    "Parents cannot be found: temporary guardianship by a minor-protection centre (R-PL-UNKNOWN)",
                )
                .to_owned(),
            UnknownParentsGuidance::ChildWelfare => lang
                .pick(
                    "临时监护期满仍无法查明父母：应由儿童福利机构长期养育（R-PL-UNKNOWN）",
                    "Parents still not found after temporary guardianship: placement with a child-welfare institution (R-PL-UNKNOWN)",
                )
                .to_owned(),
            UnknownParentsGuidance::Done => lang
                .pick(
                    "已由儿童福利机构养育（R-PL-UNKNOWN）",
                    "Placed with a child-welfare institution (R-PL-UNKNOWN)",
                )
                .to_owned(),
        },
        Warning::SchoolSummaryForAdult { age, estimated } => {
            let by = if *estimated {
                lang.pick("按估计的出生日期", " by the estimated birth date")
            } else {
                ""
            };
            t!(
                lang,
                "受害人{by}已满{age}周岁，是成年人；学校移交摘要用于未成年人，请确认文件类别（R-PRINT-FIT）",
                "The person is {age}{by}, an adult: a school's hand-off summary is for minors, check the kind of file (R-PRINT-FIT)"
            )
        }
        Warning::SchoolSummaryAgeUnknown => lang
            .pick(
                "出生日期不详，无法确认受害人是否为未成年人；学校移交摘要用于未成年人（R-PRINT-FIT）",
                "Birth date unknown: cannot confirm the person is a minor, and a school's hand-off summary is for minors (R-PRINT-FIT)",
            )
            .to_owned(),
    }
}

/// What a deadline is for.
pub fn due_what(w: &DueWhat, lang: Lang) -> String {
    match w {
        DueWhat::Id3mDeadline => lang
            .pick("三个月身份查明期限", "three-month identity deadline")
            .to_owned(),
        DueWhat::Id3mStep { step } => {
            let s = track_step(*step, lang);
            t!(
                lang,
                "户籍安置程序：{s}",
                "household-registration track: {s}"
            )
        }
        DueWhat::LegalAidStep {
            step,
            green_channel,
        } => {
            let s = la_step(*step, lang);
            match (lang, green_channel) {
                (Lang::Zh, true) => format!("法律援助（绿色通道）：{s}"),
                (Lang::Zh, false) => format!("法律援助：{s}"),
                (Lang::En, true) => format!("legal aid (green channel): {s}"),
                (Lang::En, false) => format!("legal aid: {s}"),
            }
        }
        DueWhat::FollowUpVisit => lang.pick("下次回访", "next follow-up visit").to_owned(),
    }
}

/// One line of a case's history: what was done to what, with the changed fields by
/// their labels (`修改记录（跟踪回访）：生活状况、发现的需求`). `action` is `create`,
/// `update` or `import`; `entity` is `person`, `case` or `record`; `record_kind` names
/// the record's schema.
pub fn history_summary(
    action: &str,
    entity: &str,
    record_kind: Option<&str>,
    fields: &[&str],
    lang: Lang,
) -> String {
    let act = match action {
        "create" => lang.pick("新建", "created "),
        "update" => lang.pick("修改", "changed "),
        "import" => lang.pick("导入", "imported "),
        "void" => lang.pick("作废", "voided "),
        "restore" => lang.pick("恢复", "restored "),
        _ => "",
    };
    let kind_label = record_kind.and_then(|k| {
        guitu_domain::schema::document()
            .records
            .iter()
            .find(|r| r.kind == k)
            .map(|r| match lang {
                Lang::Zh => r.zh.clone(),
                Lang::En => r.en.clone(),
            })
    });
    let what = match (entity, lang) {
        ("person", Lang::Zh) => "受害人信息".to_owned(),
        ("person", Lang::En) => "the person".to_owned(),
        ("case", Lang::Zh) => "个案信息".to_owned(),
        ("case", Lang::En) => "the case".to_owned(),
        (_, Lang::Zh) => match &kind_label {
            Some(k) => format!("记录（{k}）"),
            None => "记录".to_owned(),
        },
        (_, Lang::En) => match &kind_label {
            Some(k) => format!("a record ({k})"),
            None => "a record".to_owned(),
        },
    };
    let schema = match entity {
        "person" | "case" => Some(entity),
        _ => record_kind,
    };
    let labels: Vec<String> = fields
        .iter()
        .filter(|f| !f.is_empty() && **f != "type")
        .map(|f| match schema {
            Some(s) => field(&format!("{s}.{f}"), lang),
            None => (*f).to_owned(),
        })
        .collect();
    if labels.is_empty() || action != "update" {
        format!("{act}{what}")
    } else {
        match lang {
            Lang::Zh => format!("{act}{what}：{}", labels.join("、")),
            Lang::En => format!("{act}{what}: {}", labels.join(", ")),
        }
    }
}

fn thing(t: Thing, lang: Lang) -> &'static str {
    match t {
        Thing::Case => lang.pick("个案", "case"),
        Thing::Person => lang.pick("人员", "person"),
        Thing::Record => lang.pick("记录", "record"),
        Thing::CaseNumber => lang.pick("个案编号", "case number"),
        Thing::User => lang.pick("用户", "user"),
        Thing::KeySlot => lang.pick("密钥槽", "key slot"),
        Thing::Id => lang.pick("标识", "id"),
        Thing::Approval => lang.pick("审批申请", "approval request"),
        Thing::Merge => lang.pick("合并记录", "merge"),
        Thing::Peer => lang.pick("对端设备", "peer device"),
        Thing::Conflict => lang.pick("冲突", "conflict"),
    }
}

fn bundle_problem(b: &BundleProblem, lang: Lang) -> String {
    match b {
        BundleProblem::NotABundle => lang
            .pick("这不是归途移交包", "this is not a Guitu bundle")
            .to_owned(),
        BundleProblem::NotForThisDevice => lang
            .pick(
                "此移交包是发给另一台设备的",
                "it was made for another device",
            )
            .to_owned(),
        BundleProblem::Damaged => lang
            .pick(
                "文件在生成后被改动或不完整",
                "the file was changed or cut off after it was made",
            )
            .to_owned(),
        BundleProblem::UnknownSender => lang
            .pick(
                "发送设备不是本机的对端设备，请先添加其联系卡",
                "the sending device is not a peer: add its contact card first",
            )
            .to_owned(),
        BundleProblem::RemovedSender => lang
            .pick(
                "发送设备已被移除",
                "the sending device was removed from the peers",
            )
            .to_owned(),
        BundleProblem::Forged => lang
            .pick(
                "签名与发送设备的密钥不符，可能被伪造或篡改",
                "its signature does not match the sender's key: forged or altered",
            )
            .to_owned(),
        BundleProblem::NewerFormat { version } => t!(
            lang,
            "由更新版本的归途生成（格式 {version}），请先升级",
            "it was made by a newer Guitu (format {version}): upgrade first"
        ),
        BundleProblem::OwnBundle => lang
            .pick("这是本机生成的移交包", "this device made it")
            .to_owned(),
        BundleProblem::MissingBase => lang
            .pick(
                "其中的修改所依据的人员、个案或记录不在本档案库中",
                "a change in it builds on a person, case or record this vault does not hold",
            )
            .to_owned(),
        BundleProblem::Invalid => lang
            .pick(
                "其中的修改不符合记录格式",
                "a change in it does not fit the record schema",
            )
            .to_owned(),
        BundleProblem::NotShared => lang
            .pick(
                "其中有对本机未与发送设备共享的个案的修改",
                "a change in it concerns a case this vault never shared with the sender",
            )
            .to_owned(),
        BundleProblem::CaseNumberTaken => lang
            .pick(
                "其中个案的编号已被本档案库的另一个个案使用",
                "a case in it has a case number another case here already has",
            )
            .to_owned(),
    }
}

fn io_kind(k: IoKind, lang: Lang) -> &'static str {
    match k {
        IoKind::NotFound => lang.pick("文件或目录不存在", "it does not exist"),
        IoKind::PermissionDenied => lang.pick("没有权限", "permission denied"),
        IoKind::AlreadyExists => lang.pick("已存在", "it already exists"),
        IoKind::DiskFull => lang.pick("磁盘已满", "the disk is full"),
        IoKind::ReadOnly => lang.pick("只读存储", "read-only storage"),
        IoKind::IsADirectory => lang.pick("这是一个目录", "it is a folder"),
        IoKind::Other => lang.pick("读写失败", "input/output error"),
    }
}

fn backup_problem(b: &BackupProblem, lang: Lang) -> String {
    match b {
        BackupProblem::NotBackup => lang
            .pick(
                "文件开头不是归途备份",
                "it does not start like a Guitu backup",
            )
            .to_owned(),
        BackupProblem::Checksum => lang
            .pick(
                "校验和不符：文件不完整或已损坏",
                "its checksum does not match: the file is truncated or damaged",
            )
            .to_owned(),
        BackupProblem::Truncated => lang.pick("文件不完整", "it is truncated").to_owned(),
        BackupProblem::Header => lang
            .pick("其中的密钥信息已损坏", "its key header is damaged")
            .to_owned(),
        BackupProblem::DatabaseOpen => lang
            .pick("其中的数据库无法打开", "the database inside does not open")
            .to_owned(),
        BackupProblem::Integrity => lang
            .pick(
                "其中的数据库未通过完整性检查",
                "the database inside fails its integrity check",
            )
            .to_owned(),
        BackupProblem::TrailingData => lang
            .pick("数据库之后还有多余的内容", "it has data after the database")
            .to_owned(),
        BackupProblem::AuditEmpty => lang
            .pick("其中的审计记录是空的", "its audit trail is empty")
            .to_owned(),
        BackupProblem::AuditBroken { seq } => t!(
            lang,
            "其中的审计记录在第{seq}条处断开",
            "its audit trail is broken at entry {seq}"
        ),
    }
}

fn location(at: &ImportLocation, lang: Lang) -> String {
    let list = match (at.list.as_str(), lang) {
        ("persons", Lang::Zh) => "人员",
        ("cases", Lang::Zh) => "个案",
        ("records", Lang::Zh) => "记录",
        (other, _) => other,
    };
    let n = at.index + 1;
    match (&at.id, lang) {
        (Some(id), Lang::Zh) => format!("第{n}条{list}（{id}）"),
        (None, Lang::Zh) => format!("第{n}条{list}"),
        (Some(id), Lang::En) => format!("{list}[{}] ({id})", at.index),
        (None, Lang::En) => format!("{list}[{}]", at.index),
    }
}

fn import_problem(p: &ImportProblem, lang: Lang) -> String {
    match p {
        ImportProblem::UnknownValue { allowed } => {
            let a = allowed.join(", ");
            t!(
                lang,
                "不是允许的值（可选：{a}）",
                "not an allowed value (use {a})"
            )
        }
        ImportProblem::MissingField { field: f } => {
            t!(lang, "缺少字段 {f}", "the field {f} is missing")
        }
        ImportProblem::UnknownField { field: f } => t!(
            lang,
            "格式中没有字段 {f}（不得导入基因数据等格式外的内容）",
            "the format has no field {f} (nothing outside the format, such as genetic data, is imported)"
        ),
        ImportProblem::WrongType { expected } => {
            let kind = match expected {
                ValueKind::Text => lang.pick("文本", "text"),
                ValueKind::Number => lang.pick("数字", "a number"),
                ValueKind::Bool => lang.pick("true 或 false", "true or false"),
                ValueKind::List => lang.pick("列表", "a list"),
                ValueKind::Object => lang.pick("对象", "an object"),
                ValueKind::Date => lang.pick("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
                ValueKind::Time => lang.pick("时间（RFC 3339）", "a time (RFC 3339)"),
                ValueKind::Other => lang.pick("另一种值", "another kind of value"),
            };
            t!(
                lang,
                "值的类型不对，应为{kind}",
                "wrong kind of value: expected {kind}"
            )
        }
        ImportProblem::BadDate => lang
            .pick(
                "不是有效日期，应写作 YYYY-MM-DD，例如 2026-01-31",
                "not a real date written YYYY-MM-DD, e.g. 2026-01-31",
            )
            .to_owned(),
        ImportProblem::BadId => lang
            .pick(
                "不是规范的标识（小写带连字符的UUID）",
                "not a canonical id (a lower-case UUID with hyphens)",
            )
            .to_owned(),
        ImportProblem::TooLong => lang.pick("值过长", "the value is too long").to_owned(),
        ImportProblem::Invalid => lang
            .pick("值不符合格式", "the value does not fit the format")
            .to_owned(),
    }
}

/// A problem a use case reported, as one sentence.
pub fn problem(p: &Problem, lang: Lang) -> String {
    match p {
        Problem::WrongPassphrase => lang
            .pick(
                "密码或恢复码不正确，档案库未作任何改动",
                "Wrong passphrase or recovery code; the vault was not changed",
            )
            .to_owned(),
        Problem::UserDisabled => lang
            .pick(
                "此用户已被停用，请联系管理员",
                "This user has been disabled: ask an administrator",
            )
            .to_owned(),
        Problem::UserUnknown => lang
            .pick(
                "此用户在档案库中没有角色，请联系管理员添加",
                "This user has no role in the vault: ask an administrator to add it",
            )
            .to_owned(),
        Problem::UserExists => lang
            .pick("已有同名用户", "A user of that name exists already")
            .to_owned(),
        Problem::UserIsSelf => lang
            .pick(
                "不能停用或删除自己的账户",
                "You cannot disable or remove your own account",
            )
            .to_owned(),
        Problem::UserLastAdministrator => lang
            .pick(
                "档案库至少要保留一名可用的管理员",
                "The vault must keep at least one active administrator",
            )
            .to_owned(),
        Problem::UsersMustUnlock { users } => {
            let users = users.join(lang.pick("、", ", "));
            t!(
                lang,
                "以下用户需先登录一次，才能删除用户：{users}",
                "These users must unlock once before a user can be removed: {users}"
            )
        }
        Problem::NoVault { dir } => t!(
            lang,
            "{dir} 中没有档案库，请先创建",
            "There is no vault in {dir}: create one first"
        ),
        Problem::VaultExists { dir } => t!(
            lang,
            "{dir} 中已有档案库",
            "A vault already exists in {dir}"
        ),
        Problem::NotWritable { path } => t!(
            lang,
            "无法写入 {path}，请检查权限或换一个目录",
            "{path} cannot be written: check its permissions or choose another folder"
        ),
        Problem::DiskFull { dir } => t!(
            lang,
            "磁盘已满：{dir} 所在的磁盘没有空间，请腾出空间后重试；已保存的数据未受影响",
            "Disk full: the disk holding {dir} has no space left; free some space and try again (what was saved is unharmed)"
        ),
        Problem::VaultIo { path, kind } => {
            let k = io_kind(*kind, lang);
            t!(
                lang,
                "档案库文件 {path} 读写失败（{k}）",
                "The vault file {path} could not be read or written ({k})"
            )
        }
        Problem::HeaderCorrupt => lang
            .pick(
                "档案库的密钥文件已损坏，请从备份恢复",
                "The vault's key file is damaged: restore it from a backup",
            )
            .to_owned(),
        Problem::NewerVersion { found, supported } => t!(
            lang,
            "此档案库由更新版本的归途创建（结构版本{found}，本程序支持到{supported}），请升级归途后再打开；文件未作改动",
            "This vault was made by a newer version of Guitu (schema {found}, this build knows up to {supported}): upgrade Guitu to open it; nothing was changed"
        ),
        Problem::Crypto => lang
            .pick("加密运算失败", "A cryptographic operation failed")
            .to_owned(),
        Problem::WeakPassphrase { min } => t!(
            lang,
            "密码太短，至少需要{min}个字符",
            "The passphrase is too short: at least {min} characters"
        ),
        Problem::LastSlot => lang
            .pick(
                "不能删除档案库的最后一个密钥，否则再也无法打开",
                "The last key of the vault cannot be removed: it could never be opened again",
            )
            .to_owned(),
        Problem::NotFound { what, reference } => {
            let w = thing(*what, lang);
            t!(lang, "未找到{w}：{reference}", "No {w} {reference}")
        }
        Problem::Duplicate { what, value } => {
            let w = thing(*what, lang);
            t!(lang, "{w}已存在：{value}", "The {w} {value} already exists")
        }
        Problem::Corrupt => lang
            .pick(
                "档案库数据已损坏，请运行“guitu verify”并从备份恢复",
                "The vault is damaged: run 'guitu verify' and restore from a backup",
            )
            .to_owned(),
        Problem::BadBackup { reason } => {
            let r = backup_problem(reason, lang);
            t!(
                lang,
                "不是有效的归途备份文件：{r}",
                "Not a valid Guitu backup: {r}"
            )
        }
        Problem::DatabaseMissing { dir } => t!(
            lang,
            "{dir} 中的档案库数据库 guitu.db 不见了（密钥文件还在），请从备份恢复",
            "The vault database guitu.db is missing from {dir} (the key file is there): restore a backup"
        ),
        Problem::DatabaseEmpty { dir } => t!(
            lang,
            "{dir} 中的档案库数据库 guitu.db 是空的（被截断或替换），未作任何改动，请从备份恢复",
            "The vault database guitu.db in {dir} is empty (truncated or replaced); nothing was changed: restore a backup"
        ),
        Problem::ChangesMissing {
            dir,
            missing,
            last_known_on,
        } => {
            let when = last_known_on.map(|d| date(d, lang)).unwrap_or_default();
            t!(
                lang,
                "{dir} 中的档案库缺少最近的{missing}项更改（最后一项在{when}）：数据库被换成了旧副本，或其WAL文件被删除或截断；请从备份恢复",
                "The last {missing} changes to the vault in {dir} (the last of {when}) are missing: the database was replaced by an older copy, or its WAL file was deleted or cut short; restore a backup"
            )
        }
        Problem::HistoryDiverged { dir, seq } => t!(
            lang,
            "{dir} 中的档案库数据库被另一个副本替换（第{seq}项更改不符），请从备份恢复",
            "The vault database in {dir} was replaced by another copy (change {seq} differs): restore a backup"
        ),
        Problem::CheckpointMissing { dir } => t!(
            lang,
            "{dir} 中的档案库校验点 vault.check 不见了，无法确认数据完整",
            "The vault checkpoint vault.check is missing from {dir}: the vault cannot be shown to be complete"
        ),
        Problem::CheckpointInvalid { dir } => t!(
            lang,
            "{dir} 中的档案库校验点 vault.check 无效（被改动，或属于另一个档案库）",
            "The vault checkpoint in {dir} is not valid (changed, or another vault's)"
        ),
        Problem::HeaderRolledBack {
            dir,
            found,
            expected,
        } => t!(
            lang,
            "{dir} 中的密钥文件 vault.json 被旧副本替换（第{found}版，应为第{expected}版）；已撤销的密码不能打开档案库",
            "The key file vault.json in {dir} was replaced by an older copy (generation {found}, expected {expected}): a revoked passphrase cannot open the vault"
        ),
        Problem::RestoreOtherVault => lang
            .pick(
                "该备份属于另一个档案库；确认要替换当前档案库时请加 --replace-other-vault",
                "The backup belongs to another vault: confirm with --replace-other-vault to replace this vault",
            )
            .to_owned(),
        Problem::RestoreOlder {
            backup_changes,
            current_changes,
            backup_last_on,
        } => {
            let when = backup_last_on.map(|d| date(d, lang)).unwrap_or_default();
            t!(
                lang,
                "该备份比当前档案库旧（备份到第{backup_changes}项更改，{when}；档案库已有{current_changes}项），恢复将丢失较新的更改；确认时请加 --older",
                "The backup is older than the vault (it ends at change {backup_changes}, of {when}; the vault has {current_changes}): restoring it loses the newer changes; confirm with --older"
            )
        }
        Problem::CasePersonFixed => lang
            .pick(
                "个案不能改属另一名受害人",
                "A case cannot move to another person",
            )
            .to_owned(),
        Problem::SamePerson => lang
            .pick(
                "不能把同一人与自己合并或区分",
                "A person cannot be merged with, or told apart from, themselves",
            )
            .to_owned(),
        Problem::MergeUndone => lang
            .pick("该合并已撤销", "This merge has been undone already")
            .to_owned(),
        Problem::Voided => lang
            .pick(
                "已作废，恢复后才能修改",
                "This has been voided: restore it before changing it",
            )
            .to_owned(),
        Problem::NotVoided => lang
            .pick("未作废，无需恢复", "This is not voided: nothing to restore")
            .to_owned(),
        Problem::RecordKindFixed => lang
            .pick("记录不能改变类别", "A record cannot change its kind")
            .to_owned(),
        Problem::Internal => lang
            .pick(
                "数据库操作失败，请运行“guitu verify”检查档案库",
                "A database operation failed: run 'guitu verify' to check the vault",
            )
            .to_owned(),
        Problem::ImportNotJson { line, column } => t!(
            lang,
            "导入文件不是完整有效的JSON（第{line}行第{column}列），未写入任何数据",
            "The import file is not complete, valid JSON (line {line}, column {column}); nothing was written"
        ),
        Problem::ImportTrailing { line, column } => t!(
            lang,
            "导入文件在JSON文档之后还有内容（第{line}行第{column}列），可能是两个文件拼在一起；未写入任何数据",
            "The import file goes on after its JSON document (line {line}, column {column}): two files joined? Nothing was written"
        ),
        Problem::ImportFormat { supported } => t!(
            lang,
            "不是本程序可读的归途导入文件（format 应为 \"guitu\"，version 1 至 {supported}），未写入任何数据",
            "Not a Guitu file this build reads (format \"guitu\", version 1 to {supported}); nothing was written"
        ),
        Problem::ImportInvalid { path, problem } => {
            let why = import_problem(problem, lang);
            t!(
                lang,
                "导入被拒绝，未写入任何数据：{path} {why}",
                "Import refused, nothing was written: {path}: {why}"
            )
        }
        Problem::ImportRule { at, error } => {
            let (at, why) = (location(at, lang), rule_error(error, lang));
            t!(
                lang,
                "导入被拒绝，未写入任何数据：{at}：{why}",
                "Import refused, nothing was written: {at}: {why}"
            )
        }
        Problem::ImportDuplicateId { at } => {
            let at = location(at, lang);
            t!(
                lang,
                "导入被拒绝，未写入任何数据：{at} 的标识在文件或档案库中重复",
                "Import refused, nothing was written: {at} repeats an id of the file or the vault"
            )
        }
        Problem::ImportDuplicateCaseNumber { at, case_number } => {
            let at = location(at, lang);
            t!(
                lang,
                "导入被拒绝，未写入任何数据：{at} 的个案编号 {case_number} 重复",
                "Import refused, nothing was written: {at}: case number {case_number} appears twice"
            )
        }
        Problem::ImportMissingReference {
            at,
            field: f,
            target,
        } => {
            let at = location(at, lang);
            t!(
                lang,
                "导入被拒绝，未写入任何数据：{at} 的字段 {f} 指向不存在的 {target}",
                "Import refused, nothing was written: {at}: field {f} names {target}, which does not exist"
            )
        }
        Problem::ImportUndecidedDuplicates { count } => t!(
            lang,
            "导入被拒绝，未写入任何数据：有{count}对人员可能与档案库中的人员重复，请逐对确认是否同一人",
            "Import refused, nothing was written: {count} persons may already be in the vault; decide for each pair whether it is the same person"
        ),
        Problem::LedgerNotWorkbook => lang
            .pick(
                "不是可读取的Excel工作簿（.xlsx或.xls），未写入任何数据",
                "Not an Excel workbook (.xlsx or .xls) Guitu reads; nothing was written",
            )
            .to_owned(),
        Problem::LedgerNoSheet { sheet } => t!(
            lang,
            "工作簿中没有名为“{sheet}”的工作表",
            "The workbook has no sheet of the name given"
        ),
        Problem::LedgerNoHeader => lang
            .pick(
                "前十行中没有表头行（至少三个可识别的列名，如姓名、身份证号、解救日期）",
                "No header row in the first ten rows (at least three known headers, such as name, ID number, rescue date)",
            )
            .to_owned(),
        Problem::LedgerMissingColumn { column, header } => t!(
            lang,
            "台账缺少“{header}”列，请在对应关系中指定",
            "The ledger has no column for {column}: map one to it"
        ),
        Problem::LedgerColumnTwice { column, header } => t!(
            lang,
            "有两列都对应“{header}”，请只保留一列",
            "Two columns are mapped to {column}: keep one"
        ),
        Problem::LedgerBadMap => lang
            .pick(
                "对应关系文件应为JSON对象：列名 → 字段名",
                "The mapping file must be a JSON object of header texts to column keys",
            )
            .to_owned(),
        Problem::LedgerUnknownMapColumn { given, allowed } => {
            let a = allowed.join(", ");
            t!(
                lang,
                "对应关系文件中的字段名“{given}”不存在，可用：{a}",
                "The mapping file names an unknown column “{given}”; known: {a}"
            )
        }
        Problem::LedgerMapHeaderMissing => lang
            .pick(
                "对应关系文件中的列名在表头行中找不到",
                "The mapping file names a header the header row does not have",
            )
            .to_owned(),
        Problem::LedgerNoInstitution => lang
            .pick(
                "台账没有“接收机构”列，设置中也没有填报单位：请指定该列或先设置填报单位",
                "The ledger has no receiving-institution column and no office is set: map a column or set the office in the settings",
            )
            .to_owned(),
        Problem::LedgerEmpty => lang
            .pick("台账没有数据行，未写入任何数据", "The ledger has no rows; nothing was written")
            .to_owned(),
        Problem::LedgerAlreadyImported => lang
            .pick(
                "这份台账（同一文件、同一工作表）已经导入过，未写入任何数据",
                "This ledger (the same file and sheet) was imported already; nothing was written",
            )
            .to_owned(),
        Problem::LedgerWriteFailed => lang
            .pick("台账文件生成失败", "The ledger file could not be made")
            .to_owned(),
        Problem::LedgerMissingValue { at } => ledger_refusal(at, lang, lang.pick("不能为空", "must not be blank")),
        Problem::LedgerNotADate { at } => ledger_refusal(at, lang, lang.pick("不是日期", "is not a date")),
        Problem::LedgerImpossibleDate { at } => ledger_refusal(
            at,
            lang,
            lang.pick("是不存在的日期", "is a date that does not exist"),
        ),
        Problem::LedgerFutureDate { at } => ledger_refusal(
            at,
            lang,
            lang.pick("是将来的日期", "is a date in the future"),
        ),
        Problem::LedgerBadIdNumber { at, problem } => {
            let why = rule_error(&DomainError::InvalidResidentId { problem: *problem }, lang);
            ledger_refusal(at, lang, &why)
        }
        Problem::LedgerIdAsNumber { at } => ledger_refusal(
            at,
            lang,
            lang.pick(
                "身份证号被存成了数字，后几位已丢失：请把该列设为文本后重新录入",
                "holds an ID number stored as a number, its last digits lost: make the column text and type it again",
            ),
        ),
        Problem::LedgerUnknownValue { at, allowed } => {
            let why = match lang {
                Lang::Zh => format!("不是可用的值（{}）", allowed.join("、")),
                Lang::En => format!("is not one of the values it takes ({})", allowed.join(", ")),
            };
            ledger_refusal(at, lang, &why)
        }
        Problem::LedgerTooLong { at, max } => {
            let why = t!(lang, "超过{max}个字", "is longer than {max} characters");
            ledger_refusal(at, lang, &why)
        }
        Problem::LedgerErrorCell { at } => ledger_refusal(
            at,
            lang,
            lang.pick("是Excel错误值（如#N/A）", "holds an Excel error value (such as #N/A)"),
        ),
        Problem::LedgerRule { at, error } => {
            let why = rule_error(error, lang);
            ledger_refusal(at, lang, &why)
        }
        Problem::File { path, kind } => {
            let k = io_kind(*kind, lang);
            t!(
                lang,
                "无法读写文件 {path}（{k}）",
                "Cannot read or write {path} ({k})"
            )
        }
        Problem::WeakPdfPassword { min } => t!(
            lang,
            "PDF密码太短，至少需要{min}个字符",
            "The PDF password is too short: at least {min} characters"
        ),
        Problem::PrintFailed => lang
            .pick("无法生成PDF文件", "The PDF could not be made")
            .to_owned(),
        Problem::HandoffBasisNeeded { recipient, allowed } => {
            use guitu_domain::label::LabelledEnum;
            let r = label(recipient, lang);
            let a = allowed
                .iter()
                .map(|b| match lang {
                    Lang::Zh => format!("{}（{}）", b.as_str(), b.zh()),
                    Lang::En => format!("{} ({})", b.as_str(), b.en()),
                })
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", "));
            t!(
                lang,
                "向{r}移交须有依据：本个案没有对{r}有效的信息共享同意，请说明法律依据，可选：{a}",
                "A hand-off to a recipient of the kind '{r}' needs a basis: the case has no consent in force for it; give a legal basis: {a}"
            )
        }
        Problem::BadDate { value } => t!(
            lang,
            "日期“{value}”无效，应为 YYYY-MM-DD，例如 2026-01-31",
            "'{value}' is not a date: use YYYY-MM-DD, e.g. 2026-01-31"
        ),
        Problem::BadYear { given, min, max } => t!(
            lang,
            "年份{given}无效，应在{min}年至{max}年之间",
            "{given} is not a year Guitu reports on: use {min} to {max}"
        ),
        Problem::EmptyUser => lang
            .pick("用户名不能为空", "The user name is empty")
            .to_owned(),
        Problem::PassphrasesDiffer => lang
            .pick("两次输入的密码不一致", "The two passphrases differ")
            .to_owned(),
        Problem::UnknownBasis { given, allowed } => {
            let a = allowed.join(", ");
            t!(
                lang,
                "移交依据“{given}”无效，可选：{a}",
                "Unknown legal basis '{given}': use {a}"
            )
        }
        Problem::UnknownRole { given, allowed } => {
            let a = allowed.join(", ");
            t!(
                lang,
                "角色“{given}”无效，可选：{a}",
                "Unknown role “{given}”; use one of: {a}"
            )
        }
        Problem::UnknownSubject { given, allowed } => {
            let a = allowed.join(", ");
            t!(
                lang,
                "审批事项“{given}”无效，可选：{a}",
                "Unknown approval subject “{given}”; use one of: {a}"
            )
        }
        Problem::BadPersonPair { given } => t!(
            lang,
            "“{given}”应写作 文件人员ID=档案库人员ID（或其个案编号）",
            "“{given}” must be FILE_PERSON=VAULT_PERSON (ids, or a case number for the vault's person)"
        ),
        Problem::UnknownPrintKind { given, allowed } => {
            let a = allowed.join(", ");
            t!(
                lang,
                "打印类型“{given}”无效，可选：{a}",
                "Unknown kind of printed file '{given}': use {a}"
            )
        }
        Problem::NoDataDir => lang
            .pick(
                "找不到用户数据目录，请用 GUITU_VAULT 或 --vault 指定档案库目录",
                "No user data folder found: give the vault folder with GUITU_VAULT or --vault",
            )
            .to_owned(),
        Problem::NoTerminal { variable } => t!(
            lang,
            "未提供密码：标准输入不是终端，无法提示输入；请在终端中运行，或设置环境变量 {variable}",
            "No passphrase given: standard input is not a terminal, so it cannot be asked for; run in a terminal or set the environment variable {variable}"
        ),
        Problem::DemoNeedsTraining => lang
            .pick(
                "演示数据只能放入培训库，不能放入正式档案库；加 --training 选项即放入本档案库旁的培训库",
                "Demo data goes only into a training vault, never into a real one: add --training to put it into the training vault beside this vault",
            )
            .to_owned(),
        Problem::TrainingAlreadyOpen => lang
            .pick("已在培训库中", "This is already a training vault")
            .to_owned(),
        Problem::BundleRefused { reason } => {
            let r = bundle_problem(reason, lang);
            t!(lang, "移交包未接收，档案库未作任何改动：{r}", "The bundle was refused and nothing was changed: {r}")
        }
        Problem::BadCard => lang
            .pick(
                "不是有效的归途设备联系卡：格式、密钥、指纹或签名不符",
                "Not a valid Guitu contact card: its format, keys, fingerprint or signature do not match",
            )
            .to_owned(),
        Problem::OwnDevice => lang
            .pick("这是本机自己的联系卡", "This is this device's own contact card")
            .to_owned(),
        Problem::ConflictValue => lang
            .pick("所填的值不符合该字段的格式", "The value does not fit the field")
            .to_owned(),
        Problem::FingerprintMismatch => lang
            .pick(
                "核对的指纹与联系卡不符，未添加对端设备：请与对方重新核对",
                "The fingerprint compared is not the card's: the peer was not added; compare again with the other side",
            )
            .to_owned(),
        Problem::UnknownPeer { given } => t!(
            lang,
            "没有名为或标识为“{given}”的对端设备（guitu peer list）",
            "No peer named or with the id \"{given}\" (guitu peer list)"
        ),
        Problem::UnknownRecipientKind { given, allowed } => {
            let a = allowed.join(", ");
            t!(
                lang,
                "接收方类别“{given}”无效，可选：{a}",
                "Unknown kind of recipient \"{given}\": use {a}"
            )
        }
        Problem::BundleNoCases => lang
            .pick(
                "没有与该设备共享的个案：请选择要发送的个案",
                "No case is shared with that device: choose the cases to send",
            )
            .to_owned(),
        Problem::Locked => lang
            .pick(
                "档案库已锁定，请先解锁",
                "The vault is locked: unlock it first",
            )
            .to_owned(),
        Problem::AppInternal => lang
            .pick(
                "内部错误，请重新启动应用",
                "Internal error: restart the app",
            )
            .to_owned(),
        Problem::Rule(e) => rule_error(e, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn dates_read_as_their_readers_write_them() {
        assert_eq!(date(d(2026, 1, 31), Lang::Zh), "2026年1月31日");
        assert_eq!(date(d(2026, 1, 31), Lang::En), "31 Jan 2026");
    }

    #[test]
    fn an_unknown_person_is_named_in_the_readers_language() {
        assert_eq!(
            person_name(None, Some("JS-17"), Lang::Zh),
            "身份不明（JS-17）"
        );
        assert_eq!(
            person_name(None, Some("JS-17"), Lang::En),
            "Identity unknown (JS-17)"
        );
        assert_eq!(person_name(Some("李娜"), Some("JS-17"), Lang::En), "李娜");
    }

    #[test]
    fn rule_errors_name_the_field_by_its_label_in_one_language() {
        let e = DomainError::EndBeforeStart {
            field: "shelter_stay.discharged".into(),
            start_field: "shelter_stay.admitted".into(),
            start: d(2026, 1, 10),
            end: d(2026, 1, 9),
        };
        let zh = rule_error(&e, Lang::Zh);
        assert!(zh.contains("离站日期") && zh.contains("入站日期"), "{zh}");
        assert!(!zh.contains("discharged"), "no English in Chinese: {zh}");
        let en = rule_error(&e, Lang::En);
        assert!(
            en.contains("discharged") && en.contains("9 Jan 2026"),
            "{en}"
        );
        assert!(!has_han(&en), "no Chinese in English: {en}");
        let nested = rule_error(
            &DomainError::Required {
                field: "person.guardians.name".into(),
            },
            Lang::Zh,
        );
        assert!(
            nested.contains("监护人姓名"),
            "nested labels join: {nested}"
        );
    }

    #[test]
    fn the_passphrase_is_called_mima_in_every_chinese_text() {
        // One word for one thing: 密码, never the bookish alternative (built here so this
        // test's own source does not hold it).
        let other: String = ['口', '令'].iter().collect();
        for (file, source) in [
            ("render.rs", include_str!("render.rs")),
            ("values.rs", include_str!("values.rs")),
            ("report.rs", include_str!("report.rs")),
            ("problem.rs", include_str!("problem.rs")),
            ("cli main.rs", include_str!("../../cli/src/main.rs")),
            ("cli output.rs", include_str!("../../cli/src/output.rs")),
        ] {
            assert!(
                !source.contains(&other),
                "{file} calls the passphrase {other}; the glossary's word is 密码"
            );
        }
        assert!(
            problem(&Problem::WrongPassphrase, Lang::Zh).contains("密码"),
            "the wrong-passphrase message uses 密码"
        );
    }

    #[test]
    fn english_problems_hold_no_chinese() {
        let samples = [
            Problem::WrongPassphrase,
            Problem::DiskFull { dir: "/v".into() },
            Problem::ImportRule {
                at: ImportLocation {
                    list: "records".into(),
                    index: 3,
                    id: None,
                },
                error: DomainError::RepeatInterviewNeedsReason,
            },
            Problem::LedgerImpossibleDate {
                at: Box::new(crate::problem::LedgerCell {
                    sheet: "登记表".into(),
                    sheet_index: 1,
                    row: 12,
                    letter: "E".into(),
                    header: "解救日期".into(),
                    column: "received_date".into(),
                }),
            },
            Problem::LedgerNoHeader,
            Problem::LedgerNoInstitution,
            Problem::Rule(DomainError::BadSetting {
                problem: SettingProblem::StepOrder {
                    step: TrackStep::SocialAssistance,
                    previous: TrackStep::HouseholdRegistration,
                },
            }),
        ];
        for p in samples {
            let en = problem(&p, Lang::En);
            assert!(!has_han(&en), "{}: {en}", p.code());
            let zh = problem(&p, Lang::Zh);
            assert!(has_han(&zh), "{}: {zh}", p.code());
        }
    }
}
