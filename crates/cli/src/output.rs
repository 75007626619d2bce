//! Text output of the CLI: Chinese first, English second; dates as 2026年1月31日.

use std::fmt::Write;

use serde::Serialize;

use guitu_api::VerifyReport;
use guitu_api::clock::zh_date;
use guitu_api::{CaseView, DueReport, DueState, SearchHit};
use guitu_domain::Label;
use guitu_domain::model::RecordBody;
use guitu_domain::rules::id3m::Id3mStatus;

/// Pretty JSON (serialising our own types cannot fail; an empty object if it did).
pub fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into())
}

pub fn due(r: &DueReport) -> String {
    let mut s = String::new();
    if let Some(on) = r.on {
        let _ = writeln!(s, "截至 {} 的期限 / Deadlines as of {on}", zh_date(on));
    }
    for (state, zh, en) in [
        (DueState::Overdue, "已逾期", "overdue"),
        (DueState::DueSoon, "即将到期", "due soon"),
        (DueState::Pending, "待办步骤", "steps pending"),
    ] {
        let items: Vec<_> = r.in_state(state).collect();
        let _ = writeln!(s, "\n{zh} / {en}: {}", items.len());
        for i in items {
            let days = if i.days < 0 {
                format!("逾期{}天", -i.days)
            } else {
                format!("还有{}天", i.days)
            };
            let _ = writeln!(
                s,
                "  {}  {}  {}  {}（{}）  {} / {}  [{}]",
                zh_date(i.due),
                i.case_number,
                i.name,
                i.what_zh,
                days,
                i.rule,
                i.what_en,
                i.due
            );
        }
    }
    for w in &r.warnings {
        let _ = writeln!(s, "\n注意 / Note: {}", w.message);
    }
    s
}

pub fn hits(h: &[SearchHit]) -> String {
    if h.is_empty() {
        return "没有找到匹配的个案 / No matching case".into();
    }
    let mut s = format!("找到 {} 个个案 / {} case(s) found\n", h.len(), h.len());
    for x in h {
        let stage = serde_json::from_value::<guitu_domain::model::Stage>(
            serde_json::Value::String(x.stage.clone()),
        )
        .map(|st| st.zh().to_owned())
        .unwrap_or_else(|_| x.stage.clone());
        let received = x
            .received_date
            .parse()
            .map(zh_date)
            .unwrap_or_else(|_| x.received_date.clone());
        let _ = writeln!(
            s,
            "  {}  {}  {}  接收于 {}",
            x.case_number, x.name, stage, received
        );
    }
    s
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("—")
}

pub fn case(v: &CaseView) -> String {
    let mut s = String::new();
    let c = &v.case;
    let p = &v.person;
    let _ = writeln!(s, "个案 / Case {}  {}", c.case_number, p.display_name());
    let _ = writeln!(s, "阶段 / Stage: {} / {}", c.stage.zh(), c.stage.en());
    let _ = writeln!(
        s,
        "接收 / Received: {}（{}天前 / days ago: {}）",
        zh_date(c.received_date),
        v.days_since_intake,
        v.days_since_intake
    );
    let _ = writeln!(
        s,
        "接收机构 / Institution: {}（{}）",
        c.institution,
        c.institution_kind.zh()
    );
    let _ = writeln!(
        s,
        "来源 / Referral: {}   承办人 / Caseworker: {}",
        c.referral.zh(),
        c.caseworker
    );
    let flags = c.flags.labels_zh();
    let _ = writeln!(
        s,
        "标记 / Flags: {}",
        if flags.is_empty() {
            "—".into()
        } else {
            flags.join("、")
        }
    );
    let _ = writeln!(s, "\n人员 / Person");
    let _ = writeln!(
        s,
        "  姓名 / Name: {}   曾用名 / Other names: {}",
        p.display_name(),
        if p.other_names.is_empty() {
            "—".into()
        } else {
            p.other_names.join("、")
        }
    );
    let _ = writeln!(
        s,
        "  性别 / Sex: {}   出生 / Born: {}{}   年龄 / Age: {}",
        p.sex.zh(),
        p.birth_date
            .map(|b| zh_date(b.date))
            .unwrap_or_else(|| "不详".into()),
        if p.birth_date.is_some_and(|b| b.estimated) {
            "（估计）"
        } else {
            ""
        },
        v.age.map(|a| a.to_string()).unwrap_or_else(|| "—".into())
    );
    let _ = writeln!(
        s,
        "  国籍 / Nationality: {}   民族 / Ethnicity: {}",
        opt(&p.nationality),
        opt(&p.ethnicity)
    );
    let _ = writeln!(
        s,
        "  户籍地 / Household registration: {}   身份证号 / ID: {}",
        opt(&p.household_registration),
        opt(&p.resident_id)
    );
    let _ = writeln!(
        s,
        "  发现地 / Found at: {}   语言 / Languages: {}",
        opt(&p.found_place),
        p.languages.join("、")
    );
    if let Some(d) = &p.disability {
        let _ = writeln!(
            s,
            "  残疾 / Disability: {} {}级 证号 {}",
            d.kind.zh(),
            d.grade.map(|g| g.to_string()).unwrap_or_else(|| "—".into()),
            opt(&d.certificate_no)
        );
    }
    for g in &p.guardians {
        let _ = writeln!(
            s,
            "  监护人 / Guardian: {}（{}）{}",
            g.name,
            g.relation,
            opt(&g.contact)
        );
    }
    let _ = writeln!(s, "\n三个月身份查明规则 / R-ID-3M: {}", id3m_line(&v.id3m));
    if let Id3mStatus::Triggered { steps, .. } | Id3mStatus::Closed { steps, .. } = &v.id3m {
        for st in steps {
            let _ = writeln!(
                s,
                "  {}  期限 / due {}  {}",
                st.step.zh(),
                zh_date(st.due),
                match (st.done, st.overdue) {
                    (Some(d), _) =>
                        format!("已完成 {} {}", zh_date(d), st.by.as_deref().unwrap_or("")),
                    (None, true) => "已逾期 / OVERDUE".into(),
                    (None, false) => "待办 / pending".into(),
                }
            );
        }
    }
    for la in &v.legal_aid {
        let _ = writeln!(
            s,
            "\n法律援助 / Legal aid (R-LA-GC){}",
            if la.status.overdue {
                "：有逾期步骤 / overdue"
            } else {
                ""
            }
        );
        for st in &la.status.steps {
            let due = st.due.map(zh_date).unwrap_or_else(|| "—".into());
            let state = if st.skipped {
                "不适用 / skipped".to_owned()
            } else if let Some(d) = st.done {
                format!(
                    "{} {}",
                    zh_date(d),
                    if st.late {
                        "（超期完成 / late）"
                    } else {
                        ""
                    }
                )
            } else if st.overdue {
                "已逾期 / OVERDUE".to_owned()
            } else {
                "待办 / pending".to_owned()
            };
            let _ = writeln!(
                s,
                "  {} / {}  期限 / due {}  {}",
                st.step.zh(),
                st.step.en(),
                due,
                state
            );
        }
    }
    let _ = writeln!(s, "\n记录 / Records ({})", v.records.len());
    for r in &v.records {
        let _ = writeln!(
            s,
            "  {}  {} / {}  {}",
            zh_date(r.body.date()),
            r.body.kind().zh(),
            r.body.kind().en(),
            record_summary(&r.body)
        );
    }
    for w in &v.warnings {
        let _ = writeln!(s, "\n注意 / Note: {}", w.message);
    }
    let _ = writeln!(s, "\n历史 / History ({} 条 entries)", v.history.len());
    for h in v.history.iter().rev().take(10) {
        let fields: Vec<&str> = h.changes.iter().map(|c| c.field.as_str()).collect();
        let _ = writeln!(
            s,
            "  {}  {}  {} {}  {}",
            h.at,
            h.actor,
            h.action,
            h.entity,
            fields.join(",")
        );
    }
    s
}

fn id3m_line(st: &Id3mStatus) -> String {
    match st {
        Id3mStatus::NotApplicable => "不适用 / not applicable".into(),
        Id3mStatus::VerifiedInTime { verified, due } => format!(
            "身份已于{}查明（期限{}）/ identity verified in time",
            zh_date(*verified),
            zh_date(*due)
        ),
        Id3mStatus::Pending {
            due,
            days_left,
            warning_lead,
        } => format!(
            "期限 / due {}，还有{}天{}",
            zh_date(*due),
            days_left,
            if warning_lead.is_some() {
                "（即将到期 / due soon）"
            } else {
                ""
            }
        ),
        Id3mStatus::Triggered {
            due,
            overdue_steps,
            complete,
            ..
        } => format!(
            "已启动户籍安置程序（期限{}已过）/ track triggered; 逾期步骤 overdue steps: {}{}",
            zh_date(*due),
            overdue_steps,
            if *complete {
                "；已全部完成 / complete"
            } else {
                ""
            }
        ),
        Id3mStatus::Closed {
            closed_on, reason, ..
        } => format!(
            "程序已于{}终止：{} / track closed",
            zh_date(*closed_on),
            reason
        ),
    }
}

fn record_summary(b: &RecordBody) -> String {
    match b {
        RecordBody::ShelterStay(x) => format!(
            "{} {}，离站 {}",
            x.institution,
            x.kind.zh(),
            x.discharged.map(zh_date).unwrap_or_else(|| "—".into())
        ),
        RecordBody::IdentityAttempt(x) => format!(
            "{}：{}{}",
            x.method.zh(),
            x.outcome.zh(),
            x.verified_date
                .map(|d| format!("（{}）", zh_date(d)))
                .unwrap_or_default()
        ),
        RecordBody::TrackStep(x) => format!("{}（{}）", x.step.zh(), x.by),
        RecordBody::TrackClosure(x) => format!("终止：{}", x.reason),
        RecordBody::Placement(x) => {
            format!("{}，{}，照料人 {}", x.kind.zh(), x.place, x.carer.zh())
        }
        RecordBody::Rehabilitation(x) => format!("{}，{}", x.service.zh(), x.provider),
        RecordBody::Schooling(x) => format!("{} {}", x.status.zh(), x.school),
        RecordBody::FamilyReturn(x) => format!("{} {}", x.kind.zh(), x.place),
        RecordBody::Employment(x) => format!("{}，{}", x.service.zh(), x.provider),
        RecordBody::LegalAid(x) => format!(
            "{}，{}{}",
            x.centre,
            x.matter,
            if x.green_channel {
                "（绿色通道）"
            } else {
                ""
            }
        ),
        RecordBody::FollowUp(x) => format!("{}：{}", x.visitor, x.living_situation),
        RecordBody::Interview(x) => format!(
            "{}{}",
            x.interviewer,
            x.repeat_reason
                .as_ref()
                .map(|r| format!("（再次询问：{r}）"))
                .unwrap_or_default()
        ),
        RecordBody::MandatoryReport(x) => format!("报告 {}：{}", x.reported_to, x.summary),
        RecordBody::Note(x) => x.text.clone(),
    }
}

pub fn verify(r: &VerifyReport) -> String {
    let mut s = String::new();
    let mark = |ok: bool| {
        if ok {
            "正常 / ok"
        } else {
            "有问题 / FAILED"
        }
    };
    let _ = writeln!(
        s,
        "加密页校验 / SQLCipher page check: {}",
        mark(r.cipher_ok)
    );
    let _ = writeln!(
        s,
        "数据库完整性 / Database integrity: {}",
        mark(r.integrity_ok)
    );
    let _ = writeln!(
        s,
        "结构版本 / Schema version: {}（本程序 / this build: {}）",
        r.schema_version, r.supported_version
    );
    let _ = writeln!(
        s,
        "审计链 / Audit chain: {} 条 entries，{}",
        r.audit.entries,
        mark(r.audit.first_broken.is_none())
    );
    if let Some((seq, why)) = &r.audit.first_broken {
        let _ = writeln!(s, "  第一个损坏的条目 / First broken entry: #{seq}: {why}");
    }
    for p in &r.problems {
        let _ = writeln!(s, "  {p}");
    }
    let _ = writeln!(
        s,
        "校验点 / Checkpoint: 第{}代 generation {}，{}",
        r.checkpoint_generation,
        r.checkpoint_generation,
        mark(r.checkpoint_problem.is_none())
    );
    if let Some(p) = &r.checkpoint_problem {
        let _ = writeln!(s, "  {p}");
    }
    let _ = write!(
        s,
        "{}",
        if r.ok() {
            "校验通过 / Verified"
        } else {
            "校验失败 / Verification FAILED"
        }
    );
    s
}
