//! The annual report's words (R-ANNUAL): its title, its cells, its notes and the reminder
//! of its due date, for the CLI, the PDF and the spreadsheet.

use guitu_domain::report::{AnnualReportDue, Cell, SUPPRESS_BELOW, Share, Shown};

use crate::render::{Lang, date};

/// The report's title: 2026年度 被拐卖受害人救助帮扶工作情况统计.
pub fn report_title(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{year}年度 被拐卖受害人救助帮扶工作情况统计"),
        Lang::En => format!("Assistance to trafficking victims in {year}: annual figures"),
    }
}

/// What a small count is printed as: "<5".
pub fn small_count() -> String {
    format!("<{SUPPRESS_BELOW}")
}

/// What a withheld count or share is printed as.
pub fn withheld(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "不公布",
        Lang::En => "withheld",
    }
}

/// A cell as text: the number, "<5", 不公布, a percentage, or "—" for a share without base.
pub fn report_cell(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Count(c) => match c.shown() {
            Shown::Number(n) => n.to_string(),
            Shown::Small => small_count(),
            Shown::Withheld => withheld(lang).to_owned(),
        },
        Cell::Share(s) => match s {
            Share::NoBase => "—".to_owned(),
            Share::Withheld => withheld(lang).to_owned(),
            Share::Permille(_) => format!("{:.1}%", s.percent().unwrap_or(0.0)),
        },
    }
}

/// The notes printed under the report: what "<5" and 不公布 mean and the reference day.
pub fn report_notes(as_of: chrono::NaiveDate, lang: Lang) -> Vec<String> {
    let day = date(as_of, lang);
    let n = SUPPRESS_BELOW;
    match lang {
        Lang::Zh => vec![
            format!("统计截至{day}；该日以后的记录和办理情况不计入。"),
            format!("“<{n}”表示数量为1至{}，为保护受害人隐私不公布具体数字。", n - 1),
            format!(
                "“不公布”：为防止由合计推算出小于{n}的数字而不公布的数量；基数、按时数或未按时数为1至{}的比例亦不公布。",
                n - 1
            ),
            "本表不含任何个人姓名、证件号码、个案编号、机构名称及区以下地名。".to_owned(),
        ],
        Lang::En => vec![
            format!("Figures as of {day}; records and steps dated later are not counted."),
            format!(
                "\"<{n}\": a number from 1 to {}, not shown to protect the persons concerned.",
                n - 1
            ),
            format!(
                "\"withheld\": a number not shown so that a number below {n} cannot be worked out from a total; a share is withheld when its base, the number on time or the rest is 1 to {}.",
                n - 1
            ),
            "No name, ID number, case number, institution or place below the district appears in this report.".to_owned(),
        ],
    }
}

/// The reminder of the annual report's due date (from 1 December).
pub fn report_due(due: &AnnualReportDue, lang: Lang) -> String {
    let day = date(due.due, lang);
    let year = due.year;
    let left = due.days_left;
    match (lang, left) {
        (Lang::Zh, 0) => format!("{year}年度统计报告今天（{day}）截止报送"),
        (Lang::Zh, l) if l > 0 => format!("{year}年度统计报告应于{day}前报送，还有{l}天"),
        (Lang::Zh, l) => format!("{year}年度统计报告应于{day}前报送，已逾期{}天", -l),
        (Lang::En, 0) => format!("The {year} annual report is due today ({day})"),
        (Lang::En, l) if l > 0 => {
            format!("The {year} annual report is due on {day}: {l} days left")
        }
        (Lang::En, l) => format!(
            "The {year} annual report was due on {day}: {} days overdue",
            -l
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guitu_domain::report::Count;

    #[test]
    fn cells_print_small_counts_as_less_than_five() {
        assert_eq!(report_cell(&Cell::Count(Count::of(3)), Lang::Zh), "<5");
        assert_eq!(report_cell(&Cell::Count(Count::of(0)), Lang::Zh), "0");
        assert_eq!(report_cell(&Cell::Count(Count::of(12)), Lang::En), "12");
        assert_eq!(
            report_cell(&Cell::Share(Share::of(7, 12)), Lang::Zh),
            "58.3%"
        );
        assert_eq!(
            report_cell(&Cell::Share(Share::of(3, 3)), Lang::Zh),
            "不公布"
        );
        assert_eq!(report_cell(&Cell::Share(Share::of(0, 0)), Lang::En), "—");
    }

    #[test]
    fn the_reminder_counts_days_left_and_days_overdue() {
        let d = |s: &str| guitu_domain::dates::parse_strict(s).expect("date");
        let due = |today| guitu_domain::report::annual_report_due(d(today)).expect("December");
        assert_eq!(
            report_due(&due("2026-12-01"), Lang::Zh),
            "2026年度统计报告应于2026年12月15日前报送，还有14天"
        );
        assert_eq!(
            report_due(&due("2026-12-15"), Lang::Zh),
            "2026年度统计报告今天（2026年12月15日）截止报送"
        );
        assert_eq!(
            report_due(&due("2026-12-20"), Lang::En),
            "The 2026 annual report was due on 15 Dec 2026: 5 days overdue"
        );
    }
}
