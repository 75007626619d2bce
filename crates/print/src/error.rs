//! The one error type of the print crate.

/// Errors while making a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The embedded font could not be parsed.
    #[error("the font cannot be loaded: {0}")]
    Font(String),
    /// printpdf or lopdf failed to write the document.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// Password protection failed.
    #[error("the PDF could not be encrypted: {0}")]
    Encrypt(String),
    /// The spreadsheet could not be written.
    #[error("the spreadsheet could not be written: {0}")]
    Xlsx(String),
    /// A file stating its own page count did not settle on one (its layout changed the
    /// count each time the count was written in).
    #[error("the page count of the file did not settle")]
    PageCount,
    /// The password for a protected PDF is too short.
    #[error("the PDF password needs at least {min} characters")]
    WeakPassword { min: usize },
}

/// Result alias of the print crate.
pub type Result<T, E = PrintError> = std::result::Result<T, E>;
