//! The event document as the pages read it back: the parts of the stored JSON (the API's
//! `GET /api/events/{id}` body) that the event page shows. Unknown fields are ignored, so
//! the document may grow without breaking the page.

use serde::Deserialize;
use storyline::Timestamp;

/// An event's stored document.
#[derive(Debug, Deserialize)]
pub struct EventView {
    pub title: String,
    #[serde(default)]
    pub first_date: Option<i64>,
    #[serde(default)]
    pub last_date: Option<i64>,
    pub articles: usize,
    #[serde(default)]
    pub summary: Vec<SentenceView>,
    #[serde(default)]
    pub comparison: ComparisonView,
    #[serde(default)]
    pub members: Vec<MemberView>,
}

#[derive(Debug, Deserialize)]
pub struct SentenceView {
    pub text: String,
    #[serde(default)]
    pub citations: Vec<CitationView>,
    #[serde(default)]
    pub support: usize,
}

#[derive(Debug, Deserialize)]
pub struct CitationView {
    pub article: String,
    pub outlet: String,
    pub text: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ComparisonView {
    pub statements: Vec<StatementView>,
    pub quantities: Vec<QuantityView>,
    pub names: Vec<NameView>,
    pub facts: FactsView,
    pub timeline: Vec<TimelineView>,
    pub disputed: Vec<DisputedView>,
}

#[derive(Debug, Deserialize)]
pub struct StatementView {
    #[serde(default)]
    pub speaker: Option<String>,
    pub text: String,
    #[serde(default)]
    pub outlets: Vec<String>,
    #[serde(default)]
    pub when: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct QuantityView {
    pub what: String,
    pub agreement: String,
    #[serde(default)]
    pub figures: Vec<FigureView>,
}

#[derive(Debug, Deserialize)]
pub struct FigureView {
    pub outlet: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct NameView {
    pub canonical: String,
    #[serde(default)]
    pub variants: Vec<VariantView>,
}

#[derive(Debug, Deserialize)]
pub struct VariantView {
    pub spelling: String,
    #[serde(default)]
    pub outlets: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FactsView {
    pub shared: Vec<FactView>,
    pub unique: Vec<FactView>,
}

#[derive(Debug, Deserialize)]
pub struct FactView {
    pub text: String,
    #[serde(default)]
    pub outlets: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct TimelineView {
    pub label: String,
    #[serde(default)]
    pub relative: bool,
    pub text: String,
    #[serde(default)]
    pub outlets: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct DisputedView {
    pub claim: String,
    #[serde(default)]
    pub outlets: Vec<StanceView>,
}

#[derive(Debug, Deserialize)]
pub struct StanceView {
    pub outlet: String,
    pub stance: String,
    #[serde(default)]
    pub marker: Option<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct MemberView {
    pub id: String,
    pub title: String,
    pub outlet: String,
    #[serde(default)]
    pub date: Option<Timestamp>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub duplicate_of: Option<String>,
}

/// A day for people, from Unix seconds.
pub fn day(unix: Option<i64>) -> Option<String> {
    unix.and_then(Timestamp::from_unix_number)
        .map(|t| t.date().to_string())
}

/// The days from `first` to `last`, as ISO dates ("2031-03-12 – 2031-03-14"), or one day.
pub fn span(first: Option<i64>, last: Option<i64>) -> Option<String> {
    match (day(first), day(last)) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), Some(b)) => Some(format!("{a} – {b}")),
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => None,
    }
}
