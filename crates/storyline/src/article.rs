//! The unit of input: one article from one outlet.

use serde::{Deserialize, Serialize};

use crate::date::Timestamp;

/// One news article as it arrives: an id, a headline, a body, and what is known of its
/// outlet, address and publication time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Unique within a run (file name, JSON `id`).
    pub id: String,
    /// Headline; may be empty.
    #[serde(default)]
    pub title: String,
    /// Body text, paragraphs separated by newlines.
    #[serde(default)]
    pub text: String,
    /// Outlet name or domain, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Address of the page, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication time, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
}

impl Article {
    /// The outlet that published the article: its `source`, else the host of its `url`,
    /// else its own id. An article of unknown origin counts as an outlet of its own: two
    /// such articles are never taken for one outlet (they may come from two). Its id is a
    /// key, not a name: readers see it as [`unnamed_outlet`] (test with [`outlet_given`]).
    pub fn outlet(&self) -> &str {
        if let Some(s) = self
            .source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            return s;
        }
        if let Some(host) = self.url.as_deref().and_then(url_host) {
            return host;
        }
        &self.id
    }
}

/// Is `outlet`, the outlet of the article with id `id` as [`Article::outlet`] gives it, a
/// real outlet? (Not when it is the article's own id: the outlet was not given.)
pub fn outlet_given(outlet: &str, id: &str) -> bool {
    outlet != id
}

/// How an article whose outlet is not given is named where outlets are listed: by its
/// number among the articles listed, so that two such articles stay apart and no file
/// name is shown as if it were an outlet.
pub fn unnamed_outlet(number: usize) -> String {
    format!("article {number} (outlet not given)")
}

/// The host of an http(s) URL without a leading `www.`.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// Articles about one event, as given (a benchmark cluster) or as found by clustering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSet {
    /// Identifier of the set (cluster or event id).
    pub id: String,
    /// Its articles, in input order.
    pub articles: Vec<Article>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(source: Option<&str>, url: Option<&str>) -> Article {
        Article {
            id: "a1".into(),
            title: String::new(),
            text: String::new(),
            source: source.map(Into::into),
            url: url.map(Into::into),
            date: None,
        }
    }

    #[test]
    fn outlet_falls_back_from_source_to_url_host_to_id() {
        assert_eq!(
            article(Some("AFP"), Some("https://x.org/a")).outlet(),
            "AFP"
        );
        assert_eq!(
            article(None, Some("https://www.aljazeera.com/news/1")).outlet(),
            "aljazeera.com"
        );
        assert_eq!(article(Some("  "), None).outlet(), "a1");
    }
}
