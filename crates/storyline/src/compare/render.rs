//! The comparison as Markdown for people (JSON is its `Serialize` form).

use std::fmt::Write as _;

use super::SourceComparison;
use super::figures::{Agreement, Hedge};
use super::stance::Stance;
use crate::report::{articles_and_outlets, md_escape};

/// Longest quote shown in full; longer ones are cut at a word.
const QUOTE_CHARS: usize = 300;

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    if let Some(k) = out.rfind(' ') {
        out.truncate(k);
    }
    out + " …"
}

fn list(v: &[String]) -> String {
    v.iter()
        .map(|s| md_escape(s))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SourceComparison {
    /// A readable Markdown report: quotes, figures, names, shared and unique facts,
    /// timeline, claims presented differently, and the articles.
    pub fn to_markdown(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Source comparison: {}\n", md_escape(title));
        let copies = self.articles.iter().filter(|a| a.copy_of.is_some()).count();
        let _ = write!(
            out,
            "*{}",
            articles_and_outlets(self.articles.len(), self.outlets, self.outlets_not_given)
        );
        if copies > 0 {
            let _ = write!(out, "; {copies} copies of other articles left out");
        }
        let _ = writeln!(out, ".*\n");

        let _ = writeln!(out, "## Quotes\n");
        let attributed: Vec<_> = self
            .statements
            .iter()
            .filter(|s| s.speaker.is_some())
            .collect();
        if attributed.is_empty() {
            let _ = writeln!(out, "_No attributed quote found._\n");
        }
        let when = |s: &super::Statement| {
            s.when
                .as_deref()
                .map(|w| format!(", {}", md_escape(w)))
                .unwrap_or_default()
        };
        let several: Vec<_> = attributed.iter().filter(|s| s.outlets.len() > 1).collect();
        if !several.is_empty() {
            let _ = writeln!(out, "### Reported by several outlets\n");
            for s in &several {
                let _ = writeln!(
                    out,
                    "- **{}**{}: “{}” — {}",
                    md_escape(s.speaker.as_deref().unwrap_or("")),
                    when(s),
                    md_escape(&cut(&s.text, QUOTE_CHARS)),
                    list(&s.outlets)
                );
                let mut shown = vec![s.text.clone()];
                for o in &s.occurrences {
                    if !shown.contains(&o.text) {
                        shown.push(o.text.clone());
                        let _ = writeln!(
                            out,
                            "  - {} writes: “{}”",
                            md_escape(&o.outlet),
                            md_escape(&cut(&o.text, QUOTE_CHARS))
                        );
                    }
                }
            }
            let _ = writeln!(out);
        }
        // Everyone quoted, each speaker's statements in article order.
        let mut speakers: Vec<&str> = Vec::new();
        for s in &attributed {
            let name = s.speaker.as_deref().unwrap_or("");
            if !speakers.contains(&name) {
                speakers.push(name);
            }
        }
        if !speakers.is_empty() {
            let _ = writeln!(out, "### By speaker\n");
        }
        for name in speakers {
            let _ = writeln!(out, "**{}**\n", md_escape(name));
            for s in attributed
                .iter()
                .filter(|s| s.speaker.as_deref() == Some(name))
            {
                let _ = writeln!(
                    out,
                    "- “{}”{} — {}",
                    md_escape(&cut(&s.text, QUOTE_CHARS)),
                    when(s),
                    list(&s.outlets)
                );
            }
            let _ = writeln!(out);
        }
        let unattributed = self.statements.len() - attributed.len();
        if unattributed > 0 {
            let _ = if unattributed == 1 {
                writeln!(
                    out,
                    "_1 quote whose speaker the articles do not make clear is not listed._"
                )
            } else {
                writeln!(
                    out,
                    "_{unattributed} quotes whose speaker the articles do not make clear are not listed._"
                )
            };
        }
        let _ = writeln!(out, "\n## Figures\n");
        if self.quantities.is_empty() {
            let _ = writeln!(out, "_No figure is reported by two outlets._");
        }
        for q in &self.quantities {
            let verdict = match q.agreement {
                Agreement::Consistent => "consistent",
                Agreement::Updated => "updated over time",
                Agreement::Conflict => "**conflict**",
            };
            let _ = writeln!(out, "- {} — {}", md_escape(&q.what), verdict);
            // The same figure from the same outlet on the same day (a wire's updated story)
            // is one line, with the number of its articles.
            let mut lines: Vec<(String, usize)> = Vec::new();
            for f in &q.figures {
                let hedge = match f.hedge {
                    Hedge::Exact | Hedge::Range => String::new(),
                    h => format!(
                        " ({})",
                        serde_json::to_value(h)
                            .ok()
                            .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                            .unwrap_or_default()
                    ),
                };
                let date = f.date.map(|d| format!(", {d}")).unwrap_or_default();
                let line = format!(
                    "  - {}{}: “{}”{}",
                    md_escape(&f.outlet),
                    date,
                    md_escape(&f.text),
                    hedge
                );
                match lines.iter_mut().find(|(l, _)| *l == line) {
                    Some((_, n)) => *n += 1,
                    None => lines.push((line, 1)),
                }
            }
            for (line, n) in lines {
                if n > 1 {
                    let _ = writeln!(out, "{line} ({n} articles)");
                } else {
                    let _ = writeln!(out, "{line}");
                }
            }
        }

        let _ = writeln!(out, "\n## Names written differently\n");
        if self.names.is_empty() {
            let _ = writeln!(out, "_Every name is spelled one way._");
        }
        for n in &self.names {
            let vs: Vec<String> = n
                .variants
                .iter()
                .map(|v| format!("{} ({})", md_escape(&v.spelling), list(&v.outlets)))
                .collect();
            let _ = writeln!(out, "- **{}**: {}", md_escape(&n.canonical), vs.join("; "));
        }

        let _ = writeln!(out, "\n## Facts several outlets report\n");
        if self.facts.shared.is_empty() {
            let _ = writeln!(out, "_No fact is reported by more than one outlet._");
        }
        for f in &self.facts.shared {
            let _ = writeln!(
                out,
                "- {} — {} of {} outlets: {}",
                md_escape(&f.text),
                f.outlets.len(),
                self.outlets,
                list(&f.outlets)
            );
        }
        let _ = writeln!(out, "\n## Reported by one outlet only\n");
        if self.facts.unique.is_empty() {
            let _ = writeln!(out, "_None found._");
        }
        for f in &self.facts.unique {
            let _ = writeln!(
                out,
                "- **{}**: {}",
                md_escape(&f.outlets[0]),
                md_escape(&f.text)
            );
        }

        let _ = writeln!(out, "\n## Timeline\n");
        if self.timeline.is_empty() {
            let _ = writeln!(out, "_No dated happening found._");
        }
        let entry = |out: &mut String, t: &super::TimelineEntry| {
            let _ = writeln!(
                out,
                "- **{}** — {} — {}",
                md_escape(&t.label),
                md_escape(&t.text),
                list(&t.outlets)
            );
        };
        for t in self.timeline.iter().filter(|t| !t.relative) {
            entry(&mut out, t);
        }
        if self.timeline.iter().any(|t| t.relative) {
            let _ = writeln!(
                out,
                "\n_From articles without a date, so not in order with the dates above:_\n"
            );
            for t in self.timeline.iter().filter(|t| t.relative) {
                entry(&mut out, t);
            }
        }

        let _ = writeln!(out, "\n## Claims presented differently\n");
        if self.disputed.is_empty() {
            let _ = writeln!(
                out,
                "_The outlets present the facts they share the same way._"
            );
        }
        for c in &self.disputed {
            let denied = if c.denied {
                " (a denial is reported)"
            } else {
                ""
            };
            let _ = writeln!(out, "- {}{}", md_escape(&c.claim), denied);
            for o in &c.outlets {
                let how = match o.stance {
                    Stance::Stated => "states it".to_string(),
                    Stance::Attributed => {
                        format!("attributes it (“{}”)", o.marker.as_deref().unwrap_or(""))
                    }
                    Stance::Hedged => {
                        format!("hedges it (“{}”)", o.marker.as_deref().unwrap_or(""))
                    }
                };
                let _ = writeln!(
                    out,
                    "  - {} {}: {}",
                    md_escape(&o.outlet),
                    how,
                    md_escape(&o.text)
                );
            }
        }

        let _ = writeln!(out, "\n## Articles\n");
        for (k, a) in self.articles.iter().enumerate() {
            let date = a.date.map(|d| format!(", {d}")).unwrap_or_default();
            let outlet = if a.outlet_not_given {
                "outlet not given"
            } else {
                &a.outlet
            };
            let copy = a
                .copy_of
                .as_ref()
                .map(|c| format!(" — copy of `{c}`"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{}. {} ({}{}) `{}`{}",
                k + 1,
                md_escape(&a.title),
                md_escape(outlet),
                date,
                a.id,
                copy
            );
        }
        out
    }
}
