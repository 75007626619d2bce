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
use crate::schema::{Dated, Fields, ObjectSchema, RecordSchema, SchemaDoc};

labelled_enum!(
    /// Sex as recorded at intake.
    Sex {
        Female => ("female", "女", "female"),
        Male => ("male", "男", "male"),
        Unknown => ("unknown", "不详", "unknown"),
    }
);

/// Nothing recorded yet: unknown.
impl Default for Sex {
    fn default() -> Self {
        Sex::Unknown
    }
}

labelled_enum!(
    /// Kinds of disability (残疾类别).
    DisabilityKind {
        Visual => ("visual", "视力残疾", "visual"),
        Hearing => ("hearing", "听力残疾", "hearing"),
        Speech => ("speech", "言语残疾", "speech"),
        Physical => ("physical", "肢体残疾", "physical"),
        Intellectual => ("intellectual", "智力残疾", "intellectual"),
        Mental => ("mental", "精神残疾", "mental"),
        Multiple => ("multiple", "多重残疾", "multiple"),
    }
);

/// A birth date, exact or estimated (an estimate gives warnings where age matters).
#[derive(
    guitu_schema_derive::Fields,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "birth_date")]
pub struct BirthDate {
    #[schema(zh = "日期", en = "date")]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[serde(default)]
    #[schema(zh = "估计", en = "estimated")]
    pub estimated: bool,
}

/// Disability: kind, grade 1–4 (一级 most severe) and certificate number (残疾证号).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "disability")]
pub struct Disability {
    #[schema(zh = "残疾类别", en = "kind of disability")]
    pub kind: DisabilityKind,
    #[serde(default)]
    #[schema(zh = "残疾等级", en = "grade", range(1, 4))]
    pub grade: Option<u8>,
    #[serde(default)]
    #[schema(zh = "残疾证号", en = "certificate number", max = 40)]
    pub certificate_no: Option<String>,
}

/// A guardian of a minor.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "guardian")]
pub struct Guardian {
    #[schema(zh = "姓名", en = "name", max = 50)]
    pub name: String,
    #[schema(zh = "关系", en = "relation", max = 50)]
    pub relation: String,
    #[serde(default)]
    #[schema(zh = "联系方式", en = "contact")]
    pub contact: Option<String>,
}

/// The victim (受害人).
#[derive(
    guitu_schema_derive::Fields,
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "person")]
pub struct Person {
    #[schema(zh = "标识", en = "id")]
    #[serde(deserialize_with = "crate::dates::canonical_id")]
    pub id: Uuid,
    /// Absent while unknown (the intake number stands in).
    #[serde(default)]
    #[schema(zh = "姓名", en = "name", max = 50)]
    pub name: Option<String>,
    /// Number given at intake; required while the name is unknown (接收编号).
    #[serde(default)]
    #[schema(zh = "接收编号", en = "intake number", max = 50)]
    pub intake_number: Option<String>,
    #[serde(default)]
    #[schema(zh = "曾用名/别名", en = "other names", max = 50)]
    pub other_names: Vec<String>,
    #[schema(zh = "性别", en = "sex")]
    pub sex: Sex,
    /// Exact or estimated; an estimate gives warnings where age matters (R-EMP-16).
    #[serde(default)]
    #[schema(zh = "出生日期", en = "birth date")]
    pub birth_date: Option<BirthDate>,
    /// Absent or 中国 for Chinese nationals.
    #[serde(default)]
    #[schema(zh = "国籍", en = "nationality", max = 50)]
    pub nationality: Option<String>,
    #[serde(default)]
    #[schema(zh = "民族", en = "ethnicity", max = 50)]
    pub ethnicity: Option<String>,
    /// 户籍地, if known.
    #[serde(default)]
    #[schema(zh = "户籍地", en = "household registration")]
    pub household_registration: Option<String>,
    /// 18 characters, check character and birth date verified (R-ID-NUM); an old
    /// 15-digit number is kept in its 18-character form.
    #[serde(default)]
    #[schema(zh = "居民身份证号", en = "resident ID number", max = 40)]
    pub resident_id: Option<String>,
    /// Kind, grade 1–4 (一级 most severe), certificate number.
    #[serde(default)]
    #[schema(zh = "残疾情况", en = "disability")]
    pub disability: Option<Disability>,
    /// Languages or dialects spoken.
    #[serde(default)]
    #[schema(zh = "语言/方言", en = "languages or dialects", max = 50)]
    pub languages: Vec<String>,
    /// Guardians of a minor.
    #[serde(default)]
    #[schema(zh = "监护人", en = "guardians")]
    pub guardians: Vec<Guardian>,
    /// 发现地: town or street where the person was found.
    #[serde(default)]
    #[schema(zh = "发现地（镇街）", en = "found in (town or street)")]
    pub found_place: Option<String>,
}

impl Person {
    /// True when the nationality is recorded and is not Chinese.
    pub fn is_foreign(&self) -> bool {
        self.nationality.as_deref().is_some_and(foreign_nationality)
    }
}

/// True when `nationality` is written and is not Chinese.
pub fn foreign_nationality(nationality: &str) -> bool {
    !matches!(
        nationality.trim(),
        "" | "中国" | "中华人民共和国" | "CN" | "China"
    )
}

labelled_enum!(
    /// Kinds of receiving institution.
    InstitutionKind {
        AssistanceStation => ("assistance_station", "救助管理站", "assistance-management station"),
        MinorProtectionCentre => ("minor_protection_centre", "未成年人救助保护机构", "minor-protection centre"),
        ChildWelfare => ("child_welfare", "儿童福利机构", "child-welfare institution"),
        Other => ("other", "其他机构", "other institution"),
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
        PoliceRescue => ("police_rescue", "公安解救", "police rescue"),
        SelfReport => ("self_report", "本人求助", "self-report"),
        Hotline => ("hotline", "热线举报", "hotline"),
        OtherDistrict => ("other_district", "外区移交", "other district"),
        Other => ("other", "其他", "other"),
    }
);

labelled_enum!(
    /// The case's current focus (stages overlap; records of every kind stay open).
    Stage {
        Intake => ("intake", "接收救助", "intake"),
        Identity => ("identity", "身份查明", "identity"),
        Placement => ("placement", "安置", "placement"),
        Rehabilitation => ("rehabilitation", "康复", "rehabilitation"),
        Reintegration => ("reintegration", "回归社会", "reintegration"),
        FollowUp => ("follow_up", "持续帮扶", "follow-up"),
        Closed => ("closed", "结案", "closed"),
    }
);

/// Flags that decide which rules and protections apply.
#[derive(
    guitu_schema_derive::Fields,
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "case_flags")]
pub struct CaseFlags {
    #[serde(default)]
    #[schema(zh = "未成年人", en = "minor")]
    pub minor: bool,
    #[serde(default)]
    #[schema(zh = "妇女", en = "woman")]
    pub woman: bool,
    #[serde(default)]
    #[schema(zh = "残疾人", en = "disabled")]
    pub disabled: bool,
    #[serde(default)]
    #[schema(zh = "外籍", en = "foreign")]
    pub foreign: bool,
    #[serde(default)]
    #[schema(zh = "跨省", en = "cross-province")]
    pub cross_province: bool,
}

labelled_enum!(
    /// One of the case flags, for filtering lists.
    CaseFlag {
        Minor => ("minor", "未成年人", "minor"),
        Woman => ("woman", "妇女", "woman"),
        Disabled => ("disabled", "残疾人", "disabled"),
        Foreign => ("foreign", "外籍", "foreign"),
        CrossProvince => ("cross_province", "跨省", "cross-province"),
    }
);

impl CaseFlags {
    /// The flags that are set, in declaration order (labels come from `CaseFlag`).
    pub fn set(&self) -> Vec<CaseFlag> {
        CaseFlag::ALL
            .iter()
            .copied()
            .filter(|f| self.has(*f))
            .collect()
    }

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
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "case")]
pub struct Case {
    #[schema(zh = "标识", en = "id")]
    #[serde(deserialize_with = "crate::dates::canonical_id")]
    pub id: Uuid,
    /// Unique, e.g. `DZ-2026-0001` (the prefix is a setting); numbered automatically when empty.
    #[schema(zh = "个案编号", en = "case number", max = 32)]
    pub case_number: String,
    /// The person: in the same file or already in the vault.
    #[schema(zh = "受害人", en = "person")]
    #[serde(deserialize_with = "crate::dates::canonical_id")]
    pub person_id: Uuid,
    #[schema(zh = "接收机构", en = "receiving institution")]
    pub institution: String,
    /// R-ID-3M applies to every kind but `other`.
    #[schema(zh = "机构类别", en = "kind of institution")]
    pub institution_kind: InstitutionKind,
    /// 接收日期.
    #[schema(zh = "接收日期", en = "received on", past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub received_date: NaiveDate,
    #[schema(zh = "来源", en = "referral source")]
    pub referral: ReferralSource,
    #[serde(default)]
    #[schema(zh = "公安案件编号", en = "police case reference", max = 100)]
    pub police_reference: Option<String>,
    #[schema(zh = "承办人", en = "caseworker", max = 50)]
    pub caseworker: String,
    /// Minor, woman, disabled and foreign follow from the person and are always set; cross-province is the caseworker's.
    #[serde(default)]
    #[schema(zh = "标记", en = "flags")]
    pub flags: CaseFlags,
    #[schema(zh = "阶段", en = "stage")]
    pub stage: Stage,
}

labelled_enum!(
    /// Kinds of shelter stay.
    ShelterKind {
        AssistanceStation => ("assistance_station", "救助管理站救助", "assistance station"),
        TemporaryGuardianship => ("temporary_guardianship", "未成年人救助保护机构临时监护", "temporary guardianship (minor-protection centre)"),
        ChildWelfare => ("child_welfare", "儿童福利机构代养/养育", "child-welfare institution (foster/raising)"),
    }
);

/// A stay at a shelter (救助/临时监护).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "shelter_stay")]
pub struct ShelterStay {
    #[schema(zh = "机构", en = "institution")]
    pub institution: String,
    #[schema(zh = "救助类别", en = "kind of stay")]
    pub kind: ShelterKind,
    #[schema(zh = "入站日期", en = "admitted", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub admitted: NaiveDate,
    /// Not before `admitted`.
    #[schema(zh = "离站日期", en = "discharged", past, ends)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub discharged: Option<NaiveDate>,
    #[serde(default)]
    #[schema(zh = "原因", en = "reason", multiline)]
    pub reason: Option<String>,
}

labelled_enum!(
    /// Ways identity is sought.
    IdentityMethod {
        PoliceInquiry => ("police_inquiry", "公安查询", "police inquiry"),
        PhotoComparison => ("photo_comparison", "照片比对", "photo comparison"),
        FamilyTracing => ("family_tracing", "查找亲属", "family tracing"),
        /// Police took a blood sample for their database (采血入库). R-DNA: only the fact,
        /// the date and the police reference are kept here, never the profile.
        PoliceBloodSample => ("police_blood_sample", "公安采血入库", "blood sample taken by police"),
    }
);

labelled_enum!(
    /// Outcome of an identity attempt.
    IdentityOutcome {
        Pending => ("pending", "待回复", "pending"),
        NoMatch => ("no_match", "未查明", "no match"),
        Verified => ("verified", "已查明", "verified"),
    }
);

/// A dated identity-verification attempt (身份查明).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "identity_attempt")]
pub struct IdentityAttempt {
    #[schema(zh = "日期", en = "date", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "方式", en = "method")]
    pub method: IdentityMethod,
    #[schema(zh = "结果", en = "outcome")]
    pub outcome: IdentityOutcome,
    /// Date the identity was established (outcome `verified`).
    #[schema(zh = "查明日期", en = "verified on", past)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub verified_date: Option<NaiveDate>,
    /// Police reference (e.g. of the blood sample).
    #[serde(default)]
    #[schema(zh = "公安编号", en = "police reference", max = 100)]
    pub police_reference: Option<String>,
    #[serde(default)]
    #[schema(zh = "备注", en = "notes", multiline, search)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// The five steps of the R-ID-3M household-registration track.
    TrackStep {
        HouseholdRegistration => ("household_registration", "协调公安办理户籍", "household registration with police"),
        SocialAssistance => ("social_assistance", "协助申请社会救助、社会福利", "apply for social assistance and welfare"),
        PlacementApplication => ("placement_application", "提出安置申请", "placement application"),
        DistrictApproval => ("district_approval", "报区政府同意", "district government approval"),
        TownPlacement => ("town_placement", "由发现地镇街安置", "placement by the town/street where found"),
    }
);

/// A step of the R-ID-3M track, done on a date by someone.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "track_step")]
pub struct TrackStepRecord {
    #[schema(zh = "步骤", en = "step")]
    pub step: TrackStep,
    #[schema(zh = "完成日期", en = "done on", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    /// Who did it (attributed).
    #[schema(zh = "经办人", en = "by", max = 50)]
    pub by: String,
    #[serde(default)]
    #[schema(zh = "备注", en = "notes", multiline)]
    pub notes: Option<String>,
}

/// The R-ID-3M track closed because identity was found after it triggered (never deleted).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "track_closure")]
pub struct TrackClosure {
    #[schema(zh = "终止日期", en = "closed on", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "终止理由", en = "reason", multiline)]
    pub reason: String,
    #[schema(zh = "经办人", en = "by", max = 50)]
    pub by: String,
}

labelled_enum!(
    /// Kinds of placement (安置).
    PlacementKind {
        ReturnToFamily => ("return_to_family", "返回家庭", "return to family"),
        Relatives => ("relatives", "亲属照料", "relatives"),
        ChildWelfare => ("child_welfare", "儿童福利机构", "child-welfare institution"),
        MinorProtectionCentre => ("minor_protection_centre", "未成年人救助保护机构", "minor-protection centre"),
        SocialWelfare => ("social_welfare", "社会福利机构", "social-welfare institution"),
        IndependentLiving => ("independent_living", "独立生活", "independent living"),
        ReturnHome => ("return_home", "送返原籍/原籍国", "return to home province/country"),
        TownPlacement => ("town_placement", "镇街安置", "local placement by town/street"),
    }
);

labelled_enum!(
    /// Who will care for the person in a placement.
    CarerRelation {
        Parents => ("parents", "父母", "parents"),
        Relatives => ("relatives", "其他亲属", "relatives"),
        Institution => ("institution", "机构", "institution"),
        SelfCare => ("self_care", "本人", "self"),
        /// The family that bought the child: refused by R-PL-BUYER.
        PurchasingFamily => ("purchasing_family", "收买家庭", "purchasing family"),
        Other => ("other", "其他", "other"),
    }
);

/// An approval by a person on a date.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "approval")]
pub struct Approval {
    #[schema(zh = "批准人", en = "approved by", max = 50)]
    pub by: String,
    #[schema(zh = "批准日期", en = "approved on", past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
}

/// A placement (安置).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "placement")]
pub struct Placement {
    #[schema(zh = "安置方式", en = "kind of placement")]
    pub kind: PlacementKind,
    #[schema(zh = "开始日期", en = "start", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub start: NaiveDate,
    #[schema(zh = "结束日期", en = "end", planned, ends)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub end: Option<NaiveDate>,
    #[schema(zh = "安置地点", en = "place")]
    pub place: String,
    /// The purchasing family is refused (R-PL-BUYER).
    #[schema(zh = "照料人", en = "carer")]
    pub carer: CarerRelation,
    #[schema(zh = "决定人", en = "decided by", max = 50)]
    pub decided_by: String,
    #[serde(default)]
    #[schema(zh = "主管批准", en = "supervisor approval", past)]
    pub supervisor_approval: Option<Approval>,
    /// District government approval, required where R-ID-3M applies.
    #[serde(default)]
    #[schema(zh = "区政府同意", en = "district government approval", past)]
    pub district_approval: Option<Approval>,
    #[serde(default)]
    #[schema(zh = "备注", en = "notes", multiline, search)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Rehabilitation services (康复).
    RehabService {
        BasicMedical => ("basic_medical", "基本医疗", "basic medical care"),
        PsychologicalCounselling => ("psychological_counselling", "心理咨询", "psychological counselling"),
        PsychologicalTherapy => ("psychological_therapy", "心理治疗", "psychological therapy"),
        HardshipSupport => ("hardship_support", "困难帮扶", "hardship support"),
        EmotionalSupport => ("emotional_support", "情绪疏导", "emotional support"),
        PsychologicalGuidance => ("psychological_guidance", "心理辅导", "psychological guidance"),
        BehaviourCorrection => ("behaviour_correction", "行为矫治", "behaviour correction"),
        RehabilitationGuidance => ("rehabilitation_guidance", "康复指导", "rehabilitation guidance"),
        DisabilityAssessment => ("disability_assessment", "残疾等级评定", "disability assessment"),
    }
);

/// A rehabilitation service.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "rehabilitation")]
pub struct Rehabilitation {
    #[schema(zh = "服务类别", en = "service")]
    pub service: RehabService,
    #[schema(zh = "服务机构", en = "provider")]
    pub provider: String,
    #[schema(zh = "开始日期", en = "start", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub start: NaiveDate,
    #[schema(zh = "结束日期", en = "end", planned, ends)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub end: Option<NaiveDate>,
    #[serde(default)]
    #[schema(zh = "结果", en = "outcome", multiline, search)]
    pub outcome: Option<String>,
    /// Disability grade 1–4 from an assessment.
    #[serde(default)]
    #[schema(zh = "评定残疾等级", en = "assessed disability grade", range(1, 4))]
    pub disability_grade: Option<u8>,
    /// 残疾证 number if a certificate was issued.
    #[serde(default)]
    #[schema(zh = "残疾证号", en = "disability certificate number", max = 40)]
    pub certificate_no: Option<String>,
}

labelled_enum!(
    /// Schooling status.
    SchoolStatus {
        Enrolled => ("enrolled", "入学", "enrolled"),
        Returned => ("returned", "返校", "returned to school"),
    }
);

/// Reintegration through school.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "schooling")]
pub struct Schooling {
    #[schema(zh = "日期", en = "date", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "就学情况", en = "status")]
    pub status: SchoolStatus,
    #[schema(zh = "学校", en = "school")]
    pub school: String,
    /// 异地就学.
    #[serde(default)]
    #[schema(zh = "异地就学", en = "schooling elsewhere")]
    pub elsewhere: bool,
    /// Psychological-health education arranged.
    #[serde(default)]
    #[schema(
        zh = "已安排心理健康教育",
        en = "psychological-health education arranged"
    )]
    pub psych_education: bool,
    #[serde(default)]
    #[schema(zh = "备注", en = "notes", multiline)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Return to family or community.
    ReturnKind {
        Family => ("family", "回归家庭", "family"),
        Community => ("community", "回归社区", "community"),
    }
);

/// Reintegration into family or community, with privacy protection.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "family_return")]
pub struct FamilyReturn {
    #[schema(zh = "日期", en = "date", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "回归方式", en = "return to")]
    pub kind: ReturnKind,
    #[schema(zh = "回归地点", en = "place")]
    pub place: String,
    /// How the person's privacy is protected on return.
    #[schema(zh = "隐私保护措施", en = "privacy measures", multiline)]
    pub privacy_measures: String,
    #[serde(default)]
    #[schema(zh = "备注", en = "notes", multiline)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Employment services (R-EMP-16).
    EmploymentService {
        Training => ("training", "职业技能培训", "vocational training"),
        Guidance => ("guidance", "就业指导", "employment guidance"),
        JobReferral => ("job_referral", "职业介绍", "job referral"),
    }
);

/// An employment service.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "employment")]
pub struct Employment {
    #[schema(zh = "服务日期", en = "service date", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "服务类别", en = "service")]
    pub service: EmploymentService,
    #[schema(zh = "服务机构", en = "provider")]
    pub provider: String,
    /// The person asked for the service (有意愿); must be true, and the person 16 or over on `date` (R-EMP-16).
    #[schema(zh = "本人有意愿", en = "the person wants it")]
    pub wanted: bool,
    #[serde(default)]
    #[schema(zh = "备注", en = "notes", multiline)]
    pub notes: Option<String>,
}

labelled_enum!(
    /// Decision on a legal-aid application.
    LegalAidDecision {
        Granted => ("granted", "准予援助", "granted"),
        Refused => ("refused", "不予援助", "refused"),
    }
);

/// A legal-aid application and its green-channel steps (R-LA-GC).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "legal_aid")]
pub struct LegalAid {
    /// Legal-aid centre.
    #[schema(zh = "法律援助机构", en = "legal-aid centre")]
    pub centre: String,
    /// The matter (e.g. 刑事附带民事诉讼).
    #[schema(zh = "援助事项", en = "matter")]
    pub matter: String,
    /// Trafficking victim: the green channel's shorter targets (default true, R-LA-GC).
    #[serde(default = "default_true")]
    #[schema(zh = "绿色通道", en = "green channel")]
    pub green_channel: bool,
    #[schema(zh = "申请日期", en = "applied on", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub received: NaiveDate,
    #[schema(zh = "受理日期", en = "accepted on", past)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub accepted: Option<NaiveDate>,
    #[schema(zh = "审查决定日期", en = "decided on", past)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub reviewed: Option<NaiveDate>,
    #[serde(default)]
    #[schema(zh = "审查决定", en = "decision")]
    pub decision: Option<LegalAidDecision>,
    /// Required when the decision is `refused`.
    #[serde(default)]
    #[schema(zh = "不予援助理由", en = "reason for refusal", multiline)]
    pub refusal_reason: Option<String>,
    #[schema(zh = "指派日期", en = "assigned on", past)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub assigned: Option<NaiveDate>,
    /// Lawyer or legal-aid staff assigned.
    #[serde(default)]
    #[schema(zh = "承办律师/人员", en = "lawyer or legal-aid staff", max = 50)]
    pub assignee: Option<String>,
    #[schema(zh = "办理日期", en = "handled on", past)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub handled: Option<NaiveDate>,
    #[schema(zh = "结案日期", en = "closed on", past)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub closed: Option<NaiveDate>,
}

fn default_true() -> bool {
    true
}

impl LegalAid {
    /// An application as it is received: on the green channel (a trafficking victim,
    /// R-LA-GC), no step after the reception recorded yet.
    pub fn application(centre: &str, matter: &str, received: NaiveDate) -> LegalAid {
        LegalAid {
            centre: centre.to_owned(),
            matter: matter.to_owned(),
            green_channel: true,
            received,
            accepted: None,
            reviewed: None,
            decision: None,
            refusal_reason: None,
            assigned: None,
            assignee: None,
            handled: None,
            closed: None,
        }
    }
}

labelled_enum!(
    /// Needs found at a follow-up visit.
    Need {
        Employment => ("employment", "就业", "employment"),
        Living => ("living", "生活", "living"),
        Rights => ("rights", "权益维护", "rights"),
        Health => ("health", "健康", "health"),
        Education => ("education", "教育", "education"),
    }
);

labelled_enum!(
    /// How a follow-up visit was made (回访方式).
    VisitMode {
        Home => ("home", "上门回访", "home visit"),
        Phone => ("phone", "电话回访", "phone call"),
        Video => ("video", "视频回访", "video call"),
        School => ("school", "在校回访", "at school"),
        Other => ("other", "其他方式", "other"),
    }
);

/// A follow-up visit (跟踪回访).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "follow_up")]
pub struct FollowUp {
    #[schema(zh = "回访日期", en = "visit date", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "回访人", en = "visitor", max = 50)]
    pub visitor: String,
    #[schema(zh = "生活状况", en = "living situation", multiline, search)]
    pub living_situation: String,
    #[serde(default)]
    #[schema(zh = "发现的需求", en = "needs found")]
    pub needs: Vec<Need>,
    #[serde(default)]
    #[schema(zh = "采取的措施", en = "actions taken", multiline, search)]
    pub actions: Option<String>,
    /// How the visit was made.
    #[serde(default)]
    #[schema(zh = "回访方式", en = "visit mode")]
    pub mode: Option<VisitMode>,
    /// Where the visit took place (home, school, workplace…).
    #[serde(default)]
    #[schema(zh = "回访地点", en = "place", max = 100, search)]
    pub place: Option<String>,
    /// When the next visit is planned; may be in the future. The latest visit's date is a
    /// deadline of the case until a later visit is recorded (`rules::due`).
    #[schema(zh = "下次回访日期", en = "next visit", planned)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub next_visit: Option<NaiveDate>,
}

/// An interview (询问), R-ONESTOP.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "interview")]
pub struct Interview {
    #[schema(zh = "询问日期", en = "interview date", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "询问人", en = "interviewer", max = 50)]
    pub interviewer: String,
    #[serde(default)]
    #[schema(zh = "在场单位", en = "agencies present")]
    pub agencies_present: Vec<String>,
    #[serde(default)]
    #[schema(zh = "翻译人员", en = "interpreter", max = 50)]
    pub interpreter: Option<String>,
    /// For a minor: a guardian or social worker was present.
    #[serde(default)]
    #[schema(
        zh = "监护人或社会工作者在场",
        en = "guardian or social worker present"
    )]
    pub guardian_or_social_worker_present: bool,
    /// Required when the case already has an interview (R-ONESTOP).
    #[serde(default)]
    #[schema(zh = "再次询问的理由", en = "reason for a repeat interview", multiline)]
    pub repeat_reason: Option<String>,
}

/// A mandatory report (强制报告) of suspected harm to a minor.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "mandatory_report")]
pub struct MandatoryReport {
    #[schema(zh = "报告日期", en = "reported on", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "报告对象", en = "reported to")]
    pub reported_to: String,
    #[serde(default)]
    #[schema(zh = "受理编号", en = "reference", max = 100)]
    pub reference: Option<String>,
    #[schema(zh = "报告内容", en = "summary", multiline, search)]
    pub summary: String,
}

/// A free-text note.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "note")]
pub struct Note {
    #[schema(zh = "日期", en = "date", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub date: NaiveDate,
    #[schema(zh = "内容", en = "text", multiline, search)]
    pub text: String,
}

labelled_enum!(
    /// Who gave a consent to share information (R-CONSENT).
    ConsentGiver {
        Person => ("person", "本人", "the person"),
        Guardian => ("guardian", "监护人", "the guardian"),
    }
);

/// A consent to share the person's information (信息共享同意, R-CONSENT): who agreed, to
/// what sharing, with which kinds of recipient, from when, and when it was withdrawn. A
/// hand-off to a recipient of a kind it covers relies on it while it is in force
/// ([`crate::handoff::consent_for`]).
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "consent")]
pub struct Consent {
    /// The person, or the guardian for a minor or a person who cannot consent.
    #[schema(zh = "同意人", en = "given by")]
    pub given_by: ConsentGiver,
    /// Required when a guardian agreed (R-CONSENT).
    #[serde(default)]
    #[schema(zh = "监护人姓名", en = "guardian's name", max = 50, search)]
    pub guardian_name: Option<String>,
    /// What may be shared, and for what purpose, in the words of the consent.
    #[schema(zh = "同意共享的内容", en = "sharing agreed to", multiline, search)]
    pub covers: String,
    /// The kinds of recipient the consent covers; at least one (R-CONSENT).
    #[schema(zh = "接收方类别", en = "kinds of recipient")]
    pub recipients: Vec<crate::handoff::RecipientKind>,
    /// The day the consent was given; it counts from that day.
    #[schema(zh = "同意日期", en = "given on", orders, past)]
    #[serde(deserialize_with = "crate::dates::strict")]
    pub from: NaiveDate,
    /// The day the consent was withdrawn; from that day it no longer counts. Never before
    /// it was given.
    #[schema(zh = "撤回日期", en = "withdrawn on", past, ends)]
    #[serde(default, deserialize_with = "crate::dates::strict_opt")]
    pub withdrawn: Option<NaiveDate>,
    #[serde(default)]
    #[schema(zh = "备注", en = "notes", multiline)]
    pub notes: Option<String>,
}

/// Why a record or a case is voided (作废, R-DATE): entered by mistake, never deleted.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "void")]
pub struct Void {
    #[schema(zh = "作废理由", en = "reason for voiding", max = 500, multiline)]
    pub reason: String,
}

/// This device as its peers see it (hand-off between devices): the name on its contact
/// card.
#[derive(
    guitu_schema_derive::Fields, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(deny_unknown_fields)]
#[schema(name = "device")]
pub struct Device {
    #[schema(zh = "设备名称", en = "device name", max = 40)]
    pub name: String,
}

/// Declares the record kinds once: `RecordKind` (labelled), `RecordBody` (one variant per
/// kind, tagged by `type` on the wire), and what every kind shares through its schema
/// (its date, its search text, its field checks).
macro_rules! record_kinds {
    ($($variant:ident($body:ty) => ($wire:literal, $zh:expr, $en:expr)),+ $(,)?) => {
        labelled_enum!(
            /// Kinds of record, as stored and exported.
            RecordKind { $($variant => ($wire, $zh, $en)),+ }
        );

        /// The content of a record, one variant per kind.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
        #[serde(tag = "type")]
        pub enum RecordBody {
            $(#[serde(rename = $wire)] $variant($body)),+
        }

        impl RecordBody {
            /// The record's kind.
            pub fn kind(&self) -> RecordKind {
                match self { $(Self::$variant(_) => RecordKind::$variant),+ }
            }

            /// The date the record is about (its schema's `orders` field): the timeline
            /// and every list sort by it.
            pub fn date(&self) -> NaiveDate {
                match self { $(Self::$variant(r) => Dated::date(r)),+ }
            }

            /// Free text worth indexing for search (the schema's `search` fields).
            pub fn search_text(&self) -> Option<String> {
                let mut parts = Vec::new();
                match self { $(Self::$variant(r) => r.search_text(&mut parts)),+ }
                let text = parts.join(" ");
                (!text.trim().is_empty()).then_some(text)
            }

            /// Where a record body that does not parse goes wrong: the path of the field
            /// inside the body and serde's message. A body is read in one piece (its
            /// `type` says which fields it has), so the error of the whole file names only
            /// the body; this reads it again as its kind to name the field.
            pub fn locate_error(
                value: &serde_json::Value,
            ) -> Option<(serde_path_to_error::Path, String)> {
                let kind = value.get("type")?.as_str()?;
                let mut fields = value.as_object()?.clone();
                fields.remove("type");
                let fields = serde_json::Value::Object(fields);
                match kind {
                    $($wire => serde_path_to_error::deserialize::<_, $body>(fields)
                        .err()
                        .map(|e| (e.path().clone(), e.inner().to_string())),)+
                    _ => None,
                }
            }

            /// Runs the field checks of the record's schema (required, lengths,
            /// characters, ranges, plausible dates).
            pub fn check_fields(&self) -> Result<(), crate::DomainError> {
                match self { $(Self::$variant(r) => r.check_all()),+ }
            }

            /// R-DATE: refuses a date that says something happened (a field marked
            /// `past`) after `today`.
            pub fn check_past_dates(&self, today: NaiveDate) -> Result<(), crate::DomainError> {
                match self { $(Self::$variant(r) => r.check_past_dates(today)),+ }
            }

            /// The schema path of the record's date (`track_step.date` …).
            pub fn date_path(&self) -> String {
                match self { $(Self::$variant(_) => {
                    let field = <$body as Fields>::fields()
                        .into_iter()
                        .find(|f| f.orders)
                        .map(|f| f.name)
                        .unwrap_or_default();
                    format!("{}.{}", $wire, field)
                }),+ }
            }
        }

        /// The schema of every record kind, in `RecordKind` order.
        fn record_schemas() -> Vec<RecordSchema> {
            vec![$({
                let fields = <$body as Fields>::fields();
                let date_field = fields
                    .iter()
                    .find(|f| f.orders)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                RecordSchema {
                    kind: $wire.to_owned(),
                    zh: $zh.to_owned(),
                    en: $en.to_owned(),
                    date_field,
                    fields,
                }
            }),+]
        }
    };
}

record_kinds! {
    ShelterStay(ShelterStay) => ("shelter_stay", "救助/临时监护", "shelter stay"),
    IdentityAttempt(IdentityAttempt) => ("identity_attempt", "身份查明", "identity verification"),
    TrackStep(TrackStepRecord) => ("track_step", "三个月户籍安置程序", "three-month identity track step"),
    TrackClosure(TrackClosure) => ("track_closure", "户籍安置程序终止", "three-month track closure"),
    Placement(Placement) => ("placement", "安置", "placement"),
    Rehabilitation(Rehabilitation) => ("rehabilitation", "康复", "rehabilitation"),
    Schooling(Schooling) => ("schooling", "就学", "schooling"),
    FamilyReturn(FamilyReturn) => ("family_return", "回归家庭/社区", "family/community return"),
    Employment(Employment) => ("employment", "就业服务", "employment service"),
    LegalAid(LegalAid) => ("legal_aid", "法律援助", "legal aid"),
    FollowUp(FollowUp) => ("follow_up", "跟踪回访", "follow-up"),
    Interview(Interview) => ("interview", "询问", "interview"),
    MandatoryReport(MandatoryReport) => ("mandatory_report", "强制报告", "mandatory report"),
    Note(Note) => ("note", "备注", "note"),
    Consent(Consent) => ("consent", "信息共享同意", "consent to share information"),
}

/// The most characters of a user name in a record's envelope (`created_by`, `updated_by`).
pub const AUTHOR_MAX: u32 = 100;

impl Record {
    /// Checks who made and last changed the record (the envelope around its body): not
    /// blank, at most [`AUTHOR_MAX`] characters, no control or direction-override
    /// characters. Imports bring these from outside.
    pub fn check_authors(&self) -> Result<(), crate::DomainError> {
        use crate::schema::{At, Check, Limits};
        let limits = Limits {
            max: Some(AUTHOR_MAX),
            ..Limits::default()
        };
        let at = At::root("record");
        self.created_by.check(at.child("created_by"), &limits)?;
        self.updated_by.check(at.child("updated_by"), &limits)
    }
}

/// The envelope of a stored record, for labels (the body has its own schema).
fn record_envelope() -> Vec<crate::schema::FieldSpec> {
    use crate::schema::{FieldSpec, Limits};
    let limits = Limits {
        max: Some(AUTHOR_MAX),
        ..Limits::default()
    };
    vec![
        FieldSpec::of::<String>("created_by", "记录人", "recorded by", limits)
            .with_doc("Who made the record (a user name)."),
        FieldSpec::of::<String>("updated_by", "最后修改人", "last changed by", limits)
            .with_doc("Who last changed the record (a user name)."),
    ]
}

/// Every labelled enumeration of the model, for the schema document.
fn enums() -> std::collections::BTreeMap<String, Vec<crate::schema::EnumValue>> {
    use crate::label::{LabelledEnum, enum_values};
    let mut out = std::collections::BTreeMap::new();
    macro_rules! add {
        ($($e:ty),+) => { $(out.insert(<$e as LabelledEnum>::NAME.to_owned(), enum_values::<$e>());)+ };
    }
    add!(
        Sex,
        DisabilityKind,
        InstitutionKind,
        ReferralSource,
        Stage,
        CaseFlag,
        ShelterKind,
        IdentityMethod,
        IdentityOutcome,
        TrackStep,
        PlacementKind,
        CarerRelation,
        RehabService,
        SchoolStatus,
        ReturnKind,
        EmploymentService,
        LegalAidDecision,
        Need,
        VisitMode,
        ConsentGiver,
        crate::handoff::RecipientKind,
        crate::handoff::LegalBasis,
        RecordKind,
        crate::rules::legal_aid::LaStep,
        crate::report::ReportSection,
        crate::report::ReportLine,
        crate::report::ReportColumn,
        crate::report::AgeBand
    );
    out
}

/// The whole schema (see [`crate::schema::document`]).
pub(crate) fn schema_document() -> SchemaDoc {
    let objects = vec![
        ObjectSchema {
            name: Person::NAME.to_owned(),
            fields: Person::fields(),
        },
        ObjectSchema {
            name: Case::NAME.to_owned(),
            fields: Case::fields(),
        },
        ObjectSchema {
            name: BirthDate::NAME.to_owned(),
            fields: BirthDate::fields(),
        },
        ObjectSchema {
            name: Disability::NAME.to_owned(),
            fields: Disability::fields(),
        },
        ObjectSchema {
            name: Guardian::NAME.to_owned(),
            fields: Guardian::fields(),
        },
        ObjectSchema {
            name: CaseFlags::NAME.to_owned(),
            fields: CaseFlags::fields(),
        },
        ObjectSchema {
            name: Approval::NAME.to_owned(),
            fields: Approval::fields(),
        },
        ObjectSchema {
            name: "record".to_owned(),
            fields: record_envelope(),
        },
        ObjectSchema {
            name: Void::NAME.to_owned(),
            fields: Void::fields(),
        },
        ObjectSchema {
            name: Device::NAME.to_owned(),
            fields: Device::fields(),
        },
    ];
    SchemaDoc {
        records: record_schemas(),
        objects,
        enums: enums(),
    }
}

/// A stored record: id, case, body and who made it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Record {
    #[serde(deserialize_with = "crate::dates::canonical_id")]
    pub id: Uuid,
    #[serde(deserialize_with = "crate::dates::canonical_id")]
    pub case_id: Uuid,
    pub body: RecordBody,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}
