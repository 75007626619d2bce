//! The PDF text path: any text a person can type (a name, a note, a place), laid out by
//! the Chinese line breaker and rendered into a PDF with the embedded font — characters the
//! font lacks, combining marks, control characters, very long words, empty lines. Nothing
//! may panic, and the line breaker never loses or invents a character.
#![no_main]

use chrono::NaiveDate;
use guitu_print::doc::{Block, Column, Document};
use guitu_print::linebreak::break_lines;
use guitu_print::render::{Fonts, RenderOptions, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The line breaker alone, with a fixed width per character.
    let lines = break_lines(text, 40.0, |c| if c.is_ascii() { 5.0 } else { 10.0 });
    let kept: String = lines.concat();
    let wanted: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let got: String = kept.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(got, wanted, "line breaking keeps every visible character");
    // A whole document, small enough to keep the fuzzer fast.
    if text.len() > 2_000 {
        return;
    }
    let Ok(fonts) = Fonts::shared() else {
        return;
    };
    let created = NaiveDate::from_ymd_opt(2026, 1, 31)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default();
    let doc = Document {
        title: text.to_owned(),
        header_left: text.chars().take(20).collect(),
        header_right: "内部资料 注意保密".into(),
        footer_left: text.chars().take(20).collect(),
        created,
        blocks: vec![
            Block::Heading(text.to_owned()),
            Block::Fields(vec![(text.to_owned(), text.to_owned())]),
            Block::Paragraph(text.to_owned()),
            Block::Table {
                columns: vec![
                    Column {
                        title: text.to_owned(),
                        weight: 1.0,
                    },
                    Column {
                        title: "备注".into(),
                        weight: 3.0,
                    },
                ],
                rows: vec![vec![text.to_owned(), text.to_owned()]],
            },
        ],
    };
    let _ = render(&doc, fonts, &RenderOptions { password: None });
});
