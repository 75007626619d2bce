//! R-DUP: the same person twice. Whether two person records are likely the same person,
//! with the reasons a caseworker can check: the same resident ID number (an old 15-digit
//! number in its 18-character form), the same name, the same toneless pinyin under any
//! reading of its characters (刘 / 柳, 张伟 / 章伟), the same initials, one character
//! different, a name recorded as the other's other name (曾用名), and beside the name: sex,
//! birth date or year (the one inside the ID number too), place found and intake dates.
//!
//! Each reason has a weight; their sum is the pair's score, and the settings say from which
//! score a pair is a candidate and from which it is likely ([`DuplicateSettings`]). Nothing
//! is ever merged here: the domain only compares. The store finds the persons worth
//! comparing through [`Profile::keys`] (blocking keys), so a check never reads the vault.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use pinyin::ToPinyinMulti;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::labelled_enum;
use crate::model::{Person, Sex};
use crate::rules::idnum;

labelled_enum!(
    /// Why two person records may be the same person (or why not). The weight of each is
    /// [`MatchReason::weight`].
    MatchReason {
        SameResidentId => ("same_resident_id", "身份证号相同", "same resident ID number"),
        DifferentResidentId => ("different_resident_id", "身份证号不同", "different resident ID numbers"),
        SameName => ("same_name", "姓名相同", "same name"),
        OtherName => ("other_name", "姓名与曾用名/别名相同", "name matches an other name"),
        SamePinyin => ("same_pinyin", "姓名拼音相同（同音字）", "same pinyin (homophone)"),
        GivenName => ("given_name", "名字或小名相同（如秀珍、阿强）", "given name or pet name matches"),
        OneCharacter => ("one_character", "姓名仅一字之差", "names differ in one character"),
        SameInitials => ("same_initials", "姓名拼音首字母相同", "same pinyin initials"),
        SameSex => ("same_sex", "性别相同", "same sex"),
        DifferentSex => ("different_sex", "性别不同", "different sex"),
        SameBirthDate => ("same_birth_date", "出生日期相同", "same birth date"),
        BirthDateInId => ("birth_date_in_id", "出生日期与身份证号中的相同", "birth date matches the one in the ID number"),
        DifferentBirthDate => ("different_birth_date", "出生日期不同", "different birth dates"),
        SameBirthYear => ("same_birth_year", "出生年份相同", "same birth year"),
        NearBirthYear => ("near_birth_year", "出生年份相近（估计）", "birth years close (estimated)"),
        BirthFarApart => ("birth_far_apart", "出生年份相差较大", "birth years far apart"),
        SameFoundPlace => ("same_found_place", "发现地相同", "same place found"),
        CloseIntake => ("close_intake", "接收日期相近", "received close together"),
    }
);

impl MatchReason {
    /// What the reason adds to (or takes from) a pair's score.
    pub fn weight(self) -> i32 {
        match self {
            Self::SameResidentId => 100,
            Self::DifferentResidentId => -100,
            Self::SameName => 40,
            Self::OtherName => 35,
            Self::SamePinyin => 30,
            Self::GivenName => 25,
            Self::OneCharacter => 15,
            Self::SameInitials => 10,
            Self::SameSex => 5,
            Self::DifferentSex => -50,
            Self::SameBirthDate | Self::BirthDateInId => 30,
            Self::DifferentBirthDate => -20,
            Self::SameBirthYear => 15,
            Self::NearBirthYear => 8,
            Self::BirthFarApart => -30,
            Self::SameFoundPlace => 15,
            Self::CloseIntake => 5,
        }
    }
}

/// Receiving dates at most this many days apart are "close together".
pub const CLOSE_INTAKE_DAYS: i64 = 30;
/// At most this many pinyin spellings are kept per name (names of characters with several
/// readings multiply).
pub const MAX_READINGS: usize = 16;
/// The lowest and highest score a threshold may be set to.
pub const SCORE_RANGE: std::ops::RangeInclusive<u32> = 20..=200;

/// From which score a pair of persons is shown (a candidate) and from which it is likely
/// the same person (configurable, R-DUP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct DuplicateSettings {
    /// A pair scoring at least this is a candidate: shown at intake, in imports, in the list.
    pub candidate_score: u32,
    /// A pair scoring at least this is likely the same person (shown first, in red).
    pub likely_score: u32,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        Self {
            candidate_score: 50,
            likely_score: 80,
        }
    }
}

impl DuplicateSettings {
    /// Both in [`SCORE_RANGE`], and a likely pair is a candidate.
    pub fn is_valid(&self) -> bool {
        SCORE_RANGE.contains(&self.candidate_score)
            && SCORE_RANGE.contains(&self.likely_score)
            && self.candidate_score <= self.likely_score
    }
}

/// One name of a person, in the forms the signals compare.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NameForm {
    /// Without spaces and the middle dot of minority names, Latin letters lower-cased.
    text: String,
    chars: Vec<char>,
    /// Toneless pinyin of every reading, syllables joined (`zhangwei`).
    readings: BTreeSet<String>,
    /// First letters of every reading (`zw`).
    initials: BTreeSet<String>,
    /// The first letters of the usual reading of each character: the one blocking key of
    /// initials (every reading is still compared).
    usual_initials: Option<String>,
}

fn normalised_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '・' | '.' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The toneless readings of one character (a Latin letter or digit reads as itself).
fn char_readings(c: char, first: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(r) = crate::names::surname_reading(c).filter(|_| first) {
        out.push(r.to_owned());
    }
    match c.to_pinyin_multi() {
        Some(multi) => {
            for p in multi {
                let plain = p.plain().to_owned();
                if !out.contains(&plain) {
                    out.push(plain);
                }
            }
        }
        None => out.push(c.to_string()),
    }
    out
}

impl NameForm {
    fn of(name: &str) -> Option<Self> {
        let text = normalised_name(name);
        if text.is_empty() {
            return None;
        }
        let chars: Vec<char> = text.chars().collect();
        let ascii = chars.iter().all(char::is_ascii_alphanumeric);
        let mut readings = BTreeSet::new();
        let mut initials = BTreeSet::new();
        let mut usual_initials = None;
        if ascii {
            // A name typed in pinyin or Latin letters is its own reading; no initials, as
            // the syllables are not known.
            readings.insert(text.clone());
        } else {
            let mut partial: Vec<(String, String)> = vec![(String::new(), String::new())];
            for (i, c) in chars.iter().enumerate() {
                let options = char_readings(*c, i == 0);
                let mut next = Vec::with_capacity(partial.len() * options.len());
                for (spelt, first) in &partial {
                    for o in &options {
                        if next.len() >= MAX_READINGS {
                            break;
                        }
                        let mut s = spelt.clone();
                        s.push_str(o);
                        let mut f = first.clone();
                        f.extend(o.chars().next());
                        next.push((s, f));
                    }
                }
                partial = next;
            }
            // The first combination takes every character's usual (first) reading.
            usual_initials = partial
                .first()
                .filter(|_| chars.len() >= 2)
                .map(|(_, f)| f.clone());
            for (s, f) in partial {
                readings.insert(s);
                if chars.len() >= 2 {
                    initials.insert(f);
                }
            }
        }
        Some(Self {
            text,
            chars,
            readings,
            initials,
            usual_initials,
        })
    }

    /// The name without its (one-character) surname, for names of three characters or
    /// more; a two-character name may itself be a given name.
    fn given(&self) -> Option<String> {
        match self.chars.len() {
            2 => Some(self.text.clone()),
            n if n >= 3 => Some(self.chars[1..].iter().collect()),
            _ => None,
        }
    }

    /// The character a pet name is made of: 阿强 and 小强 → 强, 佳佳 → 佳. `None` for
    /// other names.
    fn pet_char(&self) -> Option<char> {
        match self.chars.as_slice() {
            ['阿' | '小', c] => Some(*c),
            [a, b] if a == b => Some(*a),
            _ => None,
        }
    }

    /// This name is the other's given name (秀珍 / 龙秀珍) or a pet name made of the last
    /// character of the other's given name (阿强 / 吴志强, 佳佳 / 魏佳).
    fn names_given_of(&self, other: &Self) -> bool {
        if self.chars.len() < other.chars.len()
            && other.chars.len() >= 3
            && other.given().as_deref() == Some(self.text.as_str())
        {
            return true;
        }
        match (self.pet_char(), other.chars.last()) {
            (Some(c), Some(last)) => {
                other.chars.len() >= 2 && c == *last && self.text != other.text
            }
            _ => false,
        }
    }

    fn one_character_apart(&self, other: &Self) -> bool {
        self.chars.len() == other.chars.len()
            && self.chars.len() >= 2
            && self
                .chars
                .iter()
                .zip(&other.chars)
                .filter(|(a, b)| a != b)
                .count()
                == 1
    }
}

/// How a name can be typed in Latin letters, for search: every toneless pinyin spelling
/// (`zhangwei`) and every string of initials (`zw`). Empty for a name already in Latin
/// letters.
pub fn spellings(name: &str) -> Vec<String> {
    let Some(form) = NameForm::of(name) else {
        return Vec::new();
    };
    if form.chars.iter().all(char::is_ascii_alphanumeric) {
        return Vec::new();
    }
    let mut out: Vec<String> = form.readings.into_iter().collect();
    out.extend(form.initials);
    out.sort();
    out.dedup();
    out
}

/// What the signals compare of one person, made once per person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub person_id: Uuid,
    /// The recorded name first (when known), then the other names.
    names: Vec<NameForm>,
    has_name: bool,
    sex: Sex,
    birth: Option<(NaiveDate, bool)>,
    resident_id: Option<String>,
    id_birth: Option<NaiveDate>,
    found_place: Option<String>,
    intakes: Vec<NaiveDate>,
}

impl Profile {
    /// The profile of a person, with the receiving dates of their cases.
    pub fn of(person: &Person, intakes: &[NaiveDate]) -> Self {
        let mut names = Vec::new();
        let has_name = match person.name.as_deref().and_then(NameForm::of) {
            Some(n) => {
                names.push(n);
                true
            }
            None => false,
        };
        for other in &person.other_names {
            if let Some(n) = NameForm::of(other).filter(|n| !names.iter().any(|m| m.text == n.text))
            {
                names.push(n);
            }
        }
        let parsed = person
            .resident_id
            .as_deref()
            .and_then(|id| idnum::parse(id).ok());
        Self {
            person_id: person.id,
            names,
            has_name,
            sex: person.sex,
            birth: person.birth_date.map(|b| (b.date, b.estimated)),
            resident_id: parsed.as_ref().map(|(n, _)| n.clone()),
            id_birth: parsed.map(|(_, d)| d),
            found_place: person
                .found_place
                .as_deref()
                .map(normalised_name)
                .filter(|p| !p.is_empty()),
            intakes: intakes.to_vec(),
        }
    }

    /// The birth date that counts: the one inside the ID number, else the recorded one.
    fn birth(&self) -> Option<(NaiveDate, bool)> {
        self.id_birth.map(|d| (d, false)).or(self.birth)
    }

    fn birth_years(&self) -> Vec<i32> {
        match self.birth() {
            Some((d, true)) => vec![d.year() - 1, d.year(), d.year() + 1],
            Some((d, false)) => vec![d.year()],
            None => Vec::new(),
        }
    }

    /// Blocking keys: two persons worth comparing share at least one. The resident ID
    /// number; every name, its given name and every pinyin spelling of it; with the birth
    /// year (the years beside it too when estimated), every name with one character
    /// masked; with the birth year alone, the usual initials and the pet-name character.
    /// About a dozen keys a person: each is a row written with the person.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = BTreeSet::new();
        if let Some(id) = &self.resident_id {
            keys.insert(format!("id:{id}"));
        }
        let years = self.birth_years();
        let year = self.birth().map(|(d, _)| d.year());
        for n in &self.names {
            keys.insert(format!("n:{}", n.text));
            if n.chars.len() >= 3 {
                keys.insert(format!("n:{}", n.chars[1..].iter().collect::<String>()));
            }
            for r in &n.readings {
                keys.insert(format!("p:{r}"));
            }
            for y in &years {
                if (2..=4).contains(&n.chars.len()) {
                    for i in 0..n.chars.len() {
                        let masked: String = n
                            .chars
                            .iter()
                            .enumerate()
                            .map(|(j, c)| if j == i { '*' } else { *c })
                            .collect();
                        keys.insert(format!("w:{masked}|{y}"));
                    }
                }
            }
            if let Some(y) = year {
                if let Some(f) = &n.usual_initials {
                    keys.insert(format!("i:{f}|{y}"));
                }
                // Pet names: 阿强, 小强, 强强 and every name ending in 强, by birth year.
                if let Some(c) = n.pet_char().or_else(|| n.chars.last().copied()) {
                    keys.insert(format!("k:{c}|{y}"));
                }
            }
        }
        keys.into_iter().collect()
    }
}

/// Two persons compared: the score and every reason that counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Comparison {
    pub score: i32,
    pub reasons: Vec<MatchReason>,
}

fn name_reason(a: &Profile, b: &Profile) -> Option<MatchReason> {
    let mut best: Option<MatchReason> = None;
    let mut consider = |r: MatchReason| {
        if best.is_none_or(|b| r.weight() > b.weight()) {
            best = Some(r);
        }
    };
    for (i, x) in a.names.iter().enumerate() {
        for (j, y) in b.names.iter().enumerate() {
            let primary = i == 0 && a.has_name && j == 0 && b.has_name;
            if x.text == y.text {
                consider(if primary {
                    MatchReason::SameName
                } else {
                    MatchReason::OtherName
                });
            } else if !x.readings.is_disjoint(&y.readings) {
                consider(MatchReason::SamePinyin);
            } else if x.names_given_of(y) || y.names_given_of(x) {
                consider(MatchReason::GivenName);
            } else if x.one_character_apart(y) {
                consider(MatchReason::OneCharacter);
            } else if !x.initials.is_disjoint(&y.initials) {
                consider(MatchReason::SameInitials);
            }
        }
    }
    best
}

fn birth_reason(a: &Profile, b: &Profile) -> Option<MatchReason> {
    let ((da, ea), (db, eb)) = (a.birth()?, b.birth()?);
    let apart = (da.year() - db.year()).abs();
    if !ea && !eb {
        if da == db {
            let via_id = a.id_birth.is_some() != b.id_birth.is_some();
            return Some(if via_id {
                MatchReason::BirthDateInId
            } else {
                MatchReason::SameBirthDate
            });
        }
        return Some(match apart {
            0 => MatchReason::DifferentBirthDate,
            _ => MatchReason::BirthFarApart,
        });
    }
    match apart {
        0 => Some(MatchReason::SameBirthYear),
        1..=2 => Some(MatchReason::NearBirthYear),
        3 => None,
        _ => Some(MatchReason::BirthFarApart),
    }
}

/// Compares two persons. Symmetric: `compare(a, b)` and `compare(b, a)` give the same.
///
/// Sex, birth, place and intake only weigh beside a name or the ID number: without either,
/// two persons are not compared at all (two children of one age found in one town on one
/// day are not one child).
pub fn compare(a: &Profile, b: &Profile) -> Comparison {
    let mut reasons = Vec::new();
    match (&a.resident_id, &b.resident_id) {
        (Some(x), Some(y)) if x == y => reasons.push(MatchReason::SameResidentId),
        (Some(_), Some(_)) => reasons.push(MatchReason::DifferentResidentId),
        _ => {}
    }
    reasons.extend(name_reason(a, b));
    let identifying = reasons
        .iter()
        .any(|r| *r != MatchReason::DifferentResidentId);
    if !identifying {
        return Comparison {
            score: reasons.iter().map(|r| r.weight()).sum(),
            reasons,
        };
    }
    match (a.sex, b.sex) {
        (Sex::Unknown, _) | (_, Sex::Unknown) => {}
        (x, y) if x == y => reasons.push(MatchReason::SameSex),
        _ => reasons.push(MatchReason::DifferentSex),
    }
    reasons.extend(birth_reason(a, b));
    if a.found_place.is_some() && a.found_place == b.found_place {
        reasons.push(MatchReason::SameFoundPlace);
    }
    let close = a.intakes.iter().any(|x| {
        b.intakes
            .iter()
            .any(|y| (*x - *y).num_days().abs() <= CLOSE_INTAKE_DAYS)
    });
    if close {
        reasons.push(MatchReason::CloseIntake);
    }
    Comparison {
        score: reasons.iter().map(|r| r.weight()).sum(),
        reasons,
    }
}

/// How sure a pair is, by the settings' thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    Candidate,
    Likely,
}

impl DuplicateSettings {
    /// `None` below the candidate score.
    pub fn likelihood(&self, score: i32) -> Option<Likelihood> {
        let score = u32::try_from(score).ok()?;
        if score >= self.likely_score {
            Some(Likelihood::Likely)
        } else if score >= self.candidate_score {
            Some(Likelihood::Candidate)
        } else {
            None
        }
    }
}

/// The names of `other` that `person` does not have yet (its name and other names), in
/// order: what a merge or a link adds to the kept person's other names.
pub fn names_to_add(person: &Person, other: &Person) -> Vec<String> {
    let known: Vec<String> = person
        .name
        .iter()
        .chain(person.other_names.iter())
        .map(|n| normalised_name(n))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for n in other.name.iter().chain(other.other_names.iter()) {
        let n = n.trim();
        if !n.is_empty() && !known.contains(&normalised_name(n)) && !out.iter().any(|o| o == n) {
            out.push(n.to_owned());
        }
    }
    out
}

/// A new intake decided to be `person` ("the same person"): the person gains the intake's
/// other names and whatever it recorded that the person lacks (ID number, birth date, place
/// found …); nothing the person has is overwritten.
pub fn link(person: &Person, intake: &Person) -> Person {
    let mut p = person.clone();
    p.other_names.extend(names_to_add(person, intake));
    if p.name.is_none() && intake.name.is_some() {
        // The name became known: it is the name now, not another name.
        p.name = intake.name.clone();
        p.other_names.retain(|n| Some(n) != intake.name.as_ref());
    }
    macro_rules! fill {
        ($($f:ident),+) => { $(if p.$f.is_none() { p.$f = intake.$f.clone(); })+ };
    }
    fill!(
        intake_number,
        birth_date,
        nationality,
        ethnicity,
        household_registration,
        resident_id,
        disability,
        found_place
    );
    if p.sex == Sex::Unknown {
        p.sex = intake.sex;
    }
    for l in &intake.languages {
        if !p.languages.contains(l) {
            p.languages.push(l.clone());
        }
    }
    if p.guardians.is_empty() {
        p.guardians = intake.guardians.clone();
    }
    p
}

/// A pair of person ids in one order (the smaller first), as "not a duplicate" is kept.
pub fn pair(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a <= b { (a, b) } else { (b, a) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BirthDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn person(name: &str, sex: Sex, birth: Option<(NaiveDate, bool)>) -> Person {
        Person {
            id: Uuid::now_v7(),
            name: (!name.is_empty()).then(|| name.to_owned()),
            intake_number: name.is_empty().then(|| "JS-1".to_owned()),
            other_names: Vec::new(),
            sex,
            birth_date: birth.map(|(date, estimated)| BirthDate { date, estimated }),
            nationality: None,
            ethnicity: None,
            household_registration: None,
            resident_id: None,
            disability: None,
            languages: Vec::new(),
            guardians: Vec::new(),
            found_place: None,
        }
    }

    fn cmp(a: &Person, b: &Person) -> Comparison {
        let (pa, pb) = (Profile::of(a, &[]), Profile::of(b, &[]));
        let ab = compare(&pa, &pb);
        assert_eq!(ab, compare(&pb, &pa), "comparison is symmetric");
        ab
    }

    fn shares_a_key(a: &Person, b: &Person) -> bool {
        let ka: BTreeSet<String> = Profile::of(a, &[]).keys().into_iter().collect();
        Profile::of(b, &[]).keys().iter().any(|k| ka.contains(k))
    }

    #[test]
    fn the_same_id_number_old_and_new_form_is_the_strongest_reason() {
        let mut a = person("王芳", Sex::Female, None);
        a.resident_id = Some("11010519491231002X".into());
        let mut b = person("汪方", Sex::Unknown, None);
        b.resident_id = Some("110105491231002".into());
        let c = cmp(&a, &b);
        assert!(
            c.reasons.contains(&MatchReason::SameResidentId),
            "15 → 18 digits: {c:?}"
        );
        assert!(c.score >= 100, "an ID number alone makes a likely pair");
        assert!(shares_a_key(&a, &b), "the ID number is a blocking key");
        b.resident_id = Some("110105194912310038".into());
        let c = cmp(&a, &b);
        assert!(c.reasons.contains(&MatchReason::DifferentResidentId));
        assert!(
            c.score < 0,
            "two valid, different ID numbers are two persons"
        );
    }

    #[test]
    fn homophones_share_a_pinyin_reading() {
        let born = Some((d(2009, 5, 1), false));
        for (x, y) in [("张伟", "章伟"), ("刘洋", "柳洋"), ("李丽", "李莉")] {
            let c = cmp(&person(x, Sex::Male, born), &person(y, Sex::Male, born));
            assert!(
                c.reasons.contains(&MatchReason::SamePinyin),
                "{x}/{y}: {c:?}"
            );
            assert!(shares_a_key(
                &person(x, Sex::Male, None),
                &person(y, Sex::Male, None)
            ));
        }
        // 单 has several readings (dān, shàn, chán): 善 (shàn) matches as a surname reading.
        let c = cmp(
            &person("单伟", Sex::Male, None),
            &person("善伟", Sex::Male, None),
        );
        assert!(
            c.reasons.contains(&MatchReason::SamePinyin),
            "every reading: {c:?}"
        );
        // A name typed in pinyin meets its characters.
        let c = cmp(
            &person("张伟", Sex::Male, None),
            &person("Zhang Wei", Sex::Male, None),
        );
        assert!(c.reasons.contains(&MatchReason::SamePinyin), "{c:?}");
    }

    #[test]
    fn initials_and_one_character() {
        let born = Some((d(2001, 1, 1), true));
        let c = cmp(
            &person("张伟", Sex::Male, born),
            &person("朱文", Sex::Male, born),
        );
        assert!(
            c.reasons.contains(&MatchReason::SameInitials),
            "zw / zw: {c:?}"
        );
        let c = cmp(
            &person("陈小红", Sex::Female, born),
            &person("陈晓虹", Sex::Female, born),
        );
        assert!(c.reasons.contains(&MatchReason::SamePinyin), "{c:?}");
        let c = cmp(
            &person("陈小红", Sex::Female, born),
            &person("陈大红", Sex::Female, born),
        );
        assert!(c.reasons.contains(&MatchReason::OneCharacter), "{c:?}");
        assert!(
            shares_a_key(
                &person("陈小红", Sex::Female, born),
                &person("陈大红", Sex::Female, born)
            ),
            "one character masked, with the birth year"
        );
    }

    #[test]
    fn a_name_recorded_as_the_others_other_name() {
        let mut a = person("阿芳", Sex::Female, None);
        a.other_names = vec!["李芳".into()];
        let mut b = person("李芳", Sex::Female, None);
        b.other_names = vec!["小芳".into()];
        let c = cmp(&a, &b);
        assert!(c.reasons.contains(&MatchReason::OtherName), "{c:?}");
        let mut unknown = person("", Sex::Female, None);
        unknown.other_names = vec!["阿芳".into()];
        let c = cmp(&unknown, &a);
        assert!(
            c.reasons.contains(&MatchReason::OtherName),
            "an unknown name's alias: {c:?}"
        );
    }

    #[test]
    fn a_given_name_or_pet_name_meets_the_full_name() {
        let mut alias = person("", Sex::Female, Some((d(1958, 7, 1), true)));
        alias.other_names = vec!["秀珍".into()];
        let full = person("龙秀珍", Sex::Female, Some((d(1958, 8, 14), false)));
        let c = cmp(&alias, &full);
        assert!(
            c.reasons.contains(&MatchReason::GivenName),
            "秀珍 / 龙秀珍: {c:?}"
        );
        assert!(shares_a_key(&alias, &full), "the given name is a key");
        let pet = person("阿强", Sex::Male, Some((d(2003, 7, 1), true)));
        let full = person("吴志强", Sex::Male, Some((d(2003, 9, 24), false)));
        assert!(cmp(&pet, &full).reasons.contains(&MatchReason::GivenName));
        assert!(
            shares_a_key(&pet, &full),
            "a pet name blocks with the birth year"
        );
        let doubled = person("佳佳", Sex::Female, None);
        assert!(
            cmp(&doubled, &person("魏佳", Sex::Female, None))
                .reasons
                .contains(&MatchReason::GivenName)
        );
        assert!(
            !cmp(
                &person("王芳", Sex::Female, None),
                &person("李芳", Sex::Female, None)
            )
            .reasons
            .contains(&MatchReason::GivenName),
            "two full names sharing a last character are not a pet name"
        );
    }

    #[test]
    fn estimated_birth_years_and_the_date_inside_an_id() {
        let exact = person("王静", Sex::Female, Some((d(2009, 3, 14), false)));
        let estimated = person("王静", Sex::Female, Some((d(2009, 7, 1), true)));
        let c = cmp(&exact, &estimated);
        assert!(c.reasons.contains(&MatchReason::SameBirthYear), "{c:?}");
        let near = person("王静", Sex::Female, Some((d(2010, 7, 1), true)));
        assert!(
            cmp(&exact, &near)
                .reasons
                .contains(&MatchReason::NearBirthYear)
        );
        assert!(
            shares_a_key(
                &person("王婧", Sex::Female, Some((d(2010, 7, 1), true))),
                &exact
            ),
            "an estimated year blocks with the years beside it"
        );
        let far = person("王静", Sex::Female, Some((d(1985, 3, 14), false)));
        let c = cmp(&exact, &far);
        assert!(c.reasons.contains(&MatchReason::BirthFarApart), "{c:?}");
        assert!(c.score < 50, "a common name 24 years apart is two persons");
        let mut with_id = person("王静", Sex::Female, None);
        with_id.resident_id = Some("11010519491231002X".into());
        let recorded = person("王静", Sex::Female, Some((d(1949, 12, 31), false)));
        assert!(
            cmp(&with_id, &recorded)
                .reasons
                .contains(&MatchReason::BirthDateInId)
        );
    }

    #[test]
    fn different_sex_weighs_against() {
        let born = Some((d(2009, 5, 1), false));
        let c = cmp(
            &person("张伟", Sex::Male, born),
            &person("张伟", Sex::Female, born),
        );
        assert!(c.reasons.contains(&MatchReason::DifferentSex));
        assert!(c.score < 50, "{c:?}");
    }

    #[test]
    fn the_issue_example_is_a_candidate() {
        let born = Some((d(2009, 1, 1), true));
        let mut a = person("张伟", Sex::Male, born);
        a.found_place = Some("城关镇".into());
        let mut b = person("章伟", Sex::Male, born);
        b.found_place = Some("城关镇".into());
        let c = compare(
            &Profile::of(&a, &[d(2026, 3, 1)]),
            &Profile::of(&b, &[d(2026, 11, 29)]),
        );
        let s = DuplicateSettings::default();
        assert!(s.likelihood(c.score).is_some(), "{c:?}");
    }

    #[test]
    fn linking_adds_names_and_fills_gaps_without_overwriting() {
        let mut stored = person("李芳", Sex::Female, Some((d(2009, 1, 1), true)));
        stored.other_names = vec!["小芳".into()];
        let mut intake = person("李方", Sex::Unknown, Some((d(2009, 4, 2), false)));
        intake.other_names = vec!["小芳".into(), "阿芳".into()];
        intake.resident_id = Some("11010519491231002X".into());
        assert_eq!(names_to_add(&stored, &intake), vec!["李方", "阿芳"]);
        let linked = link(&stored, &intake);
        assert_eq!(
            linked.name.as_deref(),
            Some("李芳"),
            "the stored name stays"
        );
        assert_eq!(linked.other_names, vec!["小芳", "李方", "阿芳"]);
        assert_eq!(linked.sex, Sex::Female, "a known sex is not overwritten");
        assert!(
            linked.birth_date.is_some_and(|b| b.estimated),
            "nor a birth date"
        );
        assert_eq!(
            linked.resident_id, intake.resident_id,
            "a missing ID number is filled"
        );
    }

    #[test]
    fn names_are_spelt_for_search() {
        let s = spellings("张伟");
        assert!(s.contains(&"zhangwei".to_owned()), "{s:?}");
        assert!(s.contains(&"zw".to_owned()), "{s:?}");
        assert!(
            spellings("Anna").is_empty(),
            "Latin names are searched as they are"
        );
    }

    #[test]
    fn settings_are_checked() {
        assert!(DuplicateSettings::default().is_valid());
        assert!(
            !DuplicateSettings {
                candidate_score: 90,
                likely_score: 80
            }
            .is_valid()
        );
        assert!(
            !DuplicateSettings {
                candidate_score: 0,
                likely_score: 80
            }
            .is_valid()
        );
    }
}
