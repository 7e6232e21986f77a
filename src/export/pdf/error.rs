//! What can stop a PDF from being written, other than the output or the
//! database failing.

use skrifa::raw::ReadError;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("too many objects for one file")]
    TooManyObjects,
    #[error("too many pages for one file")]
    TooManyPages,
    /// A bug here, not in the data: each object is written in its own chunk.
    #[error("a chunk must hold exactly one object")]
    NotOneObject,
    #[error("object {0} is not reserved, or was written already")]
    Unreserved(i32),
    #[error("object {0} reserved, never written")]
    NeverWritten(usize),
    #[error("the file outgrows the 10-digit offsets of an xref table")]
    FileTooLarge,
    /// Signatures were added or withdrawn between the pass that counted
    /// the pages and the one that drew them, so "Page N sur M" would lie.
    #[error("the list changed while the PDF was being made; export it again")]
    ListChanged,
    #[error("font subset too large")]
    SubsetTooLarge,
    #[error("cannot subset {font}: {source}")]
    Subset {
        font: String,
        #[source]
        source: subsetter::Error,
    },
    #[error("the embedded font {face} does not load: {source}")]
    FontLoad {
        face: &'static str,
        #[source]
        source: ReadError,
    },
}
