//! The grammar of the six record columns (docs/ledger-format.md): what Guitu's export
//! writes into 身份核查情况, 安置方式, 康复情况, 法律援助, 离站方式及日期 and 回访情况, and
//! reads back as typed records. Anything else in those cells becomes a note, never lost.
//!
//! A cell holds entries, one per line (a line break inside the cell; `；` also separates
//! them when read). An entry is `HEAD（SEGMENT，SEGMENT…）` optionally followed by
//! `：TEXT`. A segment is a date written 2026年1月31日 followed by a keyword (and for some
//! keywords a text), or a keyword followed by a text.

use chrono::NaiveDate;

use guitu_domain::label::Label;
use guitu_domain::model::{
    CarerRelation, FollowUp, IdentityAttempt, IdentityMethod, IdentityOutcome, LegalAid,
    LegalAidDecision, Need, Placement, PlacementKind, RecordBody, RehabService, Rehabilitation,
    ShelterKind, ShelterStay, VisitMode,
};

use crate::cell::{DateProblem, text_date};
use crate::column::LedgerColumn;

/// A date as the ledger writes it: 2026年1月31日.
pub fn fmt_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Free text placed inside the brackets of an entry: no brackets, commas, colons or
/// separators (they would end the segment), as spaces.
fn inner(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| match c {
            '（' | '）' | '(' | ')' | '，' | ',' | '；' | ';' | '：' | ':' | '\n' | '\r' => {
                ' '
            }
            c => c,
        })
        .collect();
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Free text after the colon of an entry: no entry separators.
fn tail(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| match c {
            '；' | ';' | '\n' | '\r' => '，',
            c => c,
        })
        .collect();
    out.trim().to_owned()
}

/// The entries of a cell: its lines and `；`-separated parts, trimmed, blanks dropped.
pub fn entries(cell: &str) -> Vec<String> {
    cell.split(['\n', '\r', '；', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An entry taken apart: head, segments, text after the colon.
struct Entry<'a> {
    head: &'a str,
    segments: Vec<&'a str>,
    text: Option<&'a str>,
}

fn split_entry(e: &str) -> Option<Entry<'_>> {
    let open = e.find(['（', '('])?;
    let head = e[..open].trim();
    let after_open = &e[open + e[open..].chars().next()?.len_utf8()..];
    let close = after_open.find(['）', ')'])?;
    let inside = &after_open[..close];
    let rest = &after_open[close + after_open[close..].chars().next()?.len_utf8()..];
    let rest = rest.trim();
    let text = if rest.is_empty() {
        None
    } else {
        let t = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
        Some(t.trim()).filter(|t| !t.is_empty())
    };
    let segments = inside
        .split(['，', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    Some(Entry {
        head,
        segments,
        text,
    })
}

/// A segment starting with a date (2026年1月31日): the date and what follows it.
fn dated(seg: &str) -> Option<Result<(NaiveDate, &str), DateProblem>> {
    let end = seg.find('日')? + '日'.len_utf8();
    match text_date(&seg[..end]) {
        Ok(d) => Some(Ok((d, seg[end..].trim()))),
        Err(DateProblem::Impossible) => Some(Err(DateProblem::Impossible)),
        Err(DateProblem::NotADate) => None,
    }
}

fn label_of<E: Label + Copy>(all: &[E], s: &str) -> Option<E> {
    all.iter().copied().find(|v| v.zh() == s.trim())
}

/// What an entry of a record column is.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A record in Guitu's grammar.
    Record(RecordBody),
    /// Not in the grammar: kept as a note.
    Text,
}

/// What the grammar needs besides the entry: who decided a placement (the caseworker).
pub struct Context<'a> {
    pub caseworker: &'a str,
}

/// Reads one entry of a record column. An entry in the grammar with a date that does
/// not exist is an error (never guessed); anything else not in the grammar is text.
pub fn parse(column: LedgerColumn, entry: &str, ctx: &Context<'_>) -> Result<Parsed, DateProblem> {
    let Some(e) = split_entry(entry) else {
        return Ok(Parsed::Text);
    };
    let mut dates: Vec<(NaiveDate, &str)> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for s in &e.segments {
        match dated(s) {
            Some(Ok(d)) => dates.push(d),
            Some(Err(p)) => return Err(p),
            None => words.push(s),
        }
    }
    let with = |key: &str| dates.iter().find(|(_, k)| *k == key).map(|(d, _)| *d);
    let body = match column {
        LedgerColumn::Identity => identity(&e, &dates, &words),
        LedgerColumn::Placement => placement(&e, &dates, &words, ctx),
        LedgerColumn::Rehabilitation => {
            let service = label_of(RehabService::ALL, e.head);
            let known = dates.iter().all(|(_, k)| matches!(*k, "起" | "止")) && words.is_empty();
            match (service, with("起"), e.text, known) {
                (Some(service), Some(start), Some(provider), true) => {
                    Some(RecordBody::Rehabilitation(Rehabilitation {
                        service,
                        provider: provider.to_owned(),
                        start,
                        end: with("止"),
                        outcome: None,
                        disability_grade: None,
                        certificate_no: None,
                    }))
                }
                _ => None,
            }
        }
        LedgerColumn::LegalAid => legal_aid(&e, &dates, &words),
        LedgerColumn::Leaving => {
            let kind = label_of(ShelterKind::ALL, e.head);
            let known =
                dates.iter().all(|(_, k)| matches!(*k, "入站" | "离站")) && words.is_empty();
            match (kind, with("入站"), e.text, known) {
                (Some(kind), Some(admitted), Some(institution), true) => {
                    Some(RecordBody::ShelterStay(ShelterStay {
                        institution: institution.to_owned(),
                        kind,
                        admitted,
                        discharged: with("离站"),
                        reason: None,
                    }))
                }
                _ => None,
            }
        }
        LedgerColumn::FollowUp => follow_up(&e, &dates, &words),
        _ => None,
    };
    Ok(body.map_or(Parsed::Text, Parsed::Record))
}

fn identity(e: &Entry<'_>, dates: &[(NaiveDate, &str)], words: &[&str]) -> Option<RecordBody> {
    let method = label_of(IdentityMethod::ALL, e.head)?;
    let [(date, ""), rest @ ..] = dates else {
        return None;
    };
    let [outcome] = words else { return None };
    let outcome = label_of(IdentityOutcome::ALL, outcome)?;
    let verified_date = match (rest, outcome) {
        ([], IdentityOutcome::Verified) => Some(*date),
        ([], _) => None,
        ([(d, "查明")], IdentityOutcome::Verified) => Some(*d),
        _ => return None,
    };
    if e.text.is_some() {
        return None;
    }
    Some(RecordBody::IdentityAttempt(IdentityAttempt {
        date: *date,
        method,
        outcome,
        verified_date,
        police_reference: None,
        notes: None,
    }))
}

fn placement(
    e: &Entry<'_>,
    dates: &[(NaiveDate, &str)],
    words: &[&str],
    ctx: &Context<'_>,
) -> Option<RecordBody> {
    let kind = label_of(PlacementKind::ALL, e.head)?;
    let [(start, "起"), rest @ ..] = dates else {
        return None;
    };
    let end = match rest {
        [] => None,
        [(d, "止")] => Some(*d),
        _ => return None,
    };
    let [carer] = words else { return None };
    let carer = label_of(CarerRelation::ALL, carer.strip_prefix("照料人")?)?;
    Some(RecordBody::Placement(Placement {
        kind,
        start: *start,
        end,
        place: e.text?.to_owned(),
        carer,
        decided_by: ctx.caseworker.to_owned(),
        supervisor_approval: None,
        district_approval: None,
        notes: None,
    }))
}

fn legal_aid(e: &Entry<'_>, dates: &[(NaiveDate, &str)], words: &[&str]) -> Option<RecordBody> {
    if e.head.is_empty() {
        return None;
    }
    let mut la = LegalAid::application(e.head, e.text?, NaiveDate::MIN);
    let mut received = None;
    for (d, key) in dates {
        let slot = match *key {
            "申请" => &mut received,
            "受理" => &mut la.accepted,
            "准予援助" | "不予援助" => {
                la.decision = label_of(LegalAidDecision::ALL, key);
                &mut la.reviewed
            }
            "办理" => &mut la.handled,
            "结案" => &mut la.closed,
            k => match k.strip_prefix("指派") {
                Some(who) => {
                    la.assignee = Some(who.trim().to_owned()).filter(|w| !w.is_empty());
                    &mut la.assigned
                }
                None => return None,
            },
        };
        if slot.replace(*d).is_some() {
            return None;
        }
    }
    for w in words {
        match *w {
            "普通程序" => la.green_channel = false,
            w => la.refusal_reason = Some(w.strip_prefix("理由")?.trim().to_owned()),
        }
    }
    la.received = received?;
    Some(RecordBody::LegalAid(la))
}

fn follow_up(e: &Entry<'_>, dates: &[(NaiveDate, &str)], words: &[&str]) -> Option<RecordBody> {
    let date = text_date(e.head).ok()?;
    let next_visit = match dates {
        [] => None,
        [(d, "下次回访")] => Some(*d),
        _ => return None,
    };
    let mut visitor = None;
    let mut needs = Vec::new();
    let mut mode = None;
    let mut place = None;
    for w in words {
        if let Some(v) = w.strip_prefix("回访人") {
            visitor = Some(v.trim().to_owned());
        } else if let Some(n) = w.strip_prefix("需求") {
            for n in n.split('、') {
                needs.push(label_of(Need::ALL, n)?);
            }
        } else if let Some(p) = w.strip_prefix("地点") {
            place = Some(p.trim().to_owned()).filter(|p| !p.is_empty());
        } else if let Some(m) = label_of(VisitMode::ALL, w) {
            mode = Some(m);
        } else {
            return None;
        }
    }
    Some(RecordBody::FollowUp(FollowUp {
        date,
        visitor: visitor.filter(|v| !v.is_empty())?,
        living_situation: e.text?.to_owned(),
        needs,
        actions: None,
        mode,
        place,
        next_visit,
    }))
}

/// The column a record kind is written in, if it has one.
pub fn column_of(body: &RecordBody) -> Option<LedgerColumn> {
    Some(match body {
        RecordBody::IdentityAttempt(_) => LedgerColumn::Identity,
        RecordBody::Placement(_) => LedgerColumn::Placement,
        RecordBody::Rehabilitation(_) => LedgerColumn::Rehabilitation,
        RecordBody::LegalAid(_) => LedgerColumn::LegalAid,
        RecordBody::ShelterStay(_) => LedgerColumn::Leaving,
        RecordBody::FollowUp(_) => LedgerColumn::FollowUp,
        _ => return None,
    })
}

/// One record as an entry of its column, in the grammar [`parse`] reads.
pub fn format(body: &RecordBody) -> Option<String> {
    let d = |d: NaiveDate| fmt_date(d);
    Some(match body {
        RecordBody::IdentityAttempt(a) => {
            let mut segs = vec![d(a.date), a.outcome.zh().to_owned()];
            if let Some(v) = a.verified_date.filter(|v| *v != a.date)
                && a.outcome == IdentityOutcome::Verified
            {
                segs.push(format!("{}查明", d(v)));
            }
            format!("{}（{}）", a.method.zh(), segs.join("，"))
        }
        RecordBody::Placement(p) => {
            let mut segs = vec![format!("{}起", d(p.start))];
            if let Some(end) = p.end {
                segs.push(format!("{}止", d(end)));
            }
            segs.push(format!("照料人{}", p.carer.zh()));
            format!("{}（{}）：{}", p.kind.zh(), segs.join("，"), tail(&p.place))
        }
        RecordBody::Rehabilitation(r) => {
            let mut segs = vec![format!("{}起", d(r.start))];
            if let Some(end) = r.end {
                segs.push(format!("{}止", d(end)));
            }
            format!(
                "{}（{}）：{}",
                r.service.zh(),
                segs.join("，"),
                tail(&r.provider)
            )
        }
        RecordBody::LegalAid(la) => {
            let mut segs = vec![format!("{}申请", d(la.received))];
            if let Some(x) = la.accepted {
                segs.push(format!("{}受理", d(x)));
            }
            if let (Some(x), Some(dec)) = (la.reviewed, la.decision) {
                segs.push(format!("{}{}", d(x), dec.zh()));
            }
            if let Some(x) = la.assigned {
                let who = la.assignee.as_deref().map(inner).unwrap_or_default();
                segs.push(format!("{}指派{who}", d(x)));
            }
            if let Some(x) = la.handled {
                segs.push(format!("{}办理", d(x)));
            }
            if let Some(x) = la.closed {
                segs.push(format!("{}结案", d(x)));
            }
            if !la.green_channel {
                segs.push("普通程序".to_owned());
            }
            if let Some(r) = la
                .refusal_reason
                .as_deref()
                .map(inner)
                .filter(|r| !r.is_empty())
            {
                segs.push(format!("理由{r}"));
            }
            format!(
                "{}（{}）：{}",
                inner(&la.centre),
                segs.join("，"),
                tail(&la.matter)
            )
        }
        RecordBody::ShelterStay(s) => {
            let mut segs = vec![format!("{}入站", d(s.admitted))];
            if let Some(x) = s.discharged {
                segs.push(format!("{}离站", d(x)));
            }
            format!(
                "{}（{}）：{}",
                s.kind.zh(),
                segs.join("，"),
                tail(&s.institution)
            )
        }
        RecordBody::FollowUp(f) => {
            let mut segs = vec![format!("回访人{}", inner(&f.visitor))];
            if let Some(m) = f.mode {
                segs.push(m.zh().to_owned());
            }
            if let Some(p) = f.place.as_deref().map(inner).filter(|p| !p.is_empty()) {
                segs.push(format!("地点{p}"));
            }
            if let Some(n) = f.next_visit {
                segs.push(format!("{}下次回访", d(n)));
            }
            if !f.needs.is_empty() {
                let needs: Vec<&str> = f.needs.iter().map(|n| n.zh()).collect();
                segs.push(format!("需求{}", needs.join("、")));
            }
            format!(
                "{}（{}）：{}",
                d(f.date),
                segs.join("，"),
                tail(&f.living_situation)
            )
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn ctx() -> Context<'static> {
        Context {
            caseworker: "王芳"
        }
    }

    fn round_trip(column: LedgerColumn, body: RecordBody) {
        let text = format(&body).expect("a ledger column kind");
        assert_eq!(column_of(&body), Some(column));
        assert_eq!(
            parse(column, &text, &ctx()),
            Ok(Parsed::Record(body.clone())),
            "{text} reads back as the record it was written from"
        );
        assert_eq!(entries(&text), vec![text.clone()], "one entry: {text}");
    }

    #[test]
    fn every_column_reads_back_what_the_export_writes() {
        round_trip(
            LedgerColumn::Identity,
            RecordBody::IdentityAttempt(IdentityAttempt {
                date: d(2026, 1, 5),
                method: IdentityMethod::PoliceInquiry,
                outcome: IdentityOutcome::Verified,
                verified_date: Some(d(2026, 1, 20)),
                police_reference: None,
                notes: None,
            }),
        );
        round_trip(
            LedgerColumn::Identity,
            RecordBody::IdentityAttempt(IdentityAttempt {
                date: d(2026, 1, 5),
                method: IdentityMethod::PoliceBloodSample,
                outcome: IdentityOutcome::Pending,
                verified_date: None,
                police_reference: None,
                notes: None,
            }),
        );
        round_trip(
            LedgerColumn::Placement,
            RecordBody::Placement(Placement {
                kind: PlacementKind::ReturnHome,
                start: d(2026, 3, 1),
                end: Some(d(2026, 4, 1)),
                place: "贵州省某县（原籍）".into(),
                carer: CarerRelation::Parents,
                decided_by: "王芳".into(),
                supervisor_approval: None,
                district_approval: None,
                notes: None,
            }),
        );
        round_trip(
            LedgerColumn::Rehabilitation,
            RecordBody::Rehabilitation(Rehabilitation {
                service: RehabService::PsychologicalCounselling,
                provider: "区心理咨询中心".into(),
                start: d(2026, 2, 1),
                end: None,
                outcome: None,
                disability_grade: None,
                certificate_no: None,
            }),
        );
        let mut la = LegalAid::application("区法律援助中心", "刑事附带民事诉讼", d(2026, 1, 6));
        la.accepted = Some(d(2026, 1, 7));
        la.reviewed = Some(d(2026, 1, 9));
        la.decision = Some(LegalAidDecision::Granted);
        la.assigned = Some(d(2026, 1, 12));
        la.assignee = Some("李律师".into());
        la.handled = Some(d(2026, 2, 1));
        la.closed = Some(d(2026, 5, 1));
        round_trip(LedgerColumn::LegalAid, RecordBody::LegalAid(la));
        let mut refused = LegalAid::application("区法律援助中心", "民事诉讼", d(2026, 1, 6));
        refused.green_channel = false;
        refused.reviewed = Some(d(2026, 1, 9));
        refused.decision = Some(LegalAidDecision::Refused);
        refused.refusal_reason = Some("不符合条件".into());
        round_trip(LedgerColumn::LegalAid, RecordBody::LegalAid(refused));
        round_trip(
            LedgerColumn::Leaving,
            RecordBody::ShelterStay(ShelterStay {
                institution: "大足区救助管理站".into(),
                kind: ShelterKind::AssistanceStation,
                admitted: d(2026, 1, 2),
                discharged: Some(d(2026, 2, 2)),
                reason: None,
            }),
        );
        round_trip(
            LedgerColumn::FollowUp,
            RecordBody::FollowUp(FollowUp {
                date: d(2026, 6, 1),
                visitor: "王芳".into(),
                living_situation: "生活稳定，已就业".into(),
                needs: vec![Need::Employment, Need::Health],
                actions: None,
                mode: None,
                place: None,
                next_visit: None,
            }),
        );
        round_trip(
            LedgerColumn::FollowUp,
            RecordBody::FollowUp(FollowUp {
                date: d(2026, 6, 1),
                visitor: "王芳".into(),
                living_situation: "在校表现良好".into(),
                needs: vec![Need::Education],
                actions: None,
                mode: Some(VisitMode::School),
                place: Some("龙岗中学".into()),
                next_visit: Some(d(2026, 9, 1)),
            }),
        );
    }

    #[test]
    fn office_text_is_text_and_impossible_dates_are_errors() {
        for (c, s) in [
            (LedgerColumn::Identity, "已核实"),
            (LedgerColumn::Placement, "返回家庭"),
            (LedgerColumn::Placement, "返回家庭（2026年3月）：某地"),
            (LedgerColumn::FollowUp, "3月回访，情况良好"),
            (LedgerColumn::LegalAid, "已申请（待受理）"),
        ] {
            assert_eq!(parse(c, s, &ctx()), Ok(Parsed::Text), "{s}");
        }
        assert_eq!(
            parse(
                LedgerColumn::Placement,
                "返回家庭（2026年2月30日起，照料人父母）：某地",
                &ctx()
            ),
            Err(DateProblem::Impossible),
            "a date that does not exist is refused, not kept as text"
        );
    }

    #[test]
    fn entries_split_on_lines_and_semicolons() {
        assert_eq!(entries("a\nb；c; \n"), vec!["a", "b", "c"]);
    }
}
