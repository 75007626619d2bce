//! Names as Chinese readers order them: by pinyin (李 < 王 < 张), not by code point.

use pinyin::ToPinyin;

/// Surnames whose reading as a surname differs from the character's usual reading
/// (单 is shàn as a surname, not dān). The pinyin data knows the characters, not names.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('仇', "qiu"),
    ('解', "xie"),
    ('区', "ou"),
    ('朴', "piao"),
    ('查', "zha"),
    ('盖', "ge"),
    ('乐', "yue"),
    ('曾', "zeng"),
    ('覃', "qin"),
    ('翟', "zhai"),
    ('缪', "miao"),
    ('黑', "he"),
    ('尉', "yu"),
];

/// A character's reading when it is a surname and differs from its usual reading.
pub fn surname_reading(c: char) -> Option<&'static str> {
    SURNAME_READINGS
        .iter()
        .find(|(s, _)| *s == c)
        .map(|(_, r)| *r)
}

/// The key a person's name sorts by: toneless pinyin syllables (the first character read
/// as a surname), then the characters themselves to order homophones the same way every
/// time. Persons whose name is unknown sort after every name, by intake number.
pub fn sort_key(name: Option<&str>, intake_number: Option<&str>) -> String {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        // '~' sorts after every lower-case letter and digit.
        return format!("~{}", intake_number.unwrap_or("").trim());
    };
    let mut key = String::with_capacity(name.len() * 3);
    for (i, c) in name.chars().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        let surname = (i == 0)
            .then(|| SURNAME_READINGS.iter().find(|(s, _)| *s == c))
            .flatten();
        match (surname, c.to_pinyin()) {
            (Some((_, reading)), _) => key.push_str(reading),
            (None, Some(p)) => key.push_str(p.plain()),
            (None, None) => key.extend(c.to_lowercase()),
        }
    }
    key.push('\u{1}');
    key.push_str(name);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<(String, String)> = names
            .iter()
            .map(|n| (sort_key(Some(n), None), (*n).to_owned()))
            .collect();
        v.sort();
        v.into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn surnames_sort_by_pinyin() {
        assert_eq!(sorted(&["张伟", "王芳", "李娜"]), ["李娜", "王芳", "张伟"]);
        assert_eq!(
            sorted(&["林峰", "李娜", "刘洋"]),
            ["李娜", "林峰", "刘洋"],
            "li < lin < liu"
        );
        assert_eq!(
            sorted(&["李娜", "李明"]),
            ["李明", "李娜"],
            "given names by pinyin too"
        );
    }

    #[test]
    fn surname_readings_and_unknown_names() {
        assert!(
            sort_key(Some("单雪"), None).starts_with("shan "),
            "单 as a surname is shàn"
        );
        assert!(
            sort_key(Some("曾强"), None).starts_with("zeng "),
            "曾 as a surname is zēng"
        );
        assert!(
            sort_key(None, Some("JS-17")) > sort_key(Some("张伟"), None),
            "unknown names come after every name"
        );
        assert!(
            sort_key(Some("Anna"), None).starts_with("a n n a"),
            "Latin letters lower-cased"
        );
    }
}
