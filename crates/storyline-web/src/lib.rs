//! Storyline's web ingest: HTML pages and WARC archives in, [`storyline::Article`]s out.
//!
//! The modules follow the data:
//!
//! - [`source`] walks the paths a user gives (folders of `.html`/`.htm`/`.html.gz`, single
//!   pages, `.warc`/`.warc.gz` archives, `-` for standard input) and yields raw documents;
//! - [`warc`] reads WARC records from a stream, surviving damage, and [`http`] splits a
//!   stored response into status, headers and body;
//! - [`charset`] finds a page's encoding and decodes it;
//! - [`html`] extracts the article: main text, headline, date, outlet, canonical URL;
//! - [`pipeline`] runs it all in parallel with bounded memory and yields, in input order,
//!   one [`outcome`] per record: an article or a reject with its reason.
//!
//! The entry point is [`articles_from_paths`].

pub mod charset;
pub mod fuzz;
pub mod html;
pub mod http;
pub mod lang;
pub mod outcome;
pub mod pipeline;
pub mod source;
pub mod warc;

pub use outcome::{Origin, Reason, Reject, Tally, WebArticle};
pub use pipeline::{Ingest, IngestOptions, articles_from_paths, process_document};
pub use source::Progress;
pub use source::{Document, SourceError};
