//! The entities of DOMAIN.md: person, case, and the dated records of every kind.
//!
//! Records are independent dated entries attached to a case (`RecordBody`); deadlines
//! are never stored, they are computed from these records by the rules.
//!
//! R-DNA: no type here has a field for DNA profiles or other genetic data; only the
//! fact that police took a sample, when and their reference (`IdentityAttempt`). Every
//! struct refuses unknown fields, so a `dna_profile` in an import is an error, not a
//! silently stored value.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::labelled_enum;

labelled_enum!(
    /// Sex as recorded at intake.
    Sex {
        Female => ("女", "female"),
        Male => ("男", "male"),
        Unknown => ("不详", "unknown"),
    }
);

labelled_enum!(
    /// Kinds of disability (残疾类别).
    DisabilityKind {
        Visual => ("视力残疾", "visual"),
        Hearing => ("听力残疾", "hearing"),
        Speech => ("言语残疾", "speech"),
        Physical => ("肢体残疾", "physical"),
        Intellectual => ("智力残疾", "intellectual"),
        Mental => ("精神残疾", "mental"),
        Multiple => ("多重残疾", "multiple"),
    }
);

/// A birth date, exact or estimated (an estimate gives warnings where age matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct BirthDate {
    pub date: NaiveDate,
    #[serde(default)]
    pub estimated: bool,
}

/// Disability: kind, grade 1–4 (一级 most severe) and certificate number (残疾证号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Disability {
    pub kind: DisabilityKind,
    #[serde(default)]
    pub grade: Option<u8>,
    #[serde(default)]
    pub certificate_no: Option<String>,
}

/// A guardian of a minor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    pub name: String,
    pub relation: String,
    #[serde(default)]
    pub contact: Option<String>,
}

/// The name to show for a person: the name, else 身份不明 with the intake number.
pub fn display_name(name: Option<&str>, intake_number: Option<&str>) -> String {
    match (name, intake_number) {
        (Some(n), _) if !n.trim().is_empty() => n.to_owned(),
        (_, Some(i)) if !i.trim().is_empty() => format!("身份不明（{i}）"),
        _ => "身份不明".to_owned(),
    }
}

/// The victim (受害人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: Uuid,
    /// The name, or `None` while unknown (the intake number stands in).
    #[serde(default)]
    pub name: Option<String>,
    /// Intake number used while the name is unknown.
    #[serde(default)]
    pub intake_number: Option<String>,
    #[serde(default)]
    pub other_names: Vec<String>,
    pub sex: Sex,
    #[serde(default)]
    pub birth_date: Option<BirthDate>,
    /// Nationality; `None` or 中国 for Chinese nationals.
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// 户籍地, if known.
    #[serde(default)]
    pub household_registration: Option<String>,
    /// 居民身份证号 (R-ID-NUM checked).
    #[serde(default)]
    pub resident_id: Option<String>,
    #[serde(default)]
    pub disability: Option<Disability>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub guardians: Vec<Guardian>,
    /// 发现地: town or street where the person was found.
    #[serde(default)]
    pub found_place: Option<String>,
}

impl Person {
    /// The name to show: the name, else the intake number, else 身份不明.
    pub fn display_name(&self) -> String {
        display_name(self.name.as_deref(), self.intake_number.as_deref())
    }

    /// True when the nationality is recorded and is not Chinese.
    pub fn is_foreign(&self) -> bool {
        self.nationality
            .as_deref()
            .map(|n| !matches!(n.trim(), "" | "中国" | "中华人民共和国" | "CN" | "China"))
            .unwrap_or(false)
    }
}

labelled_enum!(
    /// Kinds of receiving institution.
    InstitutionKind {
        AssistanceStation => ("救助管理站", "assistance-management station"),
        MinorProtectionCentre => ("未成年人救助保护机构", "minor-protection centre"),
        ChildWelfare => ("儿童福利机构", "child-welfare institution"),
        Other => ("其他机构", "other institution"),
    }
);

impl InstitutionKind {
    /// Whether the institution is an assistance-management institution (救助管理机构),
    /// the ones R-ID-3M applies to.
    pub fn is_assistance_institution(self) -> bool {
        !matches!(self, Self::Other)
    }
}

labelled_enum!(
    /// Where the case came from.
    ReferralSource {
        PoliceRescue => ("公安解救", "police rescue"),
        SelfReport => ("本人求助", "self-report"),
        Hotline => ("热线举报", "hotline"),
        OtherDistrict => ("外区移交", "other district"),
        Other => ("其他", "other"),
    }
);

labelled_enum!(
    /// The case's current focus (stages overlap; records of every kind stay open).
    Stage {
        Intake => ("接收救助", "intake"),
        Identity => ("身份查明", "identity"),
        Placement => ("安置", "placement"),
        Rehabilitation => ("康复", "rehabilitation"),
        Reintegration => ("回归社会", "reintegration"),
        FollowUp => ("持续帮扶", "follow-up"),
        Closed => ("结案", "closed"),
    }
);

/// Flags that decide which rules and protections apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct CaseFlags {
    #[serde(default)]
    pub minor: bool,
    #[serde(default)]
    pub woman: bool,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub foreign: bool,
    #[serde(default)]
    pub cross_province: bool,
}

impl CaseFlags {
    /// The Chinese names of the flags that are set, in a fixed order.
    pub fn labels_zh(&self) -> Vec<&'static str> {
        [
            (self.minor, "未成年人"),
            (self.woman, "妇女"),
            (self.disabled, "残疾人"),
            (self.foreign, "外籍"),
            (self.cross_province, "跨省"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, l)| *l)
        .collect()
    }
}

labelled_enum!(
    /// One of the case flags, for filtering lists.
    CaseFlag {
        Minor => ("未成年人", "minor"),
        Woman => ("妇女", "woman"),
        Disabled => ("残疾人", "disabled"),
        Foreign => ("外籍", "foreign"),
        CrossProvince => ("跨省", "cross-province"),
    }
);

impl CaseFlags {
    /// Whether one flag is set.
    pub fn has(&self, flag: CaseFlag) -> bool {
        match flag {
            CaseFlag::Minor => self.minor,
            CaseFlag::Woman => self.woman,
            CaseFlag::Disabled => self.disabled,
            CaseFlag::Foreign => self.foreign,
            CaseFlag::CrossProvince => self.cross_province,
        }
    }
}

/// A case (个案).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: Uuid,
    /// e.g. `DZ-2026-0001`; the prefix is a setting.
    pub case_number: String,
    pub person_id: Uuid,
    pub institution: String,
    pub institution_kind: InstitutionKind,
    /// 接收日期.
    pub received_date: NaiveDate,
    pub referral: ReferralSource,
    #[serde(default)]
    pub police_reference: Option<String>,
    pub caseworker: String,
    #[serde(default)]
    pub flags: CaseFlags,
    pub stage: Stage,
}

labelled_enum!(
    /// Kinds of shelter stay.
    ShelterKind {
        AssistanceStation => ("救助管理站救助", "assistance station"),
        TemporaryGuardianship => ("未成年人救助保护机构临时监护", "temporary guardianship (minor-protection centre)"),
        ChildWelfare => ("儿童福利机构代养/养育", "child-welfare institution (foster/raising)"),
    }
);

/// A stay at a shelter (救助/临时监护).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ShelterStay {
    pub institution: String,
    pub kind: ShelterKind,
    pub admitted: NaiveDate,
    #[serde(default)]
    pub discharged: Option<NaiveDate>,
    #[serde(default)]
    pub reason: Option<String>,
}

labelled_enum!(
    /// Ways identity is sought.
    IdentityMethod {
        PoliceInquiry => ("公安查询", "police inquiry"),
        PhotoComparison => ("照片比对", "photo comparison"),
        FamilyTracing => ("查找亲属", "family tracing"),
        /// Police took a blood sample for their database (采血入库). R-DNA: only the fact,
        /// the date and the police reference are kept here, never the profile.
        PoliceBloodSample => ("公安采血入库", "blood sample taken by police"),
    }
);

labelled_enum!(
    /// Outcome of an identity attempt.
    IdentityOutcome {
        Pending => ("待回复", "pending"),
        NoMatch => ("未查明", "no match"),
        Verified => ("已查明", "verified"),
    }
);

/// A dated identity-verification attempt (身份查明).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct IdentityAttempt {
    pub date: NaiveDate,
    pub method: IdentityMethod,
    pub outcome: IdentityOutcome,
    /// Date the identity was established (outcome `verified`).
    #[serde(default)]
    pub verified_date: Option<NaiveDate>,
    /// Police reference (e.g. of the blood sample).
    #[serde(default)]
    pub police_reference: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// The five steps of the R-ID-3M household-registration track.
    TrackStep {
        HouseholdRegistration => ("协调公安办理户籍", "household registration with police"),
        SocialAssistance => ("协助申请社会救助、社会福利", "apply for social assistance and welfare"),
        PlacementApplication => ("提出安置申请", "placement application"),
        DistrictApproval => ("报区政府同意", "district government approval"),
        TownPlacement => ("由发现地镇街安置", "placement by the town/street where found"),
    }
);

/// A step of the R-ID-3M track, done on a date by someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct TrackStepRecord {
    pub step: TrackStep,
    pub date: NaiveDate,
    /// Who did it (attributed).
    pub by: String,
    #[serde(default)]
    pub notes: Option<String>,
}

/// The R-ID-3M track closed because identity was found after it triggered (never deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct TrackClosure {
    pub date: NaiveDate,
    pub reason: String,
    pub by: String,
}

labelled_enum!(
    /// Kinds of placement (安置).
    PlacementKind {
        ReturnToFamily => ("返回家庭", "return to family"),
        Relatives => ("亲属照料", "relatives"),
        ChildWelfare => ("儿童福利机构", "child-welfare institution"),
        MinorProtectionCentre => ("未成年人救助保护机构", "minor-protection centre"),
        SocialWelfare => ("社会福利机构", "social-welfare institution"),
        IndependentLiving => ("独立生活", "independent living"),
        ReturnHome => ("送返原籍/原籍国", "return to home province/country"),
        TownPlacement => ("镇街安置", "local placement by town/street"),
    }
);

labelled_enum!(
    /// Who will care for the person in a placement.
    CarerRelation {
        Parents => ("父母", "parents"),
        Relatives => ("其他亲属", "relatives"),
        Institution => ("机构", "institution"),
        SelfCare => ("本人", "self"),
        /// The family that bought the child: refused by R-PL-BUYER.
        PurchasingFamily => ("收买家庭", "purchasing family"),
        Other => ("其他", "other"),
    }
);

/// An approval by a person on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub by: String,
    pub date: NaiveDate,
}

/// A placement (安置).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub kind: PlacementKind,
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    pub place: String,
    pub carer: CarerRelation,
    pub decided_by: String,
    #[serde(default)]
    pub supervisor_approval: Option<Approval>,
    /// District government approval, required where R-ID-3M applies.
    #[serde(default)]
    pub district_approval: Option<Approval>,
    #[serde(default)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Rehabilitation services (康复).
    RehabService {
        BasicMedical => ("基本医疗", "basic medical care"),
        PsychologicalCounselling => ("心理咨询", "psychological counselling"),
        PsychologicalTherapy => ("心理治疗", "psychological therapy"),
        HardshipSupport => ("困难帮扶", "hardship support"),
        EmotionalSupport => ("情绪疏导", "emotional support"),
        PsychologicalGuidance => ("心理辅导", "psychological guidance"),
        BehaviourCorrection => ("行为矫治", "behaviour correction"),
        RehabilitationGuidance => ("康复指导", "rehabilitation guidance"),
        DisabilityAssessment => ("残疾等级评定", "disability assessment"),
    }
);

/// A rehabilitation service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Rehabilitation {
    pub service: RehabService,
    pub provider: String,
    pub start: NaiveDate,
    #[serde(default)]
    pub end: Option<NaiveDate>,
    #[serde(default)]
    pub outcome: Option<String>,
    /// Disability grade 1–4 from an assessment.
    #[serde(default)]
    pub disability_grade: Option<u8>,
    /// 残疾证 number if a certificate was issued.
    #[serde(default)]
    pub certificate_no: Option<String>,
}

labelled_enum!(
    /// Schooling status.
    SchoolStatus {
        Enrolled => ("入学", "enrolled"),
        Returned => ("返校", "returned to school"),
    }
);

/// Reintegration through school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Schooling {
    pub date: NaiveDate,
    pub status: SchoolStatus,
    pub school: String,
    /// 异地就学.
    #[serde(default)]
    pub elsewhere: bool,
    /// Psychological-health education arranged.
    #[serde(default)]
    pub psych_education: bool,
    #[serde(default)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Return to family or community.
    ReturnKind {
        Family => ("回归家庭", "family"),
        Community => ("回归社区", "community"),
    }
);

/// Reintegration into family or community, with privacy protection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct FamilyReturn {
    pub date: NaiveDate,
    pub kind: ReturnKind,
    pub place: String,
    /// How the person's privacy is protected on return.
    pub privacy_measures: String,
    #[serde(default)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Employment services (R-EMP-16).
    EmploymentService {
        Training => ("职业技能培训", "vocational training"),
        Guidance => ("就业指导", "employment guidance"),
        JobReferral => ("职业介绍", "job referral"),
    }
);

/// An employment service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Employment {
    pub date: NaiveDate,
    pub service: EmploymentService,
    pub provider: String,
    /// The person asked for the service (有意愿).
    pub wanted: bool,
    #[serde(default)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Decision on a legal-aid application.
    LegalAidDecision {
        Granted => ("准予援助", "granted"),
        Refused => ("不予援助", "refused"),
    }
);

/// A legal-aid application and its green-channel steps (R-LA-GC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct LegalAid {
    /// Legal-aid centre.
    pub centre: String,
    /// The matter (e.g. 刑事附带民事诉讼).
    pub matter: String,
    /// Green channel (trafficking victim): shorter targets.
    #[serde(default = "default_true")]
    pub green_channel: bool,
    pub received: NaiveDate,
    #[serde(default)]
    pub accepted: Option<NaiveDate>,
    #[serde(default)]
    pub reviewed: Option<NaiveDate>,
    #[serde(default)]
    pub decision: Option<LegalAidDecision>,
    #[serde(default)]
    pub refusal_reason: Option<String>,
    #[serde(default)]
    pub assigned: Option<NaiveDate>,
    /// Lawyer or legal-aid staff assigned.
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub handled: Option<NaiveDate>,
    #[serde(default)]
    pub closed: Option<NaiveDate>,
}

fn default_true() -> bool {
    true
}

labelled_enum!(
    /// Needs found at a follow-up visit.
    Need {
        Employment => ("就业", "employment"),
        Living => ("生活", "living"),
        Rights => ("权益维护", "rights"),
        Health => ("健康", "health"),
        Education => ("教育", "education"),
    }
);

/// A follow-up visit (跟踪回访).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub date: NaiveDate,
    pub visitor: String,
    pub living_situation: String,
    #[serde(default)]
    pub needs: Vec<Need>,
    #[serde(default)]
    pub actions: Option<String>,
}

/// An interview (询问), R-ONESTOP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Interview {
    pub date: NaiveDate,
    pub interviewer: String,
    #[serde(default)]
    pub agencies_present: Vec<String>,
    #[serde(default)]
    pub interpreter: Option<String>,
    /// For a minor: a guardian or social worker was present.
    #[serde(default)]
    pub guardian_or_social_worker_present: bool,
    /// Why a repeat interview was needed (required when an earlier one exists).
    #[serde(default)]
    pub repeat_reason: Option<String>,
}

/// A mandatory report (强制报告) of suspected harm to a minor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct MandatoryReport {
    pub date: NaiveDate,
    pub reported_to: String,
    #[serde(default)]
    pub reference: Option<String>,
    pub summary: String,
}

/// A free-text note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub date: NaiveDate,
    pub text: String,
}

labelled_enum!(
    /// Kinds of record, as stored and exported.
    RecordKind {
        ShelterStay => ("救助/临时监护", "shelter stay"),
        IdentityAttempt => ("身份查明", "identity verification"),
        TrackStep => ("三个月户籍安置程序", "three-month identity track step"),
        TrackClosure => ("户籍安置程序终止", "three-month track closure"),
        Placement => ("安置", "placement"),
        Rehabilitation => ("康复", "rehabilitation"),
        Schooling => ("就学", "schooling"),
        FamilyReturn => ("回归家庭/社区", "family/community return"),
        Employment => ("就业服务", "employment service"),
        LegalAid => ("法律援助", "legal aid"),
        FollowUp => ("跟踪回访", "follow-up"),
        Interview => ("询问", "interview"),
        MandatoryReport => ("强制报告", "mandatory report"),
        Note => ("备注", "note"),
    }
);

/// The content of a record, one variant per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordBody {
    ShelterStay(ShelterStay),
    IdentityAttempt(IdentityAttempt),
    TrackStep(TrackStepRecord),
    TrackClosure(TrackClosure),
    Placement(Placement),
    Rehabilitation(Rehabilitation),
    Schooling(Schooling),
    FamilyReturn(FamilyReturn),
    Employment(Employment),
    LegalAid(LegalAid),
    FollowUp(FollowUp),
    Interview(Interview),
    MandatoryReport(MandatoryReport),
    Note(Note),
}

impl RecordBody {
    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::ShelterStay(_) => RecordKind::ShelterStay,
            Self::IdentityAttempt(_) => RecordKind::IdentityAttempt,
            Self::TrackStep(_) => RecordKind::TrackStep,
            Self::TrackClosure(_) => RecordKind::TrackClosure,
            Self::Placement(_) => RecordKind::Placement,
            Self::Rehabilitation(_) => RecordKind::Rehabilitation,
            Self::Schooling(_) => RecordKind::Schooling,
            Self::FamilyReturn(_) => RecordKind::FamilyReturn,
            Self::Employment(_) => RecordKind::Employment,
            Self::LegalAid(_) => RecordKind::LegalAid,
            Self::FollowUp(_) => RecordKind::FollowUp,
            Self::Interview(_) => RecordKind::Interview,
            Self::MandatoryReport(_) => RecordKind::MandatoryReport,
            Self::Note(_) => RecordKind::Note,
        }
    }

    /// The date the record is about (for the timeline and sorting).
    pub fn date(&self) -> NaiveDate {
        match self {
            Self::ShelterStay(r) => r.admitted,
            Self::IdentityAttempt(r) => r.date,
            Self::TrackStep(r) => r.date,
            Self::TrackClosure(r) => r.date,
            Self::Placement(r) => r.start,
            Self::Rehabilitation(r) => r.start,
            Self::Schooling(r) => r.date,
            Self::FamilyReturn(r) => r.date,
            Self::Employment(r) => r.date,
            Self::LegalAid(r) => r.received,
            Self::FollowUp(r) => r.date,
            Self::Interview(r) => r.date,
            Self::MandatoryReport(r) => r.date,
            Self::Note(r) => r.date,
        }
    }

    /// Free text worth indexing for search (notes, outcomes, summaries).
    pub fn search_text(&self) -> Option<String> {
        let parts: Vec<&str> = match self {
            Self::Note(n) => vec![n.text.as_str()],
            Self::IdentityAttempt(a) => a.notes.iter().map(String::as_str).collect(),
            Self::FollowUp(f) => std::iter::once(f.living_situation.as_str())
                .chain(f.actions.as_deref())
                .collect(),
            Self::MandatoryReport(m) => vec![m.summary.as_str()],
            Self::Rehabilitation(r) => r.outcome.iter().map(String::as_str).collect(),
            Self::Placement(p) => p.notes.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        let text = parts.join(" ");
        (!text.trim().is_empty()).then_some(text)
    }
}

/// A stored record: id, case, body and who made it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub id: Uuid,
    pub case_id: Uuid,
    pub body: RecordBody,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}
