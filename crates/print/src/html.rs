//! The same document as HTML, for the benchmark that compares our PDFs with a browser
//! printing the same content (`chromium --headless --print-to-pdf`). Not used to print.

use crate::doc::{Block, Document};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fields(out: &mut String, fields: &[(String, String)]) {
    out.push_str("<table class=\"fields\">");
    for (k, v) in fields {
        out.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v)));
    }
    out.push_str("</table>");
}

/// Renders `doc` as a standalone HTML page with A4 print styles and the same header text.
pub fn to_html(doc: &Document, font_path: &str) -> String {
    let mut out = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         @font-face {{ font-family: NotoSC; src: url('file://{}'); }}\
         @page {{ size: A4; margin: 22mm 20mm; }}\
         body {{ font-family: NotoSC, sans-serif; font-size: 10.5pt; line-height: 1.6; }}\
         h1 {{ font-size: 24pt; text-align: center; margin-top: 60mm; }} h2 {{ font-size: 15pt; }} h3 {{ font-size: 12pt; }}\
         table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 0.5pt solid #888; padding: 2pt 4pt; vertical-align: top; }}\
         thead {{ display: table-header-group; }} tr {{ page-break-inside: avoid; }}\
         .fields th {{ width: 28%; text-align: left; }} .header {{ font-size: 9pt; border-bottom: 0.5pt solid #888; }}\
         </style></head><body><div class=\"header\">{} — {}</div>",
        esc(&doc.title),
        font_path,
        esc(&doc.header_left),
        esc(&doc.header_right)
    );
    for block in &doc.blocks {
        match block {
            Block::Cover {
                title,
                subtitle,
                fields: f,
            } => {
                out.push_str(&format!(
                    "<h1>{}</h1><p style=\"text-align:center\">{}</p>",
                    esc(title),
                    esc(subtitle)
                ));
                fields(&mut out, f);
                out.push_str("<div style=\"page-break-after: always\"></div>");
            }
            Block::Heading(h) => out.push_str(&format!("<h2>{}</h2>", esc(h))),
            Block::Subheading(h) => out.push_str(&format!("<h3>{}</h3>", esc(h))),
            Block::Fields(f) => fields(&mut out, f),
            Block::Paragraph(p) => out.push_str(&format!("<p>{}</p>", esc(p))),
            // The browser's page count is not known here; the benchmark prints full files,
            // which state none.
            Block::PageCount { before, after } => {
                out.push_str(&format!("<p>{}—{}</p>", esc(before), esc(after)));
            }
            Block::Table { columns, rows } => {
                out.push_str("<table><thead><tr>");
                for c in columns {
                    out.push_str(&format!("<th>{}</th>", esc(&c.title)));
                }
                out.push_str("</tr></thead><tbody>");
                for r in rows {
                    out.push_str("<tr>");
                    for cell in r {
                        out.push_str(&format!("<td>{}</td>", esc(cell)));
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</tbody></table>");
            }
            Block::SignatureLines(lines) => {
                for l in lines {
                    out.push_str(&format!("<p>{}________________________</p>", esc(l)));
                }
            }
            Block::BarChart { title, bars, note } => {
                out.push_str(&format!("<h3>{}</h3><table>", esc(title)));
                for bar in bars {
                    let value = match &bar.value {
                        crate::doc::BarValue::Number(n) => n.to_string(),
                        crate::doc::BarValue::Hidden(text) => text.clone(),
                    };
                    out.push_str(&format!(
                        "<tr><td>{}</td><td>{}</td></tr>",
                        esc(&bar.label),
                        esc(&value)
                    ));
                }
                out.push_str(&format!("</table><p>{}</p>", esc(note)));
            }
            Block::Space(mm) => out.push_str(&format!("<div style=\"height:{mm}mm\"></div>")),
            Block::PageBreak => out.push_str("<div style=\"page-break-after: always\"></div>"),
        }
    }
    out.push_str(&format!(
        "<p class=\"header\">{}</p></body></html>",
        esc(&doc.footer_left)
    ));
    out
}
