//! Layout of a [`Document`] on A4 pages with printpdf, in two passes: the blocks are laid
//! out into page lists first (so the total page count is known), then every page is emitted
//! with its header (case number, confidentiality mark) and footer (who printed it, 第 X 页 /
//! 共 Y 页).
//!
//! Text is measured with the embedded Noto Sans SC's own advance widths, the same widths the
//! PDF viewer uses (printpdf writes one glyph per character, no kerning), and wrapped by
//! [`crate::linebreak`]. Each positioned line is its own text section, because
//! `SetTextCursor` is relative inside a section (FIELD-NOTES.md). Characters the font has no
//! glyph for are printed as the visible text `[U+XXXX]` and reported, never dropped.
//!
//! With a password, the finished file is reloaded with lopdf and encrypted with AES-256
//! (security handler V5, revision 6; PDF 2.0) under the user password and a random owner
//! password.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Local, NaiveDateTime, TimeZone, Timelike};
use lopdf::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
use lopdf::{EncryptionState, EncryptionVersion, Permissions};
use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};
use zeroize::Zeroizing;

pub mod svg;

use crate::doc::{Bar, BarValue, Block, Column, Document};
use crate::error::{PrintError, Result};
use crate::linebreak::break_lines;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC_400Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC_700Bold.ttf");

/// Shortest accepted password for a protected PDF.
pub const MIN_PASSWORD_CHARS: usize = 6;

// ---------------------------------------------------------------------------------------
// Page geometry, in PostScript points. During layout `y` runs down from the top edge.

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const MARGIN_X: f32 = 20.0 * MM;
const MARGIN_Y: f32 = 22.0 * MM;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const BODY_TOP: f32 = MARGIN_Y;
const BODY_BOTTOM: f32 = PAGE_H - MARGIN_Y;
const BODY_H: f32 = BODY_BOTTOM - BODY_TOP;
/// Tolerance for "does it fit" comparisons of sums of floats.
const EPS: f32 = 0.01;

const BODY_SIZE: f32 = 10.5;
const BODY_LH: f32 = BODY_SIZE * 1.6;
const PARA_GAP: f32 = 5.0;
/// Most extra space per character, in em, used to justify a line.
const MAX_TRACKING: f32 = 0.06;

const HEADING_ABOVE: f32 = 16.0;
const HEADING_BELOW: f32 = 8.0;
/// A heading moves to the next page unless this much body text still fits after it.
const HEADING_KEEP: f32 = 3.0 * BODY_LH;
const SUBHEADING_ABOVE: f32 = 8.0;
const SUBHEADING_BELOW: f32 = 3.0;
const SUBHEADING_KEEP: f32 = 2.0 * BODY_LH;

/// Share of the width taken by the labels of label/value pairs.
const LABEL_SHARE: f32 = 0.28;
const LABEL_GAP: f32 = 8.0;
const FIELD_GAP: f32 = 2.0;

const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;
const TABLE_GAP: f32 = 8.0;
const GRID_W: f32 = 0.4;

const SIGN_RULE: f32 = 70.0 * MM;
const SIGN_GAP: f32 = 6.0;
/// Room to write above each signature line.
const SIGN_SPACE: f32 = 20.0;

const COVER_TOP: f32 = BODY_TOP + 58.0 * MM;
const COVER_W: f32 = 120.0 * MM;

/// Baselines of the running header and footer, from the top edge.
const HEADER_BASELINE: f32 = 15.0 * MM;
const HEADER_RULE: f32 = 17.0 * MM;
const FOOTER_BASELINE: f32 = PAGE_H - 13.0 * MM;

/// Colours: near-black text, grey for labels and running heads, light rules.
const INK: Ink = Ink(0.11, 0.11, 0.11);
const GREY: Ink = Ink(0.38, 0.38, 0.38);
const RULE: Ink = Ink(0.62, 0.62, 0.62);
const LIGHT_RULE: Ink = Ink(0.82, 0.82, 0.82);
const HEADER_FILL: Ink = Ink(0.93, 0.93, 0.93);
/// Bars of a chart: a grey that prints well in black and white.
const BAR_FILL: Ink = Ink(0.45, 0.45, 0.45);

/// 五号 (10.5 pt) regular, the body size of Chinese official documents; line height 1.6.
const BODY: Style = Style::new(BODY_SIZE, 1.6, Weight::Regular, INK);
const LABEL: Style = Style::new(BODY_SIZE, 1.6, Weight::Regular, GREY);
const HEADING: Style = Style::new(15.0, 1.45, Weight::Bold, INK);
const SUBHEADING: Style = Style::new(12.0, 1.5, Weight::Bold, INK);
const CELL: Style = Style::new(9.5, 1.5, Weight::Regular, INK);
const CELL_HEAD: Style = Style::new(9.5, 1.5, Weight::Bold, INK);
const TITLE: Style = Style::new(24.0, 1.4, Weight::Bold, INK);
const SUBTITLE: Style = Style::new(13.0, 1.5, Weight::Regular, GREY);
const RUNNING: Style = Style::new(9.0, 1.0, Weight::Regular, GREY);

// ---------------------------------------------------------------------------------------
// Fonts

/// Marks a slot of the width table not looked up yet.
const UNKNOWN: u32 = u32::MAX;

/// One parsed face and its advance widths.
struct Face {
    font: ParsedFont,
    /// Advance width, in em, of each code point of the Basic Multilingual Plane, as `f32`
    /// bits; negative where the font has no glyph, `UNKNOWN` until first asked (filling it
    /// up front would cost more than parsing the font). Other planes are looked up in the
    /// font every time.
    bmp_widths: Box<[AtomicU32]>,
    units_per_em: f32,
}

impl Face {
    fn parse(bytes: &[u8], name: &str) -> Result<Face> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| PrintError::Font(format!("{name}: {warnings:?}")))?;
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(PrintError::Font(format!("{name}: units per em is 0")));
        }
        let bmp_widths = (0..0x1_0000).map(|_| AtomicU32::new(UNKNOWN)).collect();
        Ok(Face {
            font,
            bmp_widths,
            units_per_em,
        })
    }

    /// Advance width in em, from the font tables.
    fn lookup(&self, c: char) -> Option<f32> {
        let gid = self
            .font
            .lookup_glyph_index(u32::from(c))
            .filter(|&g| g != 0)?;
        Some(f32::from(self.font.get_horizontal_advance(gid)) / self.units_per_em)
    }

    /// Advance width in em, or `None` when the font has no glyph for `c`.
    fn advance(&self, c: char) -> Option<f32> {
        let Some(slot) = self.bmp_widths.get(c as usize) else {
            return self.lookup(c);
        };
        let bits = slot.load(Ordering::Relaxed);
        let w = if bits == UNKNOWN {
            let w = self.lookup(c).unwrap_or(-1.0);
            slot.store(w.to_bits(), Ordering::Relaxed);
            w
        } else {
            f32::from_bits(bits)
        };
        (w >= 0.0).then_some(w)
    }

    fn has_glyph(&self, c: char) -> bool {
        self.advance(c).is_some()
    }

    /// Width in points of `text` at `size`; characters without a glyph count as nothing
    /// (they never reach here: layout replaces them first).
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().filter_map(|c| self.advance(c)).sum::<f32>() * size
    }
}

/// The two embedded faces of Noto Sans SC (regular and bold), parsed, with their glyph
/// widths.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").finish_non_exhaustive()
    }
}

impl Fonts {
    /// Parses the two embedded fonts (10 MB each) — costly: call once per process.
    pub fn load() -> Result<Fonts> {
        Ok(Fonts {
            regular: Face::parse(REGULAR_TTF, "NotoSansSC-Regular")?,
            bold: Face::parse(BOLD_TTF, "NotoSansSC-Bold")?,
        })
    }

    /// Process-wide shared instance, parsed on first use.
    pub fn shared() -> Result<&'static Fonts> {
        static SHARED: OnceLock<std::result::Result<Fonts, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| Fonts::load().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| PrintError::Font(e.clone()))
    }

    /// Characters of `text` the regular font has no glyph for (sorted, each once). Line
    /// breaks and tabs are not counted: layout handles them.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let set: BTreeSet<char> = text
            .chars()
            .filter(|&c| !matches!(c, '\n' | '\r' | '\t') && !self.regular.has_glyph(c))
            .collect();
        set.into_iter().collect()
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

// ---------------------------------------------------------------------------------------
// API

/// How to write the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// AES-256 user password; `None` = no protection. At least
    /// [`MIN_PASSWORD_CHARS`] characters.
    pub password: Option<&'a str>,
}

/// A finished PDF.
#[derive(Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Characters the font could not show, printed as `[U+XXXX]` instead (sorted, each once).
    pub missing_glyphs: Vec<char>,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The bytes are a case file: never print them.
        f.debug_struct("Rendered")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("pages", &self.pages)
            .field("missing_glyphs", &self.missing_glyphs)
            .finish()
    }
}

/// Lays `doc` out on A4 pages and writes the PDF (fonts subset, optionally encrypted).
pub fn render(doc: &Document, fonts: &Fonts, opts: &RenderOptions) -> Result<Rendered> {
    if let Some(password) = opts.password
        && password.chars().count() < MIN_PASSWORD_CHARS
    {
        return Err(PrintError::WeakPassword {
            min: MIN_PASSWORD_CHARS,
        });
    }

    let Paginated {
        pages,
        missing_glyphs,
    } = paginate(doc, fonts)?;
    let total = pages.len();

    let mut pdf = PdfDocument::new(&doc.title);
    let ids = FontIds {
        regular: pdf.add_font(&fonts.regular.font),
        bold: pdf.add_font(&fonts.bold.font),
    };
    let date = pdf_date(doc.created);
    let info = &mut pdf.metadata.info;
    info.producer = "Guitu".to_string();
    info.creator = "Guitu".to_string();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    let pdf_pages = pages
        .into_iter()
        .map(|items| emit_page(items, &ids))
        .collect();
    pdf.with_pages(pdf_pages);

    let mut warnings = Vec::new();
    let save = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut bytes = pdf.save(&save, &mut warnings);
    if bytes.is_empty() {
        return Err(PrintError::Pdf(format!(
            "printpdf wrote nothing: {warnings:?}"
        )));
    }
    if let Some(password) = opts.password {
        bytes = encrypt(&bytes, password)?;
    }
    Ok(Rendered {
        bytes,
        pages: total,
        missing_glyphs,
    })
}

/// A document laid out on its pages, with header and footer: what the PDF and the
/// printer's pages ([`svg`]) both draw.
struct Paginated {
    pages: Vec<Vec<Item>>,
    missing_glyphs: Vec<char>,
}

/// How often a document whose text states its page count ([`Block::PageCount`]) is laid
/// out again until the count it states is the count it has.
const PAGE_COUNT_PASSES: usize = 4;

/// Lays `doc` out on A4 pages and adds the running header and footer. A
/// [`Block::PageCount`] states the page count of the whole file: the file is laid out
/// with a guess, then again with the count found, until the two agree (the number's
/// width can move a line break; the receipt that states it stands on a page of its own).
fn paginate(doc: &Document, fonts: &Fonts) -> Result<Paginated> {
    let counts_pages = doc
        .blocks
        .iter()
        .any(|b| matches!(b, Block::PageCount { .. }));
    let mut stated = 1;
    for _ in 0..PAGE_COUNT_PASSES {
        let mut layout = Layout::new(fonts);
        layout.stated_pages = stated;
        for block in &doc.blocks {
            layout.block(block);
        }
        let mut pages = layout.finish();
        let total = pages.len();
        if counts_pages && total != stated {
            stated = total;
            continue;
        }
        let chrome = Chrome {
            left: layout.prepare_line(&doc.header_left, Weight::Regular),
            right: layout.prepare_line(&doc.header_right, Weight::Regular),
            footer: layout.prepare_line(&doc.footer_left, Weight::Regular),
        };
        for (i, page) in pages.iter_mut().enumerate() {
            chrome.add_to(page, fonts, i + 1, total);
        }
        return Ok(Paginated {
            pages,
            missing_glyphs: layout.missing.into_iter().collect(),
        });
    }
    Err(PrintError::PageCount)
}

/// The PDF dates: printpdf writes them as UTC (`+00'00'`), so the local time of printing
/// is converted to UTC first.
fn pdf_date(created: NaiveDateTime) -> printpdf::date::DateTime {
    let utc = Local
        .from_local_datetime(&created)
        .earliest()
        .map_or(created, |t| t.naive_utc());
    printpdf::date::DateTime {
        date: printpdf::date::Date {
            year: utc.year(),
            month: u8::try_from(utc.month()).unwrap_or(1),
            day: u8::try_from(utc.day()).unwrap_or(1),
        },
        time: printpdf::date::Time {
            hour: u8::try_from(utc.hour()).unwrap_or(0),
            minute: u8::try_from(utc.minute()).unwrap_or(0),
            second: u8::try_from(utc.second()).unwrap_or(0),
            millisecond: 0,
        },
        offset: printpdf::date::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    }
}

/// Encrypts a finished PDF with AES-256 (V5/R6): `password` opens it; the owner password is
/// random and forgotten, so nobody can lift the restrictions with it.
fn encrypt(pdf: &[u8], password: &str) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| PrintError::Encrypt(e.to_string());
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| fail(&e))?;
    doc.version = "2.0".to_string();

    let mut file_key = Zeroizing::new([0_u8; 32]);
    getrandom::fill(file_key.as_mut_slice()).map_err(|e| fail(&e))?;
    let mut owner_raw = Zeroizing::new([0_u8; 24]);
    getrandom::fill(owner_raw.as_mut_slice()).map_err(|e| fail(&e))?;
    let mut owner = Zeroizing::new(String::with_capacity(48));
    for b in owner_raw.iter() {
        let _ = write!(owner, "{b:02x}");
    }

    let filter: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let version = EncryptionVersion::V5 {
        encrypt_metadata: true,
        crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
        file_encryption_key: file_key.as_slice(),
        stream_filter: b"StdCF".to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password: owner.as_str(),
        user_password: password,
        permissions: Permissions::PRINTABLE
            | Permissions::PRINTABLE_IN_HIGH_QUALITY
            | Permissions::COPYABLE
            | Permissions::COPYABLE_FOR_ACCESSIBILITY,
    };
    let state = EncryptionState::try_from(version).map_err(|e| fail(&e))?;
    doc.encrypt(&state).map_err(|e| fail(&e))?;
    let mut out = Vec::with_capacity(pdf.len() + 1024);
    doc.save_to(&mut out).map_err(|e| fail(&e))?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Layout: blocks → pages of positioned items

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Ink(f32, f32, f32);

impl Ink {
    fn color(self) -> Color {
        Color::Rgb(Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
    }
}

/// How a kind of text is set: size (pt), line height (pt), weight, colour.
#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    lh: f32,
    weight: Weight,
    ink: Ink,
}

impl Style {
    const fn new(size: f32, leading: f32, weight: Weight, ink: Ink) -> Style {
        Style {
            size,
            lh: size * leading,
            weight,
            ink,
        }
    }
}

/// Something placed on a page; `y` values run down from the top edge.
#[derive(Debug, Clone)]
enum Item {
    /// `spacing`: extra space after each character (PDF `Tc`), to justify a line.
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        spacing: f32,
        text: String,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        ink: Ink,
    },
    Fill {
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        ink: Ink,
    },
}

/// Baseline of a line of `style` set in its line box starting at `top`: the ideographic
/// em box (0.88 em above the baseline, 0.12 below in Noto CJK) is centred in the box.
fn baseline(top: f32, style: Style) -> f32 {
    top + (style.lh - style.size) / 2.0 + 0.88 * style.size
}

/// A wrapped line, and whether it may be justified (not the last of its paragraph).
struct Wrapped {
    text: String,
    justify: bool,
}

struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Item>>,
    /// Top of the next thing on the current page.
    y: f32,
    missing: BTreeSet<char>,
    /// The page count a [`Block::PageCount`] states.
    stated_pages: usize,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            y: BODY_TOP,
            missing: BTreeSet::new(),
            stated_pages: 1,
        }
    }

    fn finish(&mut self) -> Vec<Vec<Item>> {
        // A trailing page break (after a cover, an explicit PageBreak) leaves an empty page.
        while self.pages.len() > 1 && self.pages.last().is_some_and(Vec::is_empty) {
            self.pages.pop();
        }
        std::mem::take(&mut self.pages)
    }

    fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(Vec::is_empty)
    }

    fn at_page_top(&self) -> bool {
        self.page_is_empty() && self.y <= BODY_TOP + EPS
    }

    fn remaining(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = BODY_TOP;
    }

    /// Starts a new page unless `h` still fits on this one (or this one is empty anyway).
    fn keep(&mut self, h: f32) {
        if h > self.remaining() + EPS && !self.page_is_empty() {
            self.new_page();
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// Replaces characters `weight`'s face cannot show by `[U+XXXX]` (and records them),
    /// tabs by spaces, and lone carriage returns by line breaks.
    fn prepare(&mut self, text: &str, weight: Weight) -> String {
        let face = self.fonts.face(weight);
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => out.push('\n'),
                '\r' => {
                    if chars.peek() != Some(&'\n') {
                        out.push('\n');
                    }
                }
                '\t' => out.push_str("    "),
                c if face.has_glyph(c) => out.push(c),
                c => {
                    self.missing.insert(c);
                    let _ = write!(out, "[U+{:04X}]", u32::from(c));
                }
            }
        }
        out
    }

    /// `prepare` for one-line texts (running heads): line breaks become spaces.
    fn prepare_line(&mut self, text: &str, weight: Weight) -> String {
        self.prepare(text, weight).replace('\n', " ")
    }

    fn width(&self, text: &str, style: Style) -> f32 {
        self.fonts.face(style.weight).width(text, style.size)
    }

    /// `text` broken into lines of at most `width`, each marked whether it may be justified:
    /// every line but the last of each paragraph.
    fn wrap(&mut self, text: &str, style: Style, width: f32) -> Vec<Wrapped> {
        let prepared = self.prepare(text, style.weight);
        let face = self.fonts.face(style.weight);
        let mut out = Vec::new();
        if prepared.is_empty() {
            return out;
        }
        for part in prepared.split('\n') {
            let lines = break_lines(part, width, |c| face.advance(c).unwrap_or(0.0) * style.size);
            let n = lines.len();
            if n == 0 {
                out.push(Wrapped {
                    text: String::new(),
                    justify: false,
                });
            }
            out.extend(lines.into_iter().enumerate().map(|(i, text)| Wrapped {
                text,
                justify: i + 1 < n,
            }));
        }
        out
    }

    /// Character spacing that makes `line` exactly `width` wide (Chinese text is set flush
    /// on both sides), or 0 when the line would need more than `MAX_TRACKING` per character:
    /// such a line stays ragged rather than letter-spaced (and copied text keeps no gaps).
    fn justify(&self, line: &str, style: Style, width: f32) -> f32 {
        let gaps = line.chars().count().saturating_sub(1);
        if gaps == 0 {
            return 0.0;
        }
        let spacing = (width - self.width(line, style)) / gaps as f32;
        if spacing > 0.0 && spacing <= MAX_TRACKING * style.size {
            spacing
        } else {
            0.0
        }
    }

    /// Places one line of text in the line box starting at `top`.
    fn put(&mut self, x: f32, top: f32, style: Style, spacing: f32, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let baseline = baseline(top, style);
        self.push(Item::Text {
            x,
            baseline,
            style,
            spacing,
            text: text.to_string(),
        });
    }

    /// Places one line at the cursor and moves down; starts a new page first if the line
    /// does not fit.
    fn line(&mut self, x: f32, style: Style, spacing: f32, text: &str) {
        self.keep(style.lh);
        self.put(x, self.y, style, spacing, text);
        self.y += style.lh;
    }

    /// Places lines flush left (or justified) at `x`, `width` wide.
    fn lines(&mut self, lines: &[Wrapped], x: f32, width: f32, style: Style) {
        for l in lines {
            let spacing = if l.justify {
                self.justify(&l.text, style, width)
            } else {
                0.0
            };
            self.line(x, style, spacing, &l.text);
        }
    }

    /// Places lines centred on the page.
    fn centred(&mut self, lines: &[Wrapped], style: Style) {
        for l in lines {
            let x = (PAGE_W - self.width(&l.text, style)) / 2.0;
            self.line(x, style, 0.0, &l.text);
        }
    }

    fn rule(&mut self, x1: f32, y: f32, x2: f32, width: f32, ink: Ink) {
        self.push(Item::Rule {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            ink,
        });
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Cover {
                title,
                subtitle,
                fields,
            } => self.cover(title, subtitle, fields),
            Block::Heading(text) => {
                self.heading(text, HEADING, HEADING_ABOVE, HEADING_BELOW, HEADING_KEEP);
                let rule_y = self.y - HEADING_BELOW + 1.5;
                self.rule(MARGIN_X, rule_y, MARGIN_X + TEXT_W, 0.6, LIGHT_RULE);
            }
            Block::Subheading(text) => {
                self.heading(
                    text,
                    SUBHEADING,
                    SUBHEADING_ABOVE,
                    SUBHEADING_BELOW,
                    SUBHEADING_KEEP,
                );
            }
            Block::Fields(pairs) => {
                for (label, value) in pairs {
                    self.pair(label, value, MARGIN_X, TEXT_W);
                }
                self.y += PARA_GAP;
            }
            Block::Paragraph(text) => self.paragraph(text),
            Block::PageCount { before, after } => {
                self.paragraph(&format!("{before}{}{after}", self.stated_pages));
            }
            Block::Table { columns, rows } => self.table(columns, rows),
            Block::SignatureLines(labels) => self.signatures(labels),
            Block::BarChart { title, bars, note } => self.bar_chart(title, bars, note),
            Block::Space(mm) => {
                if mm.is_finite() && *mm > 0.0 {
                    self.y += mm * MM;
                    if self.y > BODY_BOTTOM {
                        self.new_page();
                    }
                }
            }
            Block::PageBreak => {
                if !self.page_is_empty() {
                    self.new_page();
                }
            }
        }
    }

    fn cover(&mut self, title: &str, subtitle: &str, fields: &[(String, String)]) {
        if !self.page_is_empty() {
            self.new_page();
        }
        self.y = COVER_TOP;
        let title = self.wrap(title, TITLE, TEXT_W - 20.0 * MM);
        self.centred(&title, TITLE);
        if !subtitle.trim().is_empty() {
            self.y += 4.0 * MM;
            let subtitle = self.wrap(subtitle, SUBTITLE, TEXT_W - 20.0 * MM);
            self.centred(&subtitle, SUBTITLE);
        }
        let x = (PAGE_W - COVER_W) / 2.0;
        self.y += 10.0 * MM;
        self.keep(8.0 * MM + BODY_LH);
        self.rule(x, self.y, x + COVER_W, 0.6, RULE);
        self.y += 8.0 * MM;
        for (label, value) in fields {
            self.pair(label, value, x, COVER_W);
        }
        self.new_page();
    }

    /// A heading: space above (not at the top of a page), and moved to the next page
    /// unless `keep` of text still fits under it.
    fn heading(&mut self, text: &str, style: Style, above: f32, below: f32, keep: f32) {
        let lines = self.wrap(text, style, TEXT_W);
        let h = lines.len() as f32 * style.lh + below;
        let above = if self.at_page_top() { 0.0 } else { above };
        if above + h + keep > self.remaining() + EPS && !self.page_is_empty() {
            self.new_page();
        } else {
            self.y += above;
        }
        self.lines(&lines, MARGIN_X, TEXT_W, style);
        self.y += below;
    }

    /// One label/value pair in two columns, kept on one page (unless it is taller than a
    /// page: then it continues line by line).
    fn pair(&mut self, label: &str, value: &str, x: f32, width: f32) {
        let label_col = width * LABEL_SHARE;
        let value_w = width - label_col;
        let labels = self.wrap(label, LABEL, label_col - LABEL_GAP);
        let values = self.wrap(value, BODY, value_w);
        let n = labels.len().max(values.len()).max(1);
        self.keep(n as f32 * BODY.lh);
        for k in 0..n {
            self.keep(BODY.lh);
            if let Some(l) = labels.get(k) {
                self.put(x, self.y, LABEL, 0.0, &l.text);
            }
            if let Some(v) = values.get(k) {
                let spacing = if v.justify {
                    self.justify(&v.text, BODY, value_w)
                } else {
                    0.0
                };
                self.put(x + label_col, self.y, BODY, spacing, &v.text);
            }
            self.y += BODY.lh;
        }
        self.y += FIELD_GAP;
    }

    /// Running text; never leaves its first line alone at the foot of a page, nor its last
    /// line alone at the top of the next.
    fn paragraph(&mut self, text: &str) {
        let lines = self.wrap(text, BODY, TEXT_W);
        let n = lines.len();
        if n == 0 {
            return;
        }
        let fits = |l: &Self| ((l.remaining() + EPS) / BODY.lh).floor().max(0.0) as usize;
        if n >= 2 && fits(self) < 2 {
            self.keep(BODY_H);
        }
        let mut i = 0;
        while i < n {
            let mut take = fits(self).min(n - i);
            if take == 0 {
                if self.page_is_empty() {
                    take = 1;
                } else {
                    self.new_page();
                    continue;
                }
            }
            if n - i - take == 1 && take >= 3 {
                take -= 1;
            }
            self.lines(&lines[i..i + take], MARGIN_X, TEXT_W, BODY);
            i += take;
            if i < n {
                self.new_page();
            }
        }
        self.y += PARA_GAP;
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let single = [Column {
            title: String::new(),
            weight: 1.0,
        }];
        let columns = if columns.is_empty() {
            &single[..]
        } else {
            columns
        };
        let grid = TableGrid::new(columns);
        let titles: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let header = self.cells(&titles, &grid, CELL_HEAD);
        let header_h = row_height(&header);

        if !self.at_page_top() {
            self.y += TABLE_GAP / 2.0;
        }
        // The header row never stands alone at the foot of a page.
        let first_h = rows.first().map_or(0.0, |r| {
            let cells = self.cells(&fit_row(r, columns.len()), &grid, CELL);
            row_height(&cells)
        });
        self.keep(header_h + first_h.min(BODY_H / 3.0));
        self.table_row(&header, header_h, &grid, CELL_HEAD);

        for row in rows {
            let cells = self.cells(&fit_row(row, columns.len()), &grid, CELL);
            let h = row_height(&cells);
            if h <= self.remaining() + EPS {
                self.table_row(&cells, h, &grid, CELL);
            } else if h <= BODY_H - header_h {
                self.new_page();
                self.table_row(&header, header_h, &grid, CELL_HEAD);
                self.table_row(&cells, h, &grid, CELL);
            } else {
                self.split_row(&cells, &header, header_h, &grid);
            }
        }
        self.y += TABLE_GAP;
    }

    /// A row taller than a page: continued line by line over as many pages as it takes,
    /// the header repeated on each.
    fn split_row(
        &mut self,
        cells: &[Vec<String>],
        header: &[Vec<String>],
        header_h: f32,
        grid: &TableGrid,
    ) {
        let total = cells.iter().map(Vec::len).max().unwrap_or(0);
        let mut done = 0;
        let mut fresh = false;
        while done < total {
            let room = ((self.remaining() - 2.0 * CELL_PAD_Y + EPS) / CELL.lh).floor();
            let mut take = room.max(0.0) as usize;
            if take == 0 && fresh {
                take = 1;
            }
            if take > 0 {
                let take = take.min(total - done);
                let chunk: Vec<Vec<String>> = cells
                    .iter()
                    .map(|c| c.iter().skip(done).take(take).cloned().collect())
                    .collect();
                self.table_row(&chunk, take as f32 * CELL.lh + 2.0 * CELL_PAD_Y, grid, CELL);
                done += take;
            }
            if done < total {
                self.new_page();
                self.table_row(header, header_h, grid, CELL_HEAD);
                fresh = true;
            }
        }
    }

    fn cells(&mut self, texts: &[String], grid: &TableGrid, style: Style) -> Vec<Vec<String>> {
        texts
            .iter()
            .zip(&grid.widths)
            .map(|(t, w)| {
                let lines = self.wrap(t, style, w - 2.0 * CELL_PAD_X);
                lines.into_iter().map(|l| l.text).collect()
            })
            .collect()
    }

    /// One table row at the cursor: cell texts, grid lines, and a shaded background for
    /// the header row (`style` bold).
    fn table_row(&mut self, cells: &[Vec<String>], h: f32, grid: &TableGrid, style: Style) {
        let top = self.y;
        let right = MARGIN_X + TEXT_W;
        if style.weight == Weight::Bold {
            self.push(Item::Fill {
                x: MARGIN_X,
                top,
                w: TEXT_W,
                h,
                ink: HEADER_FILL,
            });
        }
        for (lines, &left) in cells.iter().zip(&grid.lefts) {
            for (j, line) in lines.iter().enumerate() {
                let line_top = top + CELL_PAD_Y + j as f32 * style.lh;
                self.put(left + CELL_PAD_X, line_top, style, 0.0, line);
            }
        }
        self.rule(MARGIN_X, top, right, GRID_W, RULE);
        self.rule(MARGIN_X, top + h, right, GRID_W, RULE);
        for &x in grid.lefts.iter().chain(std::iter::once(&right)) {
            self.push(Item::Rule {
                x1: x,
                y1: top,
                x2: x,
                y2: top + h,
                width: GRID_W,
                ink: RULE,
            });
        }
        self.y += h;
    }

    /// A horizontal bar chart: the labels in a column on the left, the bars to scale, the
    /// number after each bar. A hidden number is a hatched outline as long as
    /// `SUPPRESS_BELOW` would be, with its text: never its true length.
    fn bar_chart(&mut self, title: &str, bars: &[Bar], note: &str) {
        let label_w = TEXT_W * 0.34;
        let value_w = 48.0;
        let area = TEXT_W - label_w - value_w;
        let row_h = CELL.lh + 4.0;
        let bar_h = CELL.size * 1.1;
        let hidden_units = guitu_domain::report::SUPPRESS_BELOW;
        let scale = bars
            .iter()
            .map(|b| match b.value {
                BarValue::Number(n) => n,
                BarValue::Hidden(_) => hidden_units,
            })
            .max()
            .unwrap_or(0)
            .max(1) as f32;
        let note_lines = self.wrap(note, CELL, TEXT_W);
        let total = SUBHEADING.lh + bars.len() as f32 * row_h + note_lines.len() as f32 * CELL.lh;
        if total <= BODY_H {
            self.keep(total + SUBHEADING_ABOVE + SUBHEADING_BELOW);
        }
        self.heading(
            title,
            SUBHEADING,
            SUBHEADING_ABOVE,
            SUBHEADING_BELOW,
            SUBHEADING_KEEP,
        );
        let x0 = MARGIN_X + label_w;
        for bar in bars {
            self.keep(row_h);
            let top = self.y;
            let label = self.prepare_line(&bar.label, Weight::Regular);
            let label = truncate(
                self.fonts.face(CELL.weight),
                &label,
                CELL.size,
                label_w - 6.0,
            );
            self.put(MARGIN_X, top + 2.0, CELL, 0.0, &label);
            let bar_top = top + (row_h - bar_h) / 2.0;
            let (units, text, hidden) = match &bar.value {
                BarValue::Number(n) => (*n, n.to_string(), false),
                BarValue::Hidden(text) => (hidden_units, text.clone(), true),
            };
            let w = area * units as f32 / scale;
            if hidden {
                self.hatched(x0, bar_top, w, bar_h);
            } else if w > 0.0 {
                self.push(Item::Fill {
                    x: x0,
                    top: bar_top,
                    w,
                    h: bar_h,
                    ink: BAR_FILL,
                });
            }
            self.push(Item::Rule {
                x1: x0,
                y1: top,
                x2: x0,
                y2: top + row_h,
                width: GRID_W,
                ink: RULE,
            });
            let text = self.prepare_line(&text, Weight::Regular);
            self.put(x0 + w + 4.0, top + 2.0, CELL, 0.0, &text);
            self.y += row_h;
        }
        for l in &note_lines {
            self.line(MARGIN_X, CELL, 0.0, &l.text);
        }
        self.y += TABLE_GAP;
    }

    /// An outlined box with diagonal hatching (a bar whose number is not shown).
    fn hatched(&mut self, x: f32, top: f32, w: f32, h: f32) {
        let (x1, bottom) = (x + w, top + h);
        for (a, b, c, d) in [
            (x, top, x1, top),
            (x1, top, x1, bottom),
            (x1, bottom, x, bottom),
            (x, bottom, x, top),
        ] {
            self.push(Item::Rule {
                x1: a,
                y1: b,
                x2: c,
                y2: d,
                width: 0.6,
                ink: INK,
            });
        }
        // 45° strokes from the bottom edge up to the right, clipped to the box.
        let mut t = x - h;
        while t < x1 {
            let (sx, sy) = if t < x {
                (x, bottom - (x - t))
            } else {
                (t, bottom)
            };
            let (ex, ey) = if t + h > x1 {
                (x1, top + (t + h - x1))
            } else {
                (t + h, top)
            };
            if sx < ex {
                self.push(Item::Rule {
                    x1: sx,
                    y1: sy,
                    x2: ex,
                    y2: ey,
                    width: 0.4,
                    ink: INK,
                });
            }
            t += 4.0;
        }
    }

    fn signatures(&mut self, labels: &[String]) {
        let label_w = TEXT_W - SIGN_RULE - SIGN_GAP;
        let wrapped: Vec<Vec<Wrapped>> =
            labels.iter().map(|l| self.wrap(l, BODY, label_w)).collect();
        // All rules start at one x, after the widest label.
        let widest = wrapped
            .iter()
            .filter_map(|lines| lines.last())
            .map(|l| self.width(&l.text, BODY))
            .fold(0.0_f32, f32::max);
        let rule_x = MARGIN_X + widest + if widest > 0.0 { SIGN_GAP } else { 0.0 };
        let heights: Vec<f32> = wrapped
            .iter()
            .map(|l| SIGN_SPACE + l.len().max(1) as f32 * BODY.lh)
            .collect();
        let total: f32 = heights.iter().sum();
        if !self.at_page_top() {
            self.y += TABLE_GAP;
        }
        // The lines to sign stay together when they fit on a page.
        if total <= BODY_H {
            self.keep(total);
        }
        for (lines, h) in wrapped.iter().zip(heights) {
            self.keep(h);
            self.y += SIGN_SPACE;
            if lines.is_empty() {
                self.y += BODY.lh;
            }
            for l in lines {
                self.line(MARGIN_X, BODY, 0.0, &l.text);
            }
            let rule_y = baseline(self.y - BODY.lh, BODY) + 2.5;
            self.rule(rule_x, rule_y, rule_x + SIGN_RULE, 0.6, INK);
        }
        self.y += PARA_GAP;
    }
}

/// Column positions of a table: widths in proportion to the (positive) weights, equal
/// when no weight is.
struct TableGrid {
    lefts: Vec<f32>,
    widths: Vec<f32>,
}

impl TableGrid {
    fn new(columns: &[Column]) -> TableGrid {
        let weights: Vec<f32> = columns
            .iter()
            .map(|c| {
                if c.weight.is_finite() && c.weight > 0.0 {
                    c.weight
                } else {
                    0.0
                }
            })
            .collect();
        let sum: f32 = weights.iter().sum();
        let widths: Vec<f32> = if sum > 0.0 {
            weights.iter().map(|w| TEXT_W * w / sum).collect()
        } else {
            vec![TEXT_W / columns.len().max(1) as f32; columns.len()]
        };
        let lefts = widths
            .iter()
            .scan(MARGIN_X, |x, w| {
                let left = *x;
                *x += w;
                Some(left)
            })
            .collect();
        TableGrid { lefts, widths }
    }
}

/// A row with exactly `n` cells: missing cells are empty, surplus cells are appended to the
/// last one (a malformed row must not lose text silently).
fn fit_row(row: &[String], n: usize) -> Vec<String> {
    let mut cells: Vec<String> = row.iter().take(n).cloned().collect();
    cells.resize(n, String::new());
    if row.len() > n
        && let Some(last) = cells.last_mut()
    {
        for extra in &row[n..] {
            last.push('\n');
            last.push_str(extra);
        }
    }
    cells
}

fn row_height(cells: &[Vec<String>]) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    lines as f32 * CELL.lh + 2.0 * CELL_PAD_Y
}

// ---------------------------------------------------------------------------------------
// Running header and footer

struct Chrome {
    left: String,
    right: String,
    footer: String,
}

impl Chrome {
    fn add_to(&self, page: &mut Vec<Item>, fonts: &Fonts, number: usize, total: usize) {
        let face = fonts.face(RUNNING.weight);
        let size = RUNNING.size;
        let put = |page: &mut Vec<Item>, x: f32, baseline: f32, text: String| {
            if !text.is_empty() {
                page.push(Item::Text {
                    x,
                    baseline,
                    style: RUNNING,
                    spacing: 0.0,
                    text,
                });
            }
        };
        let right_edge = MARGIN_X + TEXT_W;

        let right_w = face.width(&self.right, size);
        put(
            page,
            right_edge - right_w,
            HEADER_BASELINE,
            self.right.clone(),
        );
        let left = truncate(face, &self.left, size, TEXT_W - right_w - 12.0);
        put(page, MARGIN_X, HEADER_BASELINE, left);
        page.push(Item::Rule {
            x1: MARGIN_X,
            y1: HEADER_RULE,
            x2: right_edge,
            y2: HEADER_RULE,
            width: 0.5,
            ink: RULE,
        });

        let number = format!("第 {number} 页 / 共 {t} 页", t = total);
        let number_w = face.width(&number, size);
        put(page, right_edge - number_w, FOOTER_BASELINE, number);
        let footer = truncate(face, &self.footer, size, TEXT_W - number_w - 12.0);
        put(page, MARGIN_X, FOOTER_BASELINE, footer);
    }
}

/// `text` cut to `width` with an ellipsis (running heads are one line).
fn truncate(face: &Face, text: &str, size: f32, width: f32) -> String {
    if face.width(text, size) <= width {
        return text.to_string();
    }
    let budget = width - face.width("…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = face.advance(c).unwrap_or(0.0) * size;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

// ---------------------------------------------------------------------------------------
// Emission: items → printpdf operations

struct FontIds {
    regular: FontId,
    bold: FontId,
}

fn emit_page(items: Vec<Item>, ids: &FontIds) -> PdfPage {
    let mut ops = Vec::with_capacity(items.len() * 6);
    let mut fill: Option<Ink> = None;
    let mut stroke: Option<(Ink, f32)> = None;
    let mut tracking = 0.0_f32;
    let point = |x: f32, y: f32| Point {
        x: Pt(x),
        y: Pt(PAGE_H - y),
    };
    for item in items {
        match item {
            Item::Text {
                x,
                baseline,
                style,
                spacing,
                text,
            } => {
                let Style {
                    size, weight, ink, ..
                } = style;
                if fill != Some(ink) {
                    ops.push(Op::SetFillColor { col: ink.color() });
                    fill = Some(ink);
                }
                let font = match weight {
                    Weight::Regular => ids.regular.clone(),
                    Weight::Bold => ids.bold.clone(),
                };
                ops.push(Op::StartTextSection);
                // Tc is part of the graphics state: it outlives the text section.
                if spacing != tracking {
                    ops.push(Op::SetCharacterSpacing {
                        multiplier: spacing,
                    });
                    tracking = spacing;
                }
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font),
                    size: Pt(size),
                });
                ops.push(Op::SetTextCursor {
                    pos: point(x, baseline),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text)],
                });
                ops.push(Op::EndTextSection);
            }
            Item::Rule {
                x1,
                y1,
                x2,
                y2,
                width,
                ink,
            } => {
                if stroke != Some((ink, width)) {
                    ops.push(Op::SetOutlineColor { col: ink.color() });
                    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                    stroke = Some((ink, width));
                }
                let points = vec![
                    LinePoint {
                        p: point(x1, y1),
                        bezier: false,
                    },
                    LinePoint {
                        p: point(x2, y2),
                        bezier: false,
                    },
                ];
                ops.push(Op::DrawLine {
                    line: Line {
                        points,
                        is_closed: false,
                    },
                });
            }
            Item::Fill { x, top, w, h, ink } => {
                if fill != Some(ink) {
                    ops.push(Op::SetFillColor { col: ink.color() });
                    fill = Some(ink);
                }
                let rectangle = Rect {
                    x: Pt(x),
                    y: Pt(PAGE_H - top - h),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                };
                ops.push(Op::DrawRectangle { rectangle });
            }
        }
    }
    PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> &'static Fonts {
        Fonts::shared().expect("embedded fonts parse")
    }

    #[test]
    fn widths_come_from_the_font() {
        let f = fonts();
        // Ideographs are one em wide, Latin letters narrower.
        assert!((f.regular.width("中文", 10.0) - 20.0).abs() < 0.01);
        let latin = f.regular.width("ab", 10.0);
        assert!(latin > 5.0 && latin < 15.0, "{latin}");
    }

    #[test]
    fn missing_lists_characters_without_a_glyph() {
        let f = fonts();
        assert!(f.missing("受助人情况，DZ-2026-0001").is_empty());
        // A private-use code point no font maps.
        assert_eq!(f.missing("甲\u{E000}乙\u{E000}"), vec!['\u{E000}']);
    }

    #[test]
    fn short_password_is_refused() {
        let doc = Document {
            title: "t".into(),
            header_left: String::new(),
            header_right: String::new(),
            footer_left: String::new(),
            created: chrono::NaiveDate::from_ymd_opt(2026, 1, 2)
                .and_then(|d| d.and_hms_opt(3, 4, 5))
                .expect("valid date"),
            blocks: vec![],
        };
        let err = render(
            &doc,
            fonts(),
            &RenderOptions {
                password: Some("12345"),
            },
        );
        assert!(matches!(err, Err(PrintError::WeakPassword { min: 6 })));
    }

    fn lay_out(blocks: &[Block]) -> Vec<Vec<Item>> {
        let mut layout = Layout::new(fonts());
        for block in blocks {
            layout.block(block);
        }
        layout.finish()
    }

    /// The texts of a page, with their weight.
    fn texts(page: &[Item]) -> Vec<(Weight, &str)> {
        page.iter()
            .filter_map(|item| match item {
                Item::Text { style, text, .. } => Some((style.weight, text.as_str())),
                _ => None,
            })
            .collect()
    }

    /// A paragraph of `lines` full lines (45 ideographs fill the text width at 10.5 pt).
    fn lines_of_text(lines: usize) -> Block {
        Block::Paragraph("字".repeat(45 * lines))
    }

    #[test]
    fn a_page_holds_42_body_lines() {
        assert_eq!((BODY_H / BODY_LH).floor(), 42.0);
        let pages = lay_out(&[lines_of_text(42)]);
        assert_eq!(pages.len(), 1);
        let pages = lay_out(&[lines_of_text(46)]);
        assert_eq!(pages.len(), 2);
        assert_eq!(texts(&pages[0]).len(), 42);
    }

    #[test]
    fn empty_documents_and_trailing_breaks_make_no_blank_pages() {
        assert_eq!(lay_out(&[]).len(), 1);
        let cover = Block::Cover {
            title: "封面".into(),
            subtitle: String::new(),
            fields: vec![],
        };
        assert_eq!(lay_out(std::slice::from_ref(&cover)).len(), 1);
        assert_eq!(
            lay_out(&[
                cover.clone(),
                Block::PageBreak,
                Block::Paragraph("正文".into())
            ])
            .len(),
            2
        );
        assert_eq!(
            lay_out(&[
                Block::PageBreak,
                Block::PageBreak,
                Block::Paragraph("正文".into())
            ])
            .len(),
            1
        );
    }

    #[test]
    fn a_heading_is_never_the_last_thing_on_a_page() {
        let pages = lay_out(&[
            lines_of_text(40),
            Block::Heading("二、服务记录".into()),
            lines_of_text(2),
        ]);
        assert_eq!(pages.len(), 2);
        assert!(texts(&pages[0]).iter().all(|(w, _)| *w == Weight::Regular));
        assert_eq!(texts(&pages[1])[0], (Weight::Bold, "二、服务记录"));
        // With room for three lines after it, it stays.
        let pages = lay_out(&[
            lines_of_text(30),
            Block::Heading("二、服务记录".into()),
            lines_of_text(2),
        ]);
        assert_eq!(pages.len(), 1);
    }

    #[test]
    fn a_label_value_pair_never_splits() {
        let value = "字".repeat(33 * 3); // three lines in the value column
        let pages = lay_out(&[
            lines_of_text(41),
            Block::Fields(vec![("住址".into(), value)]),
        ]);
        assert_eq!(pages.len(), 2);
        let second = texts(&pages[1]);
        assert_eq!(
            second.len(),
            4,
            "label and three value lines together: {second:?}"
        );
        assert_eq!(second[0].1, "住址");
    }

    #[test]
    fn a_paragraph_leaves_no_orphan_and_no_widow() {
        // 41 lines leave room for one more: a 5-line paragraph starts on the next page.
        let pages = lay_out(&[lines_of_text(41), lines_of_text(5)]);
        assert_eq!(texts(&pages[0]).len(), 41);
        assert_eq!(texts(&pages[1]).len(), 5);
        // 43 lines: not 42 + 1, but 41 + 2.
        let pages = lay_out(&[lines_of_text(43)]);
        assert_eq!(texts(&pages[0]).len(), 41);
        assert_eq!(texts(&pages[1]).len(), 2);
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_with_the_header_repeated() {
        let long = "记".repeat(6000);
        let table = Block::Table {
            columns: vec![
                Column {
                    title: "序号".into(),
                    weight: 1.0,
                },
                Column {
                    title: "内容".into(),
                    weight: 6.0,
                },
            ],
            rows: vec![
                vec!["1".into(), long.clone()],
                vec!["2".into(), "短".into()],
            ],
        };
        let pages = lay_out(&[table]);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let mut body = String::new();
        for page in &pages {
            let t = texts(page);
            assert_eq!(&t[..2], &[(Weight::Bold, "序号"), (Weight::Bold, "内容")]);
            assert!(
                page.iter().any(|i| matches!(i, Item::Fill { .. })),
                "header fill"
            );
            body.extend(
                t.iter()
                    .filter(|(_, s)| s.starts_with('记'))
                    .map(|(_, s)| *s),
            );
            // Nothing below the bottom margin.
            for item in page.iter() {
                if let Item::Rule { y1, y2, .. } = item {
                    assert!(y1.max(*y2) <= BODY_BOTTOM + EPS);
                }
            }
        }
        assert_eq!(body, long);
    }

    #[test]
    fn rows_never_split_and_the_header_repeats() {
        let rows = (0..200)
            .map(|i| vec![i.to_string(), "甲乙丙\n丁戊己".to_string()])
            .collect();
        let table = Block::Table {
            columns: vec![
                Column {
                    title: "序号".into(),
                    weight: 1.0,
                },
                Column {
                    title: "内容".into(),
                    weight: 3.0,
                },
            ],
            rows,
        };
        let pages = lay_out(&[Block::Paragraph("前言".into()), table]);
        assert!(pages.len() >= 3);
        for page in &pages {
            let t = texts(page);
            let at = t
                .iter()
                .position(|x| *x == (Weight::Bold, "序号"))
                .expect("header on every page");
            // Each row's two lines are on the same page as its number.
            let firsts = t.iter().filter(|(_, s)| *s == "甲乙丙").count();
            let seconds = t.iter().filter(|(_, s)| *s == "丁戊己").count();
            assert_eq!(firsts, seconds);
            assert!(at <= 1);
        }
    }

    #[test]
    fn surplus_cells_are_kept() {
        let row = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(fit_row(&row, 2), vec!["a".to_string(), "b\nc".to_string()]);
        assert_eq!(fit_row(&row[..1], 2), vec!["a".to_string(), String::new()]);
    }

    #[test]
    fn truncate_adds_an_ellipsis() {
        let f = fonts();
        let t = truncate(&f.regular, "一二三四五六七八九十", 10.0, 45.0);
        assert!(t.ends_with('…'));
        assert!(f.regular.width(&t, 10.0) <= 45.0 + 0.01);
    }
}
