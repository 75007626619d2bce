//! The columns of a ledger (台账): one labelled enumeration, each value with its canonical
//! header (its Chinese label) and the header variants offices write.

use guitu_domain::label::{Label, LabelledEnum};
use guitu_domain::labelled_enum;

labelled_enum!(
    /// A column Guitu reads from and writes to a ledger. The Chinese label is the header
    /// Guitu's own export writes.
    LedgerColumn {
        Seq => ("seq", "序号", "no."),
        Name => ("name", "姓名", "name"),
        OtherNames => ("other_names", "曾用名", "other names"),
        Sex => ("sex", "性别", "sex"),
        ResidentId => ("resident_id", "身份证号", "resident ID number"),
        BirthDate => ("birth_date", "出生日期", "birth date"),
        HouseholdRegistration => ("household_registration", "籍贯/户籍地", "native place or household registration"),
        ReceivedDate => ("received_date", "解救/入站日期", "rescued or admitted on"),
        Institution => ("institution", "接收机构", "receiving institution"),
        Referral => ("referral", "来源单位/移送单位", "referring unit"),
        Identity => ("identity", "身份核查情况", "identity verification"),
        Placement => ("placement", "安置方式", "placement"),
        Rehabilitation => ("rehabilitation", "康复情况", "rehabilitation"),
        LegalAid => ("legal_aid", "法律援助", "legal aid"),
        Leaving => ("leaving", "离站方式及日期", "leaving the station"),
        FollowUp => ("follow_up", "回访情况", "follow-up visits"),
        Caseworker => ("caseworker", "经办人", "caseworker"),
    }
);

impl LedgerColumn {
    /// The headers accepted for the column besides its label (compared after
    /// [`normalise_header`]).
    pub fn variants(self) -> &'static [&'static str] {
        use LedgerColumn as C;
        match self {
            C::Seq => &["序号", "编号序号", "No", "No."],
            C::Name => &[
                "姓名",
                "受助人姓名",
                "被解救人姓名",
                "受害人姓名",
                "受助人员姓名",
            ],
            C::OtherNames => &[
                "曾用名",
                "别名",
                "曾用名/别名",
                "其他姓名",
                "曾用名（别名）",
            ],
            C::Sex => &["性别"],
            C::ResidentId => &[
                "身份证号",
                "身份证号码",
                "公民身份号码",
                "证件号码",
                "居民身份证号",
                "居民身份证号码",
                "身份证",
            ],
            C::BirthDate => &["出生日期", "出生年月日", "出生年月", "生日"],
            C::HouseholdRegistration => &[
                "籍贯/户籍地",
                "籍贯",
                "户籍地",
                "户籍所在地",
                "户籍地址",
                "籍贯（户籍地）",
            ],
            C::ReceivedDate => &[
                "解救/入站日期",
                "解救日期",
                "入站日期",
                "接收日期",
                "救助日期",
                "解救时间",
                "入站时间",
                "接收时间",
            ],
            C::Institution => &["接收机构", "接收单位", "救助机构", "救助管理机构"],
            C::Referral => &[
                "来源单位/移送单位",
                "来源单位",
                "移送单位",
                "送站单位",
                "来源",
                "移交单位",
            ],
            C::Identity => &["身份核查情况", "身份核查", "身份查明情况", "身份核实情况"],
            C::Placement => &["安置方式", "安置情况"],
            C::Rehabilitation => &["康复情况", "康复", "康复服务"],
            C::LegalAid => &["法律援助", "法律援助情况"],
            C::Leaving => &[
                "离站方式及日期",
                "离站方式及时间",
                "离站情况",
                "离站方式",
                "离站日期",
            ],
            C::FollowUp => &["回访情况", "跟踪回访", "回访", "跟踪回访情况"],
            C::Caseworker => &["经办人", "承办人", "责任社工", "负责社工", "经办社工"],
        }
    }

    /// The column a header names, if any: the header is compared with the label and
    /// the variants ignoring spaces, line breaks, the width of brackets, slashes and
    /// colons, and a colon at the end.
    pub fn of_header(header: &str) -> Option<LedgerColumn> {
        let h = normalise_header(header);
        if h.is_empty() {
            return None;
        }
        Self::ALL.iter().copied().find(|c| {
            normalise_header(c.zh()) == h || c.variants().iter().any(|v| normalise_header(v) == h)
        })
    }

    /// Whether the column holds dates (a number in it is an Excel serial date).
    pub fn is_date(self) -> bool {
        matches!(self, Self::BirthDate | Self::ReceivedDate)
    }

    /// The column named by its key (`received_date`), as `--map` files write it.
    pub fn of_key(key: &str) -> Option<LedgerColumn> {
        Self::parse(key.trim())
    }

    /// Every column key, for a refusal that lists them.
    pub fn keys() -> Vec<String> {
        Self::ALL.iter().map(|c| c.as_str().to_owned()).collect()
    }
}

/// A header as compared: no whitespace (spaces, full-width spaces, line breaks inside the
/// cell), half-width brackets, slashes and colons, no colon at the end, ASCII lower case.
pub fn normalise_header(s: &str) -> String {
    let mut out: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '【' | '[' => '(',
            '】' | ']' => ')',
            '／' | '、' => '/',
            '：' => ':',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    while out.ends_with(':') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_their_spacing_brackets_and_colons() {
        assert_eq!(LedgerColumn::of_header("姓 名"), Some(LedgerColumn::Name));
        assert_eq!(
            LedgerColumn::of_header("身份证\n号码："),
            Some(LedgerColumn::ResidentId),
            "a line break inside the cell and a trailing colon are ignored"
        );
        assert_eq!(
            LedgerColumn::of_header("籍贯(户籍地)"),
            Some(LedgerColumn::HouseholdRegistration),
            "half-width brackets match the full-width variant"
        );
        assert_eq!(
            LedgerColumn::of_header("解救／入站日期"),
            Some(LedgerColumn::ReceivedDate)
        );
        assert_eq!(
            LedgerColumn::of_header("送站单位"),
            Some(LedgerColumn::Referral)
        );
        assert_eq!(
            LedgerColumn::of_header("责任社工"),
            Some(LedgerColumn::Caseworker)
        );
        assert_eq!(
            LedgerColumn::of_header("备注"),
            None,
            "unknown headers map to nothing"
        );
        assert_eq!(LedgerColumn::of_header("  "), None);
    }

    #[test]
    fn every_label_is_a_header_of_its_own_column_and_of_no_other() {
        for c in LedgerColumn::ALL {
            assert_eq!(LedgerColumn::of_header(c.zh()), Some(*c), "{}", c.as_str());
            for v in c.variants() {
                assert_eq!(
                    LedgerColumn::of_header(v),
                    Some(*c),
                    "variant {v} must name {} only",
                    c.as_str()
                );
            }
        }
    }
}
