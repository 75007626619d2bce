//! The document model: what a printed file says, independent of how it is laid out.
//!
//! `content` builds a `Document` from a case (choosing, for a hand-off, only the fields
//! its redaction profile allows); `render` lays it out on A4 pages with printpdf.

use chrono::NaiveDateTime;

/// A whole printed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// PDF title (metadata) and the title on the first page.
    pub title: String,
    /// Left of the page header: the case number.
    pub header_left: String,
    /// Right of the page header: the confidentiality mark, e.g. 内部资料 注意保密.
    pub header_right: String,
    /// Left of the page footer: who printed it and when. The right of the footer is the
    /// page number 第 X 页 / 共 Y 页.
    pub footer_left: String,
    /// Creation date written into the PDF metadata (local time of printing).
    pub created: NaiveDateTime,
    pub blocks: Vec<Block>,
}

/// One table column: its title and its share of the text width.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Relative width; the columns of a table share the text width in these proportions.
    pub weight: f32,
}

/// A piece of content, laid out top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A cover page: a large centred title, a subtitle and label/value lines, then a new page.
    Cover {
        title: String,
        subtitle: String,
        fields: Vec<(String, String)>,
    },
    /// A section heading (bold, larger); never left alone at the bottom of a page.
    Heading(String),
    /// A smaller heading inside a section.
    Subheading(String),
    /// Label/value pairs in two columns; long values wrap within their column.
    Fields(Vec<(String, String)>),
    /// Running text, wrapped by the Chinese line-breaking rules.
    Paragraph(String),
    /// Running text that states how many pages the whole file has: `before`, the number,
    /// `after` (the hand-off receipt's 连同本回执共N页). The layout fills the number in.
    PageCount { before: String, after: String },
    /// A table that splits across pages, repeating its header row on each page.
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
    },
    /// Lines to sign on: each label followed by a rule, e.g. 接收人签字：________.
    SignatureLines(Vec<String>),
    /// A horizontal bar chart, one bar per label. A bar whose number is not shown is drawn
    /// as a hatched outline of a fixed length with its text, never at its true length.
    BarChart {
        title: String,
        bars: Vec<Bar>,
        /// Printed under the chart (what a hatched bar means).
        note: String,
    },
    /// Vertical space, in millimetres.
    Space(f32),
    /// Start a new page.
    PageBreak,
}

/// One bar of a [`Block::BarChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: BarValue,
}

/// How long a bar is.
#[derive(Debug, Clone, PartialEq)]
pub enum BarValue {
    /// Drawn to scale, with the number beside it.
    Number(u64),
    /// Not shown: a hatched outline as long as `SUPPRESS_BELOW` would be, with this
    /// text ("<5") beside it.
    Hidden(String),
}
