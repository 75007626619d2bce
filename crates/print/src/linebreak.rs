//! Chinese line breaking (禁则): where a line may end, measured with the caller's font
//! metrics. Pure: no printpdf, no font, so it is tested on its own.
//!
//! - A line may break between any two CJK characters (ideographs, kana, hangul, CJK and
//!   full-width punctuation), between CJK and Latin text, and at white space.
//! - A run of other characters (Latin letters, digits and their ASCII punctuation: a word, a
//!   number, an ID card number, a case number such as `DZ-2026-0001`) is never broken, unless
//!   the run alone is wider than a line; then it is broken between characters.
//! - Kinsoku: no line starts with a closing or pausing mark (，。、；：？！）」』 …) and no
//!   line ends with an opening mark (（「『【《 …). When the character that no longer fits
//!   may not start a line, the character before it is carried down with it; when that would
//!   leave a line empty (a very narrow column), the mark hangs past the width instead.
//! - `——` and `……` are never split in the middle.
//! - Leading white space of a wrapped line and trailing white space of every line are
//!   dropped; the leading white space of a paragraph (an indent) is kept.

/// Characters that may not begin a line.
const NO_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '】', '》', '〉', '〕', '］', '｝',
    '〗', '〙', '”', '’', '．', '·', '・', '％', ',', '.', ';', ':', '?', '!', ')', ']', '}',
];

/// Characters that may not end a line.
const NO_END: &[char] = &[
    '（', '「', '『', '【', '《', '〈', '〔', '［', '｛', '〖', '〘', '“', '‘', '(', '[', '{',
];

/// Marks written doubled (`——`, `……`) that must stay on one line.
const DOUBLED: &[char] = &['—', '…', '─'];

/// Whether `c` may not begin a line.
pub fn is_no_start(c: char) -> bool {
    NO_START.contains(&c)
}

/// Whether `c` may not end a line.
pub fn is_no_end(c: char) -> bool {
    NO_END.contains(&c)
}

/// Whether a line may break on either side of `c` (CJK scripts and CJK punctuation, plus the
/// dashes, ellipses and curly quotes Chinese text uses).
pub fn is_cjk(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00B7
            | 0x2014..=0x2015
            | 0x2018..=0x201F
            | 0x2026
            | 0x2500..=0x257F
            | 0x1100..=0x11FF
            | 0x2E80..=0x2FFF
            | 0x3000..=0x303F
            | 0x3040..=0x30FF
            | 0x3100..=0x31FF
            | 0x3200..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA960..=0xA97F
            | 0xAC00..=0xD7AF
            | 0xF900..=0xFAFF
            | 0xFE10..=0xFE1F
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF
            | 0x20000..=0x3FFFF
    )
}

/// Splits `text` into lines no wider than `max_width` (in the unit `width_of` returns).
///
/// Every `'\n'` starts a new paragraph (a `"\r\n"` pair counts as one); an empty paragraph
/// gives an empty line, an empty `text` gives no line at all. A line is only wider than
/// `max_width` when a single character is, or when a closing mark has to hang.
pub fn break_lines(text: &str, max_width: f32, width_of: impl Fn(char) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    if text.is_empty() {
        return lines;
    }
    for paragraph in text.split('\n') {
        let paragraph = paragraph.strip_suffix('\r').unwrap_or(paragraph);
        break_paragraph(paragraph, max_width, &width_of, &mut lines);
    }
    lines
}

/// Greedy filling of one paragraph (no `'\n'` inside).
fn break_paragraph(
    paragraph: &str,
    max_width: f32,
    width_of: &impl Fn(char) -> f32,
    lines: &mut Vec<String>,
) {
    let chars: Vec<char> = paragraph.chars().collect();
    let n = chars.len();
    // prefix[k] = width of chars[..k].
    let mut prefix = Vec::with_capacity(n + 1);
    let mut total = 0.0_f32;
    prefix.push(total);
    for &c in &chars {
        let w = width_of(c);
        total += if w.is_finite() && w > 0.0 { w } else { 0.0 };
        prefix.push(total);
    }
    let width = |from: usize, to: usize| prefix[to] - prefix[from];

    let mut start = 0;
    let mut i = 0;
    while i < n {
        if chars[i].is_whitespace() || width(start, i + 1) <= max_width || i == start {
            // Spaces never overflow (they are trimmed at the end of the line); a single
            // character wider than the line stands on a line of its own.
            if i == start && !chars[i].is_whitespace() && width(start, i + 1) > max_width {
                let end = hang_end(&chars, i + 1);
                push_line(lines, &chars, start, end);
                start = skip_spaces(&chars, end);
                i = start;
                continue;
            }
            i += 1;
            continue;
        }
        // chars[i] does not fit: end the line at the last allowed break at or before i.
        let end = (start + 1..=i)
            .rev()
            .find(|&p| break_allowed(&chars, start, p))
            .unwrap_or_else(|| emergency_break(&chars, start, i));
        push_line(lines, &chars, start, end);
        start = skip_spaces(&chars, end);
        i = start;
    }
    // The rest of the paragraph; an empty paragraph is one empty line.
    if start < n || n == 0 {
        push_line(lines, &chars, start, n);
    }
}

/// No regular break fits: a Latin run longer than the line, a kinsoku chain with nothing
/// before it. Break by character at `i`, unless `chars[i]` may not start a line: then it
/// hangs past the width (with any marks that follow it).
fn emergency_break(chars: &[char], start: usize, i: usize) -> usize {
    if is_no_start(chars[i]) {
        return hang_end(chars, i);
    }
    if i > start + 1 && is_no_end(chars[i - 1]) && !is_no_end(chars[i - 2]) {
        return i - 1;
    }
    i
}

/// At most this many marks hang past the end of a line; a longer run of them (a string of
/// nothing but punctuation) has to start a line somewhere.
const MAX_HANG: usize = 2;

/// Extends a line ending at `end` over the marks that follow it and may not start the
/// next line (at most `MAX_HANG` of them).
fn hang_end(chars: &[char], end: usize) -> usize {
    let mut hung = end;
    while hung < chars.len() && hung - end < MAX_HANG && is_no_start(chars[hung]) {
        hung += 1;
    }
    hung
}

/// Whether a line starting at `start` may end before `chars[p]` (`start < p < len`).
fn break_allowed(chars: &[char], start: usize, p: usize) -> bool {
    let a = chars[p - 1];
    let b = chars[p];
    let opportunity = a.is_whitespace()
        || b.is_whitespace()
        || ((is_cjk(a) || is_cjk(b)) && !(a == b && DOUBLED.contains(&a)));
    if !opportunity {
        return false;
    }
    // What the two lines would really end and start with, white space trimmed.
    let Some(last) = chars[start..p].iter().rev().find(|c| !c.is_whitespace()) else {
        return false;
    };
    if is_no_end(*last) {
        return false;
    }
    match chars[p..].iter().find(|c| !c.is_whitespace()) {
        Some(next) => !is_no_start(*next),
        None => true,
    }
}

fn skip_spaces(chars: &[char], mut p: usize) -> usize {
    while p < chars.len() && chars[p].is_whitespace() {
        p += 1;
    }
    p
}

fn push_line(lines: &mut Vec<String>, chars: &[char], start: usize, end: usize) {
    let line: String = chars[start..end].iter().collect();
    lines.push(line.trim_end().to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide: widths are character counts.
    fn unit(_: char) -> f32 {
        1.0
    }

    /// CJK characters two units wide, everything else one: like a real CJK font.
    fn mono(c: char) -> f32 {
        if is_cjk(c) { 2.0 } else { 1.0 }
    }

    fn lines(text: &str, width: f32) -> Vec<String> {
        break_lines(text, width, unit)
    }

    #[test]
    fn empty_string_gives_no_line() {
        assert!(lines("", 10.0).is_empty());
    }

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(lines("受助人情况良好", 10.0), vec!["受助人情况良好"]);
    }

    #[test]
    fn breaks_between_any_two_cjk_characters() {
        assert_eq!(lines("一二三四五六七", 3.0), vec!["一二三", "四五六", "七"]);
    }

    #[test]
    fn explicit_newlines_start_paragraphs_and_keep_blank_lines() {
        assert_eq!(
            lines("第一段\n\n第二段\r\n第三", 10.0),
            vec!["第一段", "", "第二段", "第三"]
        );
        assert_eq!(lines("末尾\n", 10.0), vec!["末尾", ""]);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        for mark in [
            '，', '。', '、', '；', '：', '？', '！', '）', '」', '』', '】', '》', '〉',
        ] {
            let text = format!("一二三{mark}四五");
            let got = lines(&text, 3.0);
            // The character before the mark is carried down with it.
            assert_eq!(
                got,
                vec!["一二".to_string(), format!("三{mark}四"), "五".to_string()]
            );
        }
    }

    #[test]
    fn no_line_starts_with_ascii_closing_punctuation() {
        for mark in [',', '.', ';', ':', '?', '!', ')'] {
            let text = format!("一二三{mark}四");
            let got = lines(&text, 3.0);
            assert!(got.iter().all(|l| !l.starts_with(mark)), "{mark}: {got:?}");
            assert_eq!(got.concat(), text);
        }
    }

    #[test]
    fn no_line_ends_with_opening_punctuation() {
        for mark in ['（', '「', '『', '【', '《', '〈', '('] {
            let text = format!("一二{mark}三四五");
            let got = lines(&text, 3.0);
            assert_eq!(
                got,
                vec!["一二".to_string(), format!("{mark}三四"), "五".to_string()]
            );
        }
    }

    #[test]
    fn several_closing_marks_travel_together() {
        let got = lines("他说：「好。」然后", 5.0);
        assert_eq!(got, vec!["他说：", "「好。」然", "后"]);
        let got = lines("一二三四？！", 4.0);
        assert_eq!(got, vec!["一二三", "四？！"]);
    }

    #[test]
    fn punctuation_hangs_when_carrying_would_empty_a_line() {
        // One character per line: 一 cannot be carried down without emptying the line.
        assert_eq!(lines("一。二", 1.0), vec!["一。", "二"]);
    }

    #[test]
    fn only_punctuation_still_makes_progress() {
        let got = lines("，。、；：？！", 2.0);
        assert_eq!(got, vec!["，。、；", "：？！"]);
        let got = lines("（（（（", 2.0);
        assert_eq!(got.concat(), "（（（（");
    }

    #[test]
    fn latin_words_and_numbers_are_not_broken() {
        let got = break_lines("案件编号DZ-2026-0001已转交", 14.0, mono);
        assert_eq!(got, vec!["案件编号", "DZ-2026-0001已", "转交"]);
        let got = break_lines("年龄 17 岁，身高 158 cm。", 10.0, mono);
        assert!(got.iter().any(|l| l.contains("158")), "{got:?}");
        assert!(got.iter().all(|l| !l.starts_with(' ')), "{got:?}");
    }

    #[test]
    fn mixed_chinese_latin_and_digits() {
        let got = break_lines(
            "联系了 Legal Aid Center 的王律师，电话 13800138000。",
            20.0,
            mono,
        );
        assert_eq!(
            got.concat().replace(' ', ""),
            "联系了LegalAidCenter的王律师，电话13800138000。"
        );
        for l in &got {
            assert!(break_lines(l, 20.0, mono).len() == 1, "{l} too wide");
            assert!(!l.starts_with(' ') && !l.ends_with(' '));
        }
        // Words stay whole.
        for w in ["Legal", "Aid", "Center", "13800138000"] {
            assert!(got.iter().any(|l| l.contains(w)), "{w}: {got:?}");
        }
    }

    #[test]
    fn long_id_number_is_broken_by_character_only_when_it_must() {
        // 18 characters fit: stays whole on its own line.
        let got = lines("身份证号110101200001011234", 18.0);
        assert_eq!(got, vec!["身份证号", "110101200001011234"]);
        // Narrower than the number: broken by character, nothing lost.
        let got = lines("身份证号110101200001011234", 8.0);
        assert_eq!(got, vec!["身份证号", "11010120", "00010112", "34"]);
    }

    #[test]
    fn wrapped_lines_drop_leading_spaces_but_keep_an_indent() {
        let got = lines("  one two three", 7.0);
        assert_eq!(got, vec!["  one", "two", "three"]);
        let got = lines("\u{3000}\u{3000}一二三四五", 4.0);
        assert_eq!(got, vec!["\u{3000}\u{3000}一二", "三四五"]);
    }

    #[test]
    fn doubled_dashes_and_ellipses_stay_together() {
        assert_eq!(lines("一二三——四", 4.0), vec!["一二三", "——四"]);
        assert_eq!(lines("一二三……", 4.0), vec!["一二三", "……"]);
    }

    #[test]
    fn lines_fit_the_width_with_real_proportions() {
        let text = "2026年3月，受助人（女，17岁）由公安机关解救，经医院检查后送往临时庇护所；\
                    社工于当日完成首次面谈，并联系其家属。";
        for width in [6.0, 9.0, 13.0, 21.0, 40.0] {
            let got = break_lines(text, width, mono);
            assert_eq!(got.concat(), text);
            for l in &got {
                let w: f32 = l.chars().map(mono).sum();
                let hangs = l.chars().last().is_some_and(is_no_start);
                assert!(w <= width || hangs, "{l:?} is {w} > {width}");
                let first = l.chars().next().unwrap_or(' ');
                assert!(!is_no_start(first), "{l:?} starts with {first}");
                let last = l.chars().last().unwrap_or(' ');
                assert!(!is_no_end(last), "{l:?} ends with {last}");
            }
        }
    }

    #[test]
    fn a_character_wider_than_the_line_stands_alone() {
        assert_eq!(break_lines("一二", 1.0, mono), vec!["一", "二"]);
        assert_eq!(break_lines("一。二", 1.0, mono), vec!["一。", "二"]);
    }
}
