//! Text output of the CLI, in the user's language (`--lang`, else `LANG`): codes,
//! labels, dates and names through `guitu_text`, the CLI's own headings from pairs here.

use std::fmt::Write;

use serde::Serialize;

use guitu_api::transfer::ImportReport;
use guitu_api::{CaseView, DueReport, DueState, ImportCounts, SearchHit, VerifyReport};
use guitu_domain::approval::ApprovalRequest;
use guitu_domain::label::LabelledEnum;
use guitu_domain::model::Stage;
use guitu_domain::rules::id3m::Id3mStatus;
use guitu_text::values::{self, EMPTY};
use guitu_text::{self as text, Lang};

/// One text of the CLI in the user's language.
pub fn t(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Pretty JSON (serialising our own types cannot fail; an empty object if it did).
pub fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into())
}

fn date(d: chrono::NaiveDate, lang: Lang) -> String {
    text::date(d, lang)
}

fn name(n: Option<&str>, intake: Option<&str>, lang: Lang) -> String {
    text::person_name(n, intake, lang)
}

fn note(lang: Lang) -> String {
    t(lang, "注意", "Note")
}

pub fn due(r: &DueReport, lang: Lang) -> String {
    let mut s = String::new();
    if let Some(on) = r.on {
        let d = date(on, lang);
        let _ = writeln!(
            s,
            "{}",
            t(
                lang,
                &format!("截至{d}的期限"),
                &format!("Deadlines as of {d}")
            )
        );
    }
    for (state, zh, en) in [
        (DueState::Overdue, "已逾期", "Overdue"),
        (DueState::DueSoon, "即将到期", "Due soon"),
        (DueState::Pending, "待办步骤", "Steps pending"),
    ] {
        let items: Vec<_> = r.in_state(state).collect();
        let _ = writeln!(s, "\n{}: {}", t(lang, zh, en), items.len());
        for i in items {
            let d = i.deadline.days;
            // The same words as the desktop's deadline tiers.
            let days = match lang {
                Lang::Zh if d < 0 => format!("已逾期{}天", -d),
                Lang::Zh if d == 0 => "今天到期".to_owned(),
                Lang::Zh => format!("还有{d}天"),
                Lang::En if d < 0 => format!("{} days overdue", -d),
                Lang::En if d == 0 => "due today".to_owned(),
                Lang::En => format!("in {d} days"),
            };
            let _ = writeln!(
                s,
                "  {}  {}  {}  {}  ({days})  [{}]",
                date(i.deadline.due, lang),
                i.case_number,
                name(i.name.as_deref(), i.intake_number.as_deref(), lang),
                text::due_what(&i.deadline.what, lang),
                i.deadline.what.rule(),
            );
        }
    }
    for w in &r.warnings {
        let _ = writeln!(s, "\n{}: {}", note(lang), text::warning(w, lang));
    }
    s
}

pub fn hits(h: &[SearchHit], lang: Lang) -> String {
    if h.is_empty() {
        return t(lang, "没有找到匹配的个案", "No matching case");
    }
    let mut s = t(
        lang,
        &format!("找到{}个个案\n", h.len()),
        &format!("{} case(s) found\n", h.len()),
    );
    for x in h {
        let stage = x
            .stage
            .parse::<Stage>()
            .map(|st| text::label(&st, lang).to_owned())
            .unwrap_or_else(|_| x.stage.clone());
        let received = guitu_domain::dates::parse_strict(&x.received_date)
            .map(|d| date(d, lang))
            .unwrap_or_else(|| x.received_date.clone());
        let _ = writeln!(
            s,
            "  {}  {}  {}  {} {}",
            x.case_number,
            name(x.name.as_deref(), x.intake_number.as_deref(), lang),
            stage,
            t(lang, "接收于", "received"),
            received
        );
    }
    s
}

/// Lines of labelled fields, `label：value`, of a schema value.
fn field_lines(s: &mut String, schema: &str, value: &serde_json::Value, indent: &str, lang: Lang) {
    for f in values::fields(schema, value, lang) {
        let _ = writeln!(s, "{indent}{}: {}", f.label, f.value);
    }
}

pub fn case(v: &CaseView, lang: Lang) -> String {
    let mut s = String::new();
    let c = &v.case;
    let p = &v.person;
    let _ = writeln!(
        s,
        "{} {}  {}",
        t(lang, "个案", "Case"),
        c.case_number,
        name(p.name.as_deref(), p.intake_number.as_deref(), lang)
    );
    let _ = writeln!(
        s,
        "{}",
        t(
            lang,
            &format!("接收至今{}天", v.days_since_intake),
            &format!("{} days since intake", v.days_since_intake)
        )
    );
    let case_json = serde_json::to_value(c).unwrap_or_default();
    for f in values::fields("case", &case_json, lang) {
        let value = if f.spec.name == "flags" {
            let set = text::case_flag_list(&c.flags, lang);
            if set.is_empty() {
                EMPTY.to_owned()
            } else {
                set
            }
        } else {
            f.value
        };
        let _ = writeln!(s, "  {}: {value}", f.label);
    }
    let _ = writeln!(s, "\n{}", t(lang, "受害人", "Person"));
    field_lines(
        &mut s,
        "person",
        &serde_json::to_value(p).unwrap_or_default(),
        "  ",
        lang,
    );
    if let Some(age) = v.age {
        let _ = writeln!(s, "  {}: {age}", t(lang, "年龄", "age"));
    }
    let _ = writeln!(
        s,
        "\n{}: {}",
        t(
            lang,
            "三个月身份查明规则（R-ID-3M）",
            "Three-month identity rule (R-ID-3M)"
        ),
        id3m_line(&v.id3m, lang)
    );
    if let Id3mStatus::Triggered { steps, .. } | Id3mStatus::Closed { steps, .. } = &v.id3m {
        for st in steps {
            let state = match (st.done, st.overdue) {
                (Some(d), _) => format!(
                    "{} {} {}",
                    t(lang, "已完成", "done"),
                    date(d, lang),
                    st.by.as_deref().unwrap_or("")
                ),
                (None, true) => t(lang, "已逾期", "OVERDUE"),
                (None, false) => t(lang, "待办", "pending"),
            };
            let _ = writeln!(
                s,
                "  {}  {} {}  {}",
                text::label(&st.step, lang),
                t(lang, "期限", "due"),
                date(st.due, lang),
                state.trim_end()
            );
        }
    }
    for la in &v.legal_aid {
        let _ = writeln!(
            s,
            "\n{}{}",
            t(lang, "法律援助（R-LA-GC）", "Legal aid (R-LA-GC)"),
            if la.status.overdue {
                t(lang, "：有逾期步骤", ": a step is overdue")
            } else {
                String::new()
            }
        );
        for st in &la.status.steps {
            let due = st
                .due
                .map(|d| date(d, lang))
                .unwrap_or_else(|| EMPTY.into());
            let state = if st.skipped {
                t(lang, "不适用", "not needed")
            } else if let Some(d) = st.done {
                format!(
                    "{}{}",
                    date(d, lang),
                    if st.late {
                        t(lang, "（超期完成）", " (late)")
                    } else {
                        String::new()
                    }
                )
            } else if st.overdue {
                t(lang, "已逾期", "OVERDUE")
            } else {
                t(lang, "待办", "pending")
            };
            let _ = writeln!(
                s,
                "  {}  {} {}  {}",
                text::label(&st.step, lang),
                t(lang, "期限", "due"),
                due,
                state
            );
        }
    }
    let _ = writeln!(s, "\n{} ({})", t(lang, "记录", "Records"), v.records.len());
    for r in &v.records {
        let kind = r.body.kind();
        let _ = writeln!(
            s,
            "  {}  {}",
            date(r.body.date(), lang),
            text::label(&kind, lang)
        );
        let body = serde_json::to_value(&r.body).unwrap_or_default();
        field_lines(&mut s, kind.as_str(), &body, "      ", lang);
    }
    if !v.voided_records.is_empty() {
        let _ = writeln!(
            s,
            "\n{} ({})",
            t(lang, "已作废的记录", "Voided records"),
            v.voided_records.len()
        );
    }
    for vr in &v.voided_records {
        let kind = vr.record.body.kind();
        let when = vr.void.at.get(..10).unwrap_or(&vr.void.at);
        let _ = writeln!(
            s,
            "  {}  {}  {}  {}",
            date(vr.record.body.date(), lang),
            text::label(&kind, lang),
            vr.record.id,
            t(
                lang,
                &format!("{}于{when}作废，理由：{}", vr.void.by, vr.void.reason),
                &format!("voided by {} on {when}: {}", vr.void.by, vr.void.reason)
            )
        );
    }
    if let Some(m) = &v.void {
        let when = m.at.get(..10).unwrap_or(&m.at);
        let _ = writeln!(
            s,
            "\n{}",
            t(
                lang,
                &format!("本个案已作废：{}于{when}作废，理由：{}", m.by, m.reason),
                &format!("This case was voided by {} on {when}: {}", m.by, m.reason)
            )
        );
    }
    for w in &v.warnings {
        let _ = writeln!(s, "\n{}: {}", note(lang), text::warning(&w.warning, lang));
    }
    let _ = writeln!(
        s,
        "\n{} ({})",
        t(lang, "变更记录", "History"),
        v.history.len()
    );
    for h in v.history.iter().rev().take(10) {
        let fields: Vec<&str> = h.changes.iter().map(|c| c.field.as_str()).collect();
        // An imported case names where it came from (a ledger's file and row).
        let from = h
            .changes
            .iter()
            .find(|c| h.action == guitu_api::HistoryAction::Import && c.field == "source")
            .and_then(|c| c.new.as_str())
            .map(|src| t(lang, &format!("（{src}）"), &format!(" ({src})")))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {}  {}  {}{from}",
            h.at.get(..16).unwrap_or(&h.at).replace('T', " "),
            h.actor,
            text::history_summary(
                h.action.as_str(),
                h.entity.as_str(),
                h.record_kind.as_deref(),
                &fields,
                lang
            )
        );
    }
    s
}

fn id3m_line(st: &Id3mStatus, lang: Lang) -> String {
    match st {
        Id3mStatus::NotApplicable => t(lang, "不适用", "does not apply"),
        Id3mStatus::VerifiedInTime { verified, due } => {
            let (v, d) = (date(*verified, lang), date(*due, lang));
            t(
                lang,
                &format!("身份已于{v}查明（期限{d}）"),
                &format!("identity verified on {v}, before the deadline {d}"),
            )
        }
        Id3mStatus::Pending {
            due,
            days_left,
            warning_lead,
        } => {
            let d = date(*due, lang);
            let soon = warning_lead.is_some();
            t(
                lang,
                &format!(
                    "期限{d}，还有{days_left}天{}",
                    if soon { "（即将到期）" } else { "" }
                ),
                &format!(
                    "due {d}, in {days_left} days{}",
                    if soon { " (due soon)" } else { "" }
                ),
            )
        }
        Id3mStatus::Triggered {
            due,
            overdue_steps,
            complete,
            ..
        } => {
            let d = date(*due, lang);
            t(
                lang,
                &format!(
                    "期限{d}已过，已启动户籍安置程序；逾期步骤{overdue_steps}项{}",
                    if *complete { "；已全部完成" } else { "" }
                ),
                &format!(
                    "the deadline {d} has passed: the household-registration track runs; {overdue_steps} step(s) overdue{}",
                    if *complete { "; every step done" } else { "" }
                ),
            )
        }
        Id3mStatus::Closed {
            closed_on, reason, ..
        } => {
            let d = date(*closed_on, lang);
            match reason {
                Some(reason) => t(
                    lang,
                    &format!("程序已于{d}终止：{reason}"),
                    &format!("the track was closed on {d}: {reason}"),
                ),
                None => t(
                    lang,
                    &format!("身份已于{d}查明，程序终止"),
                    &format!("the track closed: identity was established on {d}"),
                ),
            }
        }
    }
}

pub fn imported(r: &ImportReport, lang: Lang) -> String {
    let ImportCounts {
        persons,
        cases,
        records,
    } = r.counts;
    let mut s = t(
        lang,
        &format!("已导入：{persons}人，{cases}个个案，{records}条记录"),
        &format!("Imported: {persons} persons, {cases} cases, {records} records"),
    );
    if !r.warnings.is_empty() {
        let _ = write!(
            s,
            "\n{}",
            t(
                lang,
                &format!("{}条提醒：", r.warnings.len()),
                &format!("{} warning(s):", r.warnings.len())
            )
        );
    }
    for w in &r.warnings {
        let list = match (w.at.list.as_str(), lang) {
            ("persons", Lang::Zh) => "人员",
            ("cases", Lang::Zh) => "个案",
            ("records", Lang::Zh) => "记录",
            (other, _) => other,
        };
        let at = match lang {
            Lang::Zh => format!("第{}条{list}", w.at.index + 1),
            Lang::En => format!("{list}[{}]", w.at.index),
        };
        let _ = write!(
            s,
            "\n  {at}{}: {}",
            w.at.id
                .as_deref()
                .map(|i| format!(" ({i})"))
                .unwrap_or_default(),
            text::warning(&w.warning, lang)
        );
    }
    s
}

pub fn verify(r: &VerifyReport, lang: Lang) -> String {
    let mut s = String::new();
    let mark = |ok: bool| {
        if ok {
            t(lang, "正常", "ok")
        } else {
            t(lang, "有问题", "FAILED")
        }
    };
    let _ = writeln!(
        s,
        "{}: {}",
        t(lang, "加密页校验", "SQLCipher page check"),
        mark(r.cipher_ok)
    );
    let _ = writeln!(
        s,
        "{}: {}",
        t(lang, "数据库完整性", "Database integrity"),
        mark(r.integrity_ok)
    );
    let _ = writeln!(
        s,
        "{}: {} ({} {})",
        t(lang, "结构版本", "Schema version"),
        r.schema_version,
        t(lang, "本程序", "this build"),
        r.supported_version
    );
    let _ = writeln!(
        s,
        "{}: {} {}, {}",
        t(lang, "审计链", "Audit chain"),
        r.audit.entries,
        t(lang, "条", "entries"),
        mark(r.audit.first_broken.is_none())
    );
    if let Some((seq, why)) = &r.audit.first_broken {
        let _ = writeln!(
            s,
            "  {}: #{seq}: {why}",
            t(lang, "第一个损坏的条目", "First broken entry")
        );
    }
    for p in &r.problems {
        let _ = writeln!(s, "  {p}");
    }
    let _ = writeln!(
        s,
        "{}: {} {}, {}",
        t(lang, "校验点", "Checkpoint"),
        t(lang, "第", "generation"),
        r.checkpoint_generation,
        mark(r.checkpoint_problem.is_none())
    );
    if let Some(p) = &r.checkpoint_problem {
        let _ = writeln!(s, "  {}", text::problem(&guitu_api::store_problem(p), lang));
    }
    let _ = write!(
        s,
        "{}",
        if r.ok() {
            t(lang, "校验通过", "Verified")
        } else {
            t(lang, "校验失败", "Verification FAILED")
        }
    );
    s
}

/// The users of the vault, one per line.
pub fn users(users: &[guitu_api::User], lang: Lang) -> String {
    let mut s = String::new();
    for u in users {
        let roles: Vec<&str> = u.roles.iter().map(|r| text::label(r, lang)).collect();
        let roles = roles.join(if lang == Lang::Zh { "、" } else { ", " });
        let inst = u
            .institution
            .as_deref()
            .map(|i| t(lang, &format!("（{i}）"), &format!(" ({i})")))
            .unwrap_or_default();
        let off = if u.disabled {
            t(lang, " [已停用]", " [disabled]")
        } else {
            String::new()
        };
        s.push_str(&format!("{}\t{roles}{inst}{off}\n", u.name));
    }
    s.trim_end().to_owned()
}

/// Audit entries, newest first: time, who, what, on what.
pub fn audit(entries: &[guitu_api::AuditEntry], lang: Lang) -> String {
    if entries.is_empty() {
        return t(lang, "没有符合条件的记录", "No entries match");
    }
    let mut s = String::new();
    for e in entries {
        let at = e.at.get(..19).unwrap_or(&e.at).replace('T', " ");
        let detail = if e.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", e.detail)
        };
        s.push_str(&format!(
            "{at}\t{}\t{}\t{}{detail}\n",
            e.actor, e.action, e.target
        ));
    }
    s.trim_end().to_owned()
}

fn approval_line(r: &ApprovalRequest, number: &str, lang: Lang) -> String {
    let subject = text::label(&r.subject, lang);
    let state = match r.outcome {
        None => t(lang, "待审批", "pending"),
        Some(o) => {
            let by = r.decided_by.as_deref().unwrap_or("");
            let on = r.decided_on.map(|d| date(d, lang)).unwrap_or_default();
            let reason = r
                .reason
                .as_deref()
                .map(|x| t(lang, &format!("：{x}"), &format!(": {x}")))
                .unwrap_or_default();
            format!("{}（{by}，{on}）{reason}", text::label(&o, lang))
        }
    };
    format!(
        "{}\t{number}\t{subject}\t{} {}\t{}\t{state}",
        r.id,
        r.requested_by,
        date(r.requested_on, lang),
        r.note
    )
}

/// The approvals on a user's desk.
pub fn approvals(a: &guitu_api::MyApprovals, lang: Lang) -> String {
    let mut s = String::new();
    s.push_str(&t(lang, "待我审批：\n", "Waiting for my decision:\n"));
    if a.to_decide.is_empty() {
        s.push_str(&t(lang, "  （无）\n", "  (none)\n"));
    }
    for (r, n) in a.to_decide.iter().zip(&a.to_decide_case_numbers) {
        s.push_str(&format!("  {}\n", approval_line(r, n, lang)));
    }
    s.push_str(&t(lang, "我提出的申请：\n", "My requests:\n"));
    if a.mine.is_empty() {
        s.push_str(&t(lang, "  （无）\n", "  (none)\n"));
    }
    for (r, n) in a.mine.iter().zip(&a.mine_case_numbers) {
        s.push_str(&format!("  {}\n", approval_line(r, n, lang)));
    }
    s.trim_end().to_owned()
}

fn summary_line(p: &guitu_api::PersonSummary, lang: Lang) -> String {
    let cases: Vec<&str> = p.cases.iter().map(|c| c.case_number.as_str()).collect();
    let cases = cases.join(", ");
    if !p.readable {
        return t(
            lang,
            &format!("（无权查看的人员）个案 {cases}"),
            &format!("(a person outside your cases) cases {cases}"),
        );
    }
    let mut facts = vec![name(p.name.as_deref(), p.intake_number.as_deref(), lang)];
    if !p.other_names.is_empty() {
        let sep = t(lang, "、", ", ");
        facts.push(t(
            lang,
            &format!("曾用名/别名 {}", p.other_names.join(&sep)),
            &format!("other names {}", p.other_names.join(&sep)),
        ));
    }
    if let Some(sex) = p.sex {
        facts.push(text::label(&sex, lang).to_owned());
    }
    if let Some(b) = p.birth_date {
        let d = date(b.date, lang);
        facts.push(if b.estimated {
            t(lang, &format!("{d}（估计）"), &format!("{d} (estimated)"))
        } else {
            d
        });
    }
    if let Some(place) = &p.found_place {
        facts.push(t(
            lang,
            &format!("发现地 {place}"),
            &format!("found in {place}"),
        ));
    }
    facts.push(t(lang, &format!("个案 {cases}"), &format!("cases {cases}")));
    facts.join(t(lang, "，", ", ").as_str())
}

fn likelihood(l: guitu_domain::duplicates::Likelihood, score: i32, lang: Lang) -> String {
    match l {
        guitu_domain::duplicates::Likelihood::Likely => t(
            lang,
            &format!("很可能是同一人（{score}分）"),
            &format!("likely the same person (score {score})"),
        ),
        guitu_domain::duplicates::Likelihood::Candidate => t(
            lang,
            &format!("可能是同一人（{score}分）"),
            &format!("possibly the same person (score {score})"),
        ),
    }
}

fn reasons(r: &[guitu_domain::duplicates::MatchReason], lang: Lang) -> String {
    let labels: Vec<&str> = r.iter().map(|x| text::label(x, lang)).collect();
    labels.join(t(lang, "；", "; ").as_str())
}

/// The likely duplicate pairs of the vault, best first.
pub fn duplicate_pairs(scan: &guitu_api::DuplicateScan, lang: Lang) -> String {
    let mut s = t(
        lang,
        &format!(
            "比对了{}人，{}对可能是同一人（显示{}对，按可能性排序）",
            scan.persons,
            scan.total,
            scan.pairs.len()
        ),
        &format!(
            "{} persons compared, {} pairs may be the same person ({} shown, best first)",
            scan.persons,
            scan.total,
            scan.pairs.len()
        ),
    );
    for (i, p) in scan.pairs.iter().enumerate() {
        let _ = write!(
            s,
            "\n\n{}. {}\n   A {}\n     {}\n   B {}\n     {}\n   {}",
            i + 1,
            likelihood(p.likelihood, p.score, lang),
            summary_line(&p.a, lang),
            p.a.person_id,
            summary_line(&p.b, lang),
            p.b.person_id,
            reasons(&p.reasons, lang)
        );
    }
    s
}

/// The persons of an import file who may already be in the vault, and how to decide.
pub fn import_duplicates(p: &guitu_api::transfer::ImportPreview, lang: Lang) -> String {
    let mut s = t(
        lang,
        "以下人员可能已在档案库中，请逐对确认：",
        "These persons may already be in the vault; decide for each pair:",
    );
    for d in &p.duplicates {
        let who = name(
            d.file_name.as_deref(),
            d.file_intake_number.as_deref(),
            lang,
        );
        let at = match lang {
            Lang::Zh => format!("文件第{}条人员", d.at.index + 1),
            Lang::En => format!("persons[{}] of the file", d.at.index),
        };
        let _ = write!(
            s,
            "\n\n{at} {who}  {}\n  ↔ {}  {}\n  {}\n  {}",
            d.file_person,
            summary_line(&d.candidate.person, lang),
            d.candidate.person.person_id,
            likelihood(d.candidate.likelihood, d.candidate.score, lang),
            reasons(&d.candidate.reasons, lang)
        );
    }
    let _ = write!(
        s,
        "\n\n{}",
        t(
            lang,
            "同一人：--same 文件人员ID=档案库人员ID；不是同一人：--different 文件人员ID=档案库人员ID；全部不是：--all-different",
            "Same person: --same FILE_PERSON=VAULT_PERSON; not the same: --different FILE_PERSON=VAULT_PERSON; none is: --all-different",
        )
    );
    s
}

/// Recent merges.
pub fn merges(list: &[guitu_api::MergeEntry], lang: Lang) -> String {
    if list.is_empty() {
        return t(lang, "没有合并记录", "No merges");
    }
    let mut s = String::new();
    for m in list {
        let who = name(
            m.absorbed_name.as_deref(),
            m.absorbed_intake_number.as_deref(),
            lang,
        );
        let kept = match (&m.kept_name, &m.kept_intake_number) {
            (None, None) => m.kept.clone(),
            (n, i) => name(n.as_deref(), i.as_deref(), lang),
        };
        let state = match &m.undone_at {
            Some(_) => t(lang, "（已撤销）", " (undone)"),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "{}  {}  {}{state}",
            m.id,
            m.by,
            t(
                lang,
                &format!("{who} 并入 {kept}（{}）", m.case_numbers.join("、")),
                &format!("{who} merged into {kept} ({})", m.case_numbers.join(", "))
            )
        );
    }
    s
}

/// A ledger's preview: the sheet and header row, the mapping column by column, the
/// first rows as Guitu will store them (or their problems), and possible duplicates.
pub fn ledger_preview(p: &guitu_api::ledger::LedgerPreview, lang: Lang) -> String {
    use guitu_domain::label::Label;
    let mut s = t(
        lang,
        &format!(
            "工作表“{}”（共{}个工作表），表头在第{}行，{}行数据",
            p.sheet,
            p.sheets.len(),
            p.header_row,
            p.rows
        ),
        &format!(
            "Sheet “{}” (of {}), header in row {}, {} data rows",
            p.sheet,
            p.sheets.len(),
            p.header_row,
            p.rows
        ),
    );
    let _ = write!(s, "\n{}", t(lang, "列的对应：", "Columns:"));
    for c in &p.mapping.columns {
        let to = match c.column {
            Some(col) => format!("{} ({})", text::label(&col, lang), col.as_str()),
            None => t(lang, "（不导入）", "(ignored)"),
        };
        let header = c.header.replace('\n', " ");
        let _ = write!(s, "\n  {} {header} → {to}", c.letter);
    }
    if let Some(problem) = &p.problem {
        let _ = write!(s, "\n{}", text::problem(problem, lang));
    }
    if !p.first_rows.is_empty() {
        let _ = write!(s, "\n{}", t(lang, "前几行：", "First rows:"));
    }
    for r in &p.first_rows {
        let at = t(lang, &format!("第{}行", r.row), &format!("row {}", r.row));
        match &r.item {
            Some(item) => {
                let who = name(
                    item.person.name.as_deref(),
                    item.person.intake_number.as_deref(),
                    lang,
                );
                let kinds: Vec<&str> = item
                    .records
                    .iter()
                    .map(|rec| match lang {
                        Lang::Zh => rec.body.kind().zh(),
                        Lang::En => rec.body.kind().en(),
                    })
                    .collect();
                let _ = write!(
                    s,
                    "\n  {at}  {who}  {}  {}  {}  {}  {}",
                    text::label(&item.person.sex, lang),
                    text::date(item.case.received_date, lang),
                    item.case.institution,
                    item.case.caseworker,
                    kinds.join(if lang == Lang::Zh { "、" } else { ", " })
                );
            }
            None => {
                for problem in &r.problems {
                    let _ = write!(s, "\n  {at}  {}", text::problem(problem, lang));
                }
            }
        }
    }
    if p.bad_rows > 0 {
        let _ = write!(
            s,
            "\n{}",
            t(
                lang,
                &format!("{}行有问题，导入会被拒绝", p.bad_rows),
                &format!(
                    "{} row(s) have problems; an import would be refused",
                    p.bad_rows
                )
            )
        );
        if let Some(first) = &p.first_problem {
            let _ = write!(s, "\n{}", text::problem(first, lang));
        }
    }
    if !p.duplicates.is_empty() {
        let _ = write!(s, "\n\n{}", ledger_duplicates(&p.duplicates, lang));
    }
    s
}

/// The ledger's persons who may already be in the vault, by row, and how to decide.
pub fn ledger_duplicates(list: &[guitu_api::ledger::LedgerDuplicate], lang: Lang) -> String {
    let mut s = t(
        lang,
        "以下台账行的人员可能已在档案库中，请逐对确认：",
        "The persons of these ledger rows may already be in the vault; decide for each pair:",
    );
    for l in list {
        let d = &l.duplicate;
        let who = name(
            d.file_name.as_deref(),
            d.file_intake_number.as_deref(),
            lang,
        );
        let at = t(lang, &format!("第{}行", l.row), &format!("row {}", l.row));
        let _ = write!(
            s,
            "\n\n{at} {who}\n  ↔ {}  {}\n  {}\n  {}",
            summary_line(&d.candidate.person, lang),
            d.candidate.person.person_id,
            likelihood(d.candidate.likelihood, d.candidate.score, lang),
            reasons(&d.candidate.reasons, lang)
        );
    }
    let _ = write!(
        s,
        "\n\n{}",
        t(
            lang,
            "同一人：--same 行号=档案库人员ID（或其个案编号）；不是同一人：--different 行号=档案库人员ID；全部不是：--all-different",
            "Same person: --same ROW=VAULT_PERSON (id or a case number); not the same: --different ROW=VAULT_PERSON; none is: --all-different",
        )
    );
    s
}

/// Display width of a text in a terminal: two columns per CJK character.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// The annual report's tables (R-ANNUAL), labelled in the user's language.
pub fn annual_report(r: &guitu_domain::report::AnnualReport, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", text::report_title(r.year, lang));
    let as_of = date(r.as_of, lang);
    let _ = writeln!(
        s,
        "{}",
        t(lang, &format!("统计截至{as_of}"), &format!("As of {as_of}"))
    );
    for table in &r.tables {
        let _ = writeln!(s, "\n{}", text::label(&table.section, lang));
        let labels: Vec<&str> = table
            .rows
            .iter()
            .map(|row| text::label(&row.label, lang))
            .collect();
        let lw = labels.iter().map(|l| width(l)).max().unwrap_or(0) + 2;
        let heads: Vec<&str> = table.columns.iter().map(|c| text::label(c, lang)).collect();
        let cw = heads.iter().map(|h| width(h)).max().unwrap_or(0).max(8) + 2;
        if table.columns.len() > 1 {
            let head: String = heads.iter().map(|h| pad(h, cw)).collect();
            let _ = writeln!(s, "  {}{}", pad("", lw), head.trim_end());
        }
        for (row, label) in table.rows.iter().zip(&labels) {
            let cells: String = row
                .cells
                .iter()
                .map(|c| pad(&text::report_cell(c, lang), cw))
                .collect();
            let _ = writeln!(s, "  {}{}", pad(label, lw), cells.trim_end());
        }
    }
    let _ = writeln!(s);
    for n in text::report_notes(r.as_of, lang) {
        let _ = writeln!(s, "{n}");
    }
    s
}
