#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
//! End-to-end checks of the rendered PDFs with poppler-utils (`pdftotext`, `pdffonts`,
//! `pdfinfo`, `pdftoppm`): real Chinese text, subset fonts, metadata, page furniture, line
//! breaking, size, encryption, and a page image against a checked-in reference.
//!
//! These tests need poppler-utils and fail without it (CI installs it):
//! `apt-get install poppler-utils`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use chrono::{Datelike, Local, NaiveDate, NaiveDateTime};
use guitu_print::PrintError;
use guitu_print::doc::{Block, Column, Document};
use guitu_print::render::{Fonts, RenderOptions, Rendered, render};

const MARK: &str = "内部资料 注意保密";
const TABLE_TITLE: &str = "服务内容摘要";

/// Runs a poppler tool; a missing tool is a failure, not a skipped test.
fn run(tool: &str, args: &[&str]) -> Output {
    Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{tool}` ({e}): install poppler-utils (apt-get install poppler-utils)")
    })
}

fn run_ok(tool: &str, args: &[&str]) -> String {
    let out = run(tool, args);
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler prints UTF-8")
}

/// Writes a rendered PDF into the test's temporary directory; with `GUITU_KEEP_PDFS=<dir>`
/// also into that directory, to look at.
fn write_pdf(dir: &Path, name: &str, rendered: &Rendered) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, &rendered.bytes).unwrap();
    if let Some(keep) = std::env::var_os("GUITU_KEEP_PDFS") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(Path::new(&keep).join(name), &rendered.bytes).unwrap();
    }
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn fonts() -> &'static Fonts {
    Fonts::shared().expect("embedded fonts parse")
}

const PARAGRAPH: &str = "2026年3月12日，受助人（化名小喆，女，17岁）由公安机关从某市一处出租屋解救，\
     当晚经医院检查后送往临时庇护所。社工于次日上午完成首次面谈：受助人情绪稳定，\
     能清楚讲述被骗经过——她通过招聘广告得知“高薪工作”，随后被带离原籍地。\
     她说：「我想回家，也想继续读书。」社工已联系其家属、户籍地民政部门及法律援助中心，\
     并于3月15日协助其补办身份证（编号110101200901011234）。";

/// The test case file: a cover, headings, fields, a paragraph with Chinese punctuation, a
/// 300-row table, signature lines and rare characters.
fn sample(created: NaiveDateTime, rows: usize) -> Document {
    let table_rows = (1..=rows)
        .map(|i| {
            vec![
                i.to_string(),
                format!("2026-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
                format!(
                    "第{i}次回访：受助人身体状况良好，按时参加职业技能培训{}",
                    if i % 7 == 0 {
                        "；社工与学校老师沟通了复学安排，学校同意下学期插班就读。"
                    } else {
                        "。"
                    }
                ),
                ["李社工", "王社工", "赵社工"][i % 3].to_string(),
            ]
        })
        .collect();
    Document {
        title: "受助人完整档案".into(),
        header_left: "DZ-2026-0001".into(),
        header_right: MARK.into(),
        footer_left: "打印人：李社工 2026-03-20 10:15".into(),
        created,
        blocks: vec![
            Block::Cover {
                title: "受助人完整档案".into(),
                subtitle: "临时庇护与救助个案".into(),
                fields: vec![
                    ("案件编号".into(), "DZ-2026-0001".into()),
                    ("受助人".into(), "张堃（化名小喆）".into()),
                    ("承办社工".into(), "李社工".into()),
                    ("打印时间".into(), "2026年3月20日".into()),
                ],
            },
            Block::Heading("一、基本情况".into()),
            Block::Fields(vec![
                ("姓名".into(), "张堃".into()),
                ("曾用名".into(), "吉田𠮷子、王喆".into()),
                ("身份证号".into(), "110101200901011234".into()),
                ("案件编号".into(), "DZ-2026-0001".into()),
                (
                    "现住址".into(),
                    "某省某市某区临时庇护所（地址保密，联系请经承办社工），\
                     预计安置期限三个月，期满后根据评估结果决定是否延长。"
                        .into(),
                ),
            ]),
            Block::Subheading("（一）解救与安置经过".into()),
            Block::Paragraph(PARAGRAPH.into()),
            Block::Heading("二、服务记录".into()),
            Block::Table {
                columns: vec![
                    Column {
                        title: "序号".into(),
                        weight: 0.7,
                    },
                    Column {
                        title: "日期".into(),
                        weight: 1.6,
                    },
                    Column {
                        title: TABLE_TITLE.into(),
                        weight: 5.0,
                    },
                    Column {
                        title: "社工".into(),
                        weight: 1.2,
                    },
                ],
                rows: table_rows,
            },
            Block::Heading("三、签字确认".into()),
            Block::Paragraph("以上记录经核对无误。".into()),
            Block::Space(4.0),
            Block::SignatureLines(vec!["承办社工签字：".into(), "受助人签字：".into()]),
        ],
    }
}

fn now() -> NaiveDateTime {
    Local::now().naive_local()
}

/// pdftotext -layout, one string per page.
fn pages_text(pdf: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = extra.to_vec();
    args.extend(["-layout", s(pdf), "-"]);
    let text = run_ok("pdftotext", &args);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn text_is_real_chinese_with_page_furniture_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let rendered = render(&sample(now(), 300), fonts(), &RenderOptions::default()).unwrap();
    let pdf = write_pdf(dir.path(), "case.pdf", &rendered);
    let pages = pages_text(&pdf, &[]);
    assert_eq!(pages.len(), rendered.pages);
    let n = rendered.pages;

    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(MARK),
            "page {} has no confidentiality mark:\n{page}",
            i + 1
        );
        assert!(
            page.contains("DZ-2026-0001"),
            "page {} has no case number",
            i + 1
        );
        assert!(
            page.contains("打印人：李社工"),
            "page {} has no footer",
            i + 1
        );
        let number = format!("第 {} 页 / 共 {n} 页", i + 1);
        assert!(
            page.contains(&number),
            "page {} lacks «{number}»:\n{page}",
            i + 1
        );
        assert!(
            !page.contains('\u{FFFD}'),
            "replacement character on page {}",
            i + 1
        );
    }

    let all = pages.concat();
    for exact in [
        "受助人完整档案",
        "临时庇护与救助个案",
        "一、基本情况",
        "（一）解救与安置经过",
        "110101200901011234",
        "第300次回访：受助人身体状况良好，按时参加职业技能培训。",
        "以上记录经核对无误。",
        "承办社工签字：",
    ] {
        assert!(all.contains(exact), "«{exact}» not in the text");
    }
    // The paragraph, exactly, wrapped over several lines.
    assert!(
        squeeze(&all).contains(&squeeze(PARAGRAPH)),
        "paragraph text differs"
    );

    // The table header is repeated on every page the table continues on.
    let table_pages: Vec<usize> = (0..n).filter(|&i| pages[i].contains("次回访：")).collect();
    assert!(
        table_pages.len() >= 3,
        "300 rows should span several pages: {table_pages:?}"
    );
    let titles = all.matches(TABLE_TITLE).count();
    assert!(
        titles >= table_pages.len(),
        "{titles} headers for {} pages",
        table_pages.len()
    );
    for &i in &table_pages {
        assert!(
            pages[i].contains(TABLE_TITLE),
            "page {} continues the table without header",
            i + 1
        );
    }
    // Every row is there, each once.
    for i in [1, 2, 99, 150, 299, 300] {
        let row = format!("第{i}次回访：");
        assert_eq!(all.matches(&row).count(), 1, "{row}");
    }
}

#[test]
fn rare_characters_are_printed_or_shown_as_code_points() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = sample(now(), 3);
    doc.blocks.push(Block::Paragraph(
        "私用区字符：\u{E000}。罕见字：𠮷、堃、喆。".into(),
    ));
    let rendered = render(&doc, fonts(), &RenderOptions::default()).unwrap();
    let pdf = write_pdf(dir.path(), "rare.pdf", &rendered);
    let all = pages_text(&pdf, &[]).concat();

    assert!(rendered.missing_glyphs.contains(&'\u{E000}'));
    assert!(
        all.contains("[U+E000]"),
        "a missing glyph must stay visible"
    );
    for c in ['𠮷', '堃', '喆'] {
        if rendered.missing_glyphs.contains(&c) {
            let code = format!("[U+{:04X}]", u32::from(c));
            assert!(all.contains(&code), "{c} missing but {code} not shown");
        } else {
            assert!(all.contains(c), "{c} has a glyph but is not in the text");
        }
    }
    let mut sorted = rendered.missing_glyphs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, rendered.missing_glyphs, "sorted and deduplicated");
    assert_eq!(fonts().missing("罕见字：𠮷、堃、喆\u{E000}"), {
        let mut m: Vec<char> = ['𠮷', '堃', '喆', '\u{E000}']
            .into_iter()
            .filter(|c| rendered.missing_glyphs.contains(c))
            .collect();
        m.sort_unstable();
        m
    });
}

#[test]
fn fonts_are_embedded_as_subsets_with_a_unicode_map() {
    let dir = tempfile::tempdir().unwrap();
    let rendered = render(&sample(now(), 30), fonts(), &RenderOptions::default()).unwrap();
    let pdf = write_pdf(dir.path(), "fonts.pdf", &rendered);
    let out = run_ok("pdffonts", &[s(&pdf)]);
    // name  type  encoding  emb sub uni  object ID
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 2, "regular and bold:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(flags, ["yes", "yes", "yes"], "emb sub uni:\n{out}");
        assert!(
            cols[0].contains("+"),
            "subset font names carry a tag: {}",
            cols[0]
        );
    }
}

#[test]
fn metadata_has_title_date_and_page_count() {
    let dir = tempfile::tempdir().unwrap();
    let rendered = render(&sample(now(), 300), fonts(), &RenderOptions::default()).unwrap();
    let pdf = write_pdf(dir.path(), "info.pdf", &rendered);
    let info = run_ok("pdfinfo", &[s(&pdf)]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| panic!("no {name} in\n{info}"))
    };
    assert_eq!(field("Title:"), "受助人完整档案");
    assert_eq!(field("Producer:"), "Guitu");
    let year = Local::now().year().to_string();
    assert!(field("CreationDate:").contains(&year), "{info}");
    assert!(field("ModDate:").contains(&year), "{info}");
    assert!(!info.contains("1970"), "{info}");
    assert_eq!(field("Pages:"), rendered.pages.to_string());
    assert!(
        rendered.pages >= 8,
        "cover + 300-row table: {} pages",
        rendered.pages
    );
    assert!(field("Page size:").starts_with("595.2"), "A4: {info}");
}

#[test]
fn no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one() {
    // The text width holds 45 full-width characters. Every clause is set up so that a
    // naive break would put a mark at the start of a line somewhere: clauses of varying
    // length, each followed by one or two marks.
    let marks = [
        "，", "。", "、", "；", "：", "？", "！", "）", "」", "』", "。」", "？！", "』。",
    ];
    let mut text = "字".repeat(45) + "。";
    for k in 0..120 {
        let opener = ["（", "「", "『", ""][k % 4];
        text += opener;
        text += &"文".repeat(k % 6 + 1);
        text += marks[k % marks.len()];
    }
    let doc = Document {
        title: "禁则".into(),
        header_left: String::new(),
        header_right: MARK.into(),
        footer_left: String::new(),
        created: now(),
        blocks: vec![Block::Paragraph(text.clone())],
    };
    let dir = tempfile::tempdir().unwrap();
    let rendered = render(&doc, fonts(), &RenderOptions::default()).unwrap();
    let pdf = write_pdf(dir.path(), "kinsoku.pdf", &rendered);
    let pages = pages_text(&pdf, &[]);
    let body: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.lines())
        .map(str::trim)
        .filter(|l| l.starts_with('字') || l.chars().any(|c| "文（「『，。".contains(c)))
        .filter(|l| !l.contains(MARK) && !l.contains("页 / 共"))
        .collect();
    assert!(body.len() > 10, "{body:?}");
    for line in &body {
        let first = line.chars().next().unwrap();
        assert!(
            !"，。、；：？！）」』".contains(first),
            "line starts with {first}: {line}"
        );
        let last = line.chars().last().unwrap();
        assert!(!"（「『".contains(last), "line ends with {last}: {line}");
        // Justified lines are slightly letter-spaced: copying must not see word gaps.
        assert!(!line.contains(' '), "gap in extracted text: {line}");
    }
    assert_eq!(squeeze(&body.concat()), text, "text lost or reordered");
}

#[test]
fn twenty_pages_stay_small() {
    let started = Instant::now();
    let own = Fonts::load().unwrap();
    eprintln!("Fonts::load: {:.2?}", started.elapsed());
    drop(own);
    let mut doc = sample(now(), 300);
    // Pad to about twenty pages with running text.
    for i in 0..28 {
        doc.blocks
            .push(Block::Subheading(format!("（{i}）补充记录")));
        doc.blocks.push(Block::Paragraph(PARAGRAPH.repeat(2)));
    }
    let fonts = fonts();
    let started = Instant::now();
    let rendered = render(&doc, fonts, &RenderOptions::default()).unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "{} pages, {} bytes ({} KB), rendered in {elapsed:.2?} (fonts already parsed)",
        rendered.pages,
        rendered.bytes.len(),
        rendered.bytes.len() / 1024
    );
    assert!(
        (18..=24).contains(&rendered.pages),
        "{} pages",
        rendered.pages
    );
    assert!(
        rendered.bytes.len() < 300 * 1024,
        "{} bytes: fonts not subset?",
        rendered.bytes.len()
    );
}

#[test]
fn password_protected_pdf_opens_only_with_the_password() {
    let password = "Guitu-2026";
    let doc = sample(now(), 40);
    let rendered = render(
        &doc,
        fonts(),
        &RenderOptions {
            password: Some(password),
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "locked.pdf", &rendered);

    let without = run("pdfinfo", &[s(&pdf)]);
    assert!(!without.status.success(), "opened without a password");
    let wrong = run("pdfinfo", &["-upw", "wrong-password", s(&pdf)]);
    assert!(!wrong.status.success(), "opened with a wrong password");

    let info = run_ok("pdfinfo", &["-upw", password, s(&pdf)]);
    assert!(info.contains("受助人完整档案"), "{info}");
    assert!(info.contains("AES-256"), "{info}");
    let version = info
        .lines()
        .find_map(|l| l.strip_prefix("PDF version:"))
        .map(str::trim);
    assert_eq!(version, Some("2.0"), "{info}");

    let all = pages_text(&pdf, &["-upw", password]).concat();
    assert!(all.contains(MARK));
    assert!(squeeze(&all).contains(&squeeze(PARAGRAPH)));
    // The title (a UTF-16 string in the document information) is not readable in the file.
    let title: Vec<u8> = "受助人完整档案"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    assert!(
        !rendered.bytes.windows(title.len()).any(|w| w == title),
        "title in clear"
    );

    for weak in ["", "12345", "密码五个字"] {
        let err = render(
            &doc,
            fonts(),
            &RenderOptions {
                password: Some(weak),
            },
        )
        .unwrap_err();
        assert!(
            matches!(err, PrintError::WeakPassword { min: 6 }),
            "{weak}: {err}"
        );
    }
}

/// The page compared with `tests/reference/page1.png`: fixed content and date, so the
/// picture only changes when the layout does.
fn reference_document() -> Document {
    let created = NaiveDate::from_ymd_opt(2026, 3, 20)
        .unwrap()
        .and_hms_opt(10, 15, 0)
        .unwrap();
    let mut doc = sample(created, 12);
    // Page 1 without the cover: headings, fields, paragraph and the start of the table
    // exercise more of the layout than a cover does.
    doc.blocks.remove(0);
    doc
}

/// Mean grey level of each `BLOCK`×`BLOCK` square of a `w`×`h` image.
fn block_means(w: u32, h: u32, px: &[u8]) -> Vec<f64> {
    const BLOCK: usize = 4;
    let (w, h) = (w as usize, h as usize);
    let mut means = Vec::with_capacity(w.div_ceil(BLOCK) * h.div_ceil(BLOCK));
    for by in (0..h).step_by(BLOCK) {
        for bx in (0..w).step_by(BLOCK) {
            let ys = by..(by + BLOCK).min(h);
            let xs = bx..(bx + BLOCK).min(w);
            let n = ys.len() * xs.len();
            let sum: u64 = ys
                .flat_map(|y| xs.clone().map(move |x| u64::from(px[y * w + x])))
                .sum();
            means.push(sum as f64 / n as f64);
        }
    }
    means
}

/// Mean absolute difference of two equally long lists of grey levels (0–255).
fn mean_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / a.len() as f64
}

/// Decodes a PNG to 8-bit grey: (width, height, pixels).
fn decode_grey(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    let channels = frame.color_type.samples();
    let grey = buf[..frame.buffer_size()]
        .chunks(channels)
        .map(|px| match channels {
            1 | 2 => px[0],
            _ => {
                ((u32::from(px[0]) * 299 + u32::from(px[1]) * 587 + u32::from(px[2]) * 114) / 1000)
                    as u8
            }
        })
        .collect();
    (frame.width, frame.height, grey)
}

/// Page 1 at 50 dpi against the checked-in reference.
///
/// Both images are reduced to the mean grey of 4×4-pixel squares (2 mm at 50 dpi), which
/// evens out anti-aliasing and hinting but not where things are; the test fails when the
/// mean absolute difference of those squares reaches 5 grey levels (of 255). Measured when
/// the reference was made: 0.0 against itself; 2.9 for the same PDF drawn by pdftocairo,
/// another rasterizer, and 4.7 by pdftoppm without anti-aliasing — both more different
/// than a poppler or FreeType update of the same renderer; but 14.3 with everything moved
/// down by one body line, and 14.6 with the first heading left out. Small changes of text
/// are the text tests' business (changing the confidentiality mark gives 0.04).
///
/// To regenerate the reference after an intended layout change, run
/// `GUITU_UPDATE_REFERENCE=1 cargo test -p guitu-print --test render reference`,
/// look at `crates/print/tests/reference/page1.png`, and commit it.
#[test]
fn page_one_matches_the_reference_image() {
    const THRESHOLD: f64 = 5.0;
    let rendered = render(&reference_document(), fonts(), &RenderOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "reference.pdf", &rendered);
    let prefix = dir.path().join("page");
    run_ok(
        "pdftoppm",
        &[
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            s(&pdf),
            s(&prefix),
        ],
    );
    let actual = dir.path().join("page.png");
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/page1.png");

    if std::env::var_os("GUITU_UPDATE_REFERENCE").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
        std::fs::copy(&actual, &reference).unwrap();
        eprintln!("reference image written to {}", reference.display());
        return;
    }
    assert!(
        reference.exists(),
        "no reference image {}: run with GUITU_UPDATE_REFERENCE=1 once",
        reference.display()
    );
    let (w, h, got) = decode_grey(&actual);
    let (rw, rh, want) = decode_grey(&reference);
    assert_eq!((w, h), (rw, rh), "page size changed");
    let diff = mean_abs_diff(&block_means(w, h, &got), &block_means(rw, rh, &want));
    eprintln!("mean absolute difference to the reference: {diff:.3}");
    if diff >= THRESHOLD {
        let kept = std::env::temp_dir().join("guitu-page1-actual.png");
        let _ = std::fs::copy(&actual, &kept);
        panic!(
            "page 1 differs from the reference by {diff:.2} (≥ {THRESHOLD}); see {}",
            kept.display()
        );
    }
}
