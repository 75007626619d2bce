//! The laid-out pages of a document as one HTML page of A4 SVG pages, for printing through
//! the system's print dialog (the desktop's 打印). It is the PDF's own layout — the same
//! lines and breaks, page count, running heads and 第 X 页 / 共 Y 页 — drawn by the browser
//! engine with the same embedded fonts, so what the printer prints is what 导出PDF saves.
//!
//! The page asks for its fonts by the relative names of [`FontFile`]; whoever serves the
//! page serves them beside it from [`FontFile::bytes`] (nothing is written to disk).

use std::fmt::Write as _;

use super::{BOLD_TTF, Fonts, Ink, Item, PAGE_H, PAGE_W, REGULAR_TTF, Weight, paginate};
use crate::doc::Document;
use crate::error::Result;

/// The fonts the page loads, beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontFile {
    Regular,
    Bold,
}

impl FontFile {
    pub const ALL: [FontFile; 2] = [FontFile::Regular, FontFile::Bold];

    /// The name the page asks for (relative to the page's own address).
    pub fn name(self) -> &'static str {
        match self {
            FontFile::Regular => "noto-sans-sc-regular.ttf",
            FontFile::Bold => "noto-sans-sc-bold.ttf",
        }
    }

    /// The embedded font (TrueType).
    pub fn bytes(self) -> &'static [u8] {
        match self {
            FontFile::Regular => REGULAR_TTF,
            FontFile::Bold => BOLD_TTF,
        }
    }

    /// The font whose [`name`](Self::name) ends `path` (`/noto-sans-sc-bold.ttf`).
    pub fn for_path(path: &str) -> Option<FontFile> {
        let name = path.rsplit('/').next()?;
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A document as a printable HTML page.
pub struct PagedHtml {
    pub html: String,
    pub pages: usize,
    /// Characters the font could not show, printed as `[U+XXXX]` (sorted, each once).
    pub missing_glyphs: Vec<char>,
}

impl std::fmt::Debug for PagedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The page is a case file: never print it.
        f.debug_struct("PagedHtml")
            .field("html", &format_args!("{} bytes", self.html.len()))
            .field("pages", &self.pages)
            .field("missing_glyphs", &self.missing_glyphs)
            .finish()
    }
}

/// The family name of the embedded fonts inside the page.
const FAMILY: &str = "Guitu Noto Sans SC";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn hex(ink: Ink) -> String {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!("#{:02x}{:02x}{:02x}", c(ink.0), c(ink.1), c(ink.2))
}

/// Lays `doc` out as [`super::render`] does and writes its pages as SVG in one HTML page
/// with A4 print styles (no margins of its own: the pages carry theirs).
pub fn to_html(doc: &Document, fonts: &Fonts) -> Result<PagedHtml> {
    let laid = paginate(doc, fonts)?;
    let pages = laid.pages.len();
    let mut out = String::with_capacity(4096 + pages * 16_384);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; font-src 'self'; style-src 'unsafe-inline'\">\
         <title>{title}</title><style>\
         @font-face {{ font-family: \"{FAMILY}\"; font-weight: 400; src: url(\"{regular}\") format(\"truetype\"); }}\
         @font-face {{ font-family: \"{FAMILY}\"; font-weight: 700; src: url(\"{bold}\") format(\"truetype\"); }}\
         @page {{ size: A4 portrait; margin: 0; }}\
         html, body {{ margin: 0; padding: 0; background: #fff; }}\
         svg.page {{ display: block; width: 210mm; height: 296mm; overflow: hidden; break-after: page; page-break-after: always; }}\
         svg.page:last-child {{ break-after: auto; page-break-after: auto; }}\
         text {{ font-family: \"{FAMILY}\"; white-space: pre; font-kerning: none; font-variant-ligatures: none; }}\
         </style></head><body data-pages=\"{pages}\">\n",
        title = esc(&doc.title),
        regular = FontFile::Regular.name(),
        bold = FontFile::Bold.name(),
    );
    for (i, items) in laid.pages.iter().enumerate() {
        let _ = write!(
            out,
            "<svg class=\"page\" data-page=\"{n}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {PAGE_W:.3} {PAGE_H:.3}\">",
            n = i + 1
        );
        for item in items {
            page_item(&mut out, item);
        }
        out.push_str("</svg>\n");
    }
    out.push_str("</body></html>\n");
    Ok(PagedHtml {
        html: out,
        pages,
        missing_glyphs: laid.missing_glyphs,
    })
}

fn page_item(out: &mut String, item: &Item) {
    match item {
        Item::Text {
            x,
            baseline,
            style,
            spacing,
            text,
        } => {
            let weight = match style.weight {
                Weight::Regular => 400,
                Weight::Bold => 700,
            };
            let _ = write!(
                out,
                "<text x=\"{x:.2}\" y=\"{baseline:.2}\" font-size=\"{:.2}\" font-weight=\"{weight}\" fill=\"{}\"",
                style.size,
                hex(style.ink)
            );
            // The PDF's character spacing (Tc) that justifies a line.
            if *spacing != 0.0 {
                let _ = write!(out, " letter-spacing=\"{spacing:.3}\"");
            }
            let _ = write!(out, ">{}</text>", esc(text));
        }
        Item::Rule {
            x1,
            y1,
            x2,
            y2,
            width,
            ink,
        } => {
            let _ = write!(
                out,
                "<line x1=\"{x1:.2}\" y1=\"{y1:.2}\" x2=\"{x2:.2}\" y2=\"{y2:.2}\" stroke=\"{}\" stroke-width=\"{width:.2}\"/>",
                hex(*ink)
            );
        }
        Item::Fill { x, top, w, h, ink } => {
            let _ = write!(
                out,
                "<rect x=\"{x:.2}\" y=\"{top:.2}\" width=\"{w:.2}\" height=\"{h:.2}\" fill=\"{}\"/>",
                hex(*ink)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Block;
    use crate::render::{RenderOptions, render};

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            title: "个案移交摘要（学校） DZ-2026-0001".into(),
            header_left: "DZ-2026-0001".into(),
            header_right: "内部资料 注意保密".into(),
            footer_left: "打印人：张三".into(),
            created: chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
                .and_then(|d| d.and_hms_opt(10, 30, 0))
                .unwrap_or_default(),
            blocks,
        }
    }

    #[test]
    fn the_pages_are_the_pdfs_pages() {
        let fonts = Fonts::shared().expect("embedded fonts parse");
        let mut blocks = vec![Block::Heading("一、基本情况".into())];
        for i in 0..120 {
            blocks.push(Block::Paragraph(format!(
                "第{i}段：受害人情况 <b>&amp;</b>"
            )));
        }
        blocks.push(Block::PageBreak);
        blocks.push(Block::PageCount {
            before: "连同本回执共".into(),
            after: "页。".into(),
        });
        let d = doc(blocks);
        let paged = to_html(&d, fonts).expect("html");
        let pdf = render(&d, fonts, &RenderOptions::default()).expect("pdf");
        assert_eq!(paged.pages, pdf.pages, "the printer gets the PDF's pages");
        assert!(paged.pages > 2, "120 paragraphs fill more than two pages");
        assert_eq!(
            paged.html.matches("<svg class=\"page\"").count(),
            paged.pages,
            "one SVG per page"
        );
        let total = format!("共 {} 页", paged.pages);
        assert!(paged.html.contains(&total), "the footer counts the pages");
        let stated = format!("连同本回执共{}页。", paged.pages);
        assert!(paged.html.contains(&stated), "the receipt states the count");
        assert!(
            paged.html.contains("&lt;b&gt;&amp;amp;&lt;/b&gt;") && !paged.html.contains("<b>"),
            "text is escaped, never markup"
        );
        for f in FontFile::ALL {
            assert!(paged.html.contains(f.name()), "the page loads {f:?}");
            assert_eq!(FontFile::for_path(&format!("/{}", f.name())), Some(f));
        }
        assert_eq!(FontFile::for_path("/etc/passwd"), None);
    }
}
