//! The peers' published numbers: the tables of `../shared/tools/peers/ANCHORS.md`.
//!
//! The benchmark prints Storyline's scores next to these, so a reader sees both side by side
//! without running the Python peers. Tables are read as Markdown: a heading, a header row
//! (`| system | R-1 | ... |`) and one row per system; bold marks are dropped.

use std::path::Path;

/// One Markdown table and the heading above it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorTable {
    /// The nearest `##` heading above the table.
    pub heading: String,
    /// Column names, the first being the system column.
    pub columns: Vec<String>,
    /// Rows: system name, then the cells.
    pub rows: Vec<Vec<String>>,
}

impl AnchorTable {
    /// The numeric value of `column` for `system`, if present.
    pub fn value(&self, system: &str, column: &str) -> Option<f64> {
        let c = self.columns.iter().position(|h| h == column)?;
        let row = self
            .rows
            .iter()
            .find(|r| r.first().is_some_and(|s| s == system))?;
        row.get(c)?
            .split_whitespace()
            .next()?
            .trim_start_matches('~')
            .parse()
            .ok()
    }

    /// The last number in the cell of `column` for `system` (cells like `0.62 / 0.52 / 0.57`).
    pub fn last_number(&self, system: &str, column: &str) -> Option<f64> {
        let c = self.columns.iter().position(|h| h == column)?;
        let row = self
            .rows
            .iter()
            .find(|r| r.first().is_some_and(|s| s == system))?;
        row.get(c)?
            .split(|ch: char| ch.is_whitespace() || ch == '/')
            .rfind(|x| !x.is_empty())?
            .parse()
            .ok()
    }

    /// The systems listed.
    pub fn systems(&self) -> impl Iterator<Item = &str> {
        self.rows
            .iter()
            .filter_map(|r| r.first().map(String::as_str))
    }
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().replace("**", ""))
        .collect()
}

/// Parses every table of a Markdown document.
pub fn parse_tables(markdown: &str) -> Vec<AnchorTable> {
    let mut tables = Vec::new();
    let mut heading = String::new();
    let mut lines = markdown.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("#") {
            heading = h.trim_start_matches('#').trim().to_string();
            continue;
        }
        let is_header = line.trim_start().starts_with('|')
            && lines.peek().is_some_and(|n| {
                n.trim_start().starts_with("|---") || n.trim_start().starts_with("| ---")
            });
        if !is_header {
            continue;
        }
        let columns = cells(line);
        lines.next();
        let mut rows = Vec::new();
        while let Some(r) = lines.peek() {
            if !r.trim_start().starts_with('|') {
                break;
            }
            rows.push(cells(r));
            lines.next();
        }
        tables.push(AnchorTable {
            heading: heading.clone(),
            columns,
            rows,
        });
    }
    tables
}

/// Reads the tables of an ANCHORS.md file.
pub fn read_tables(path: &Path) -> std::io::Result<Vec<AnchorTable>> {
    Ok(parse_tables(&std::fs::read_to_string(path)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tables_under_their_headings() {
        let md = "# Title\n\n## DUC 2006 (50 clusters)\n| system | R-1 | R-2 |\n|---|---|---|\n| ilp | 35.64 | **8.44** |\n| lead (round-robin) | 33.53 | 5.98 |\n\ntext\n## Other\n| a | b |\n|---|---|\n| x | ~0 |\n";
        let t = parse_tables(md);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].heading, "DUC 2006 (50 clusters)");
        assert_eq!(t[0].value("ilp", "R-2"), Some(8.44));
        assert_eq!(t[0].value("lead (round-robin)", "R-1"), Some(33.53));
        assert_eq!(t[0].value("nobody", "R-1"), None);
        assert_eq!(t[1].value("x", "b"), Some(0.0));
    }
}
