//! robots.txt (RFC 9309): the group for our product token (else `*`), `Allow`/`Disallow`
//! with `*` and `$`, the longest match deciding (`Allow` on a tie), and `Crawl-delay`.
//!
//! Written here rather than taken from a crate: the project's crate notes list none, and the
//! maintained ones bring a parser-combinator and regex stack for what is a hundred lines.

use std::time::Duration;

/// The rules of one robots.txt that apply to us.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    /// `(allow, pattern)` in file order.
    rules: Vec<(bool, String)>,
    /// `Crawl-delay` of our group.
    pub delay: Option<Duration>,
}

/// Rules kept per file (a hostile robots.txt cannot make us hold more).
const MAX_RULES: usize = 2_000;

impl Robots {
    /// Everything allowed (no robots.txt, or one that could not be had).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Everything disallowed.
    pub fn disallow_all() -> Robots {
        Robots {
            rules: vec![(false, "/".to_string())],
            delay: None,
        }
    }

    /// The rules of `text` for the crawler named `agent` (its product token, e.g.
    /// `storyline`).
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        let mut ours = Robots::default();
        let mut star = Robots::default();
        let (mut found_ours, mut found_star) = (false, false);
        // The agents the current group is for; a rule line closes the list.
        let mut group: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines().take(50_000) {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            if key == "user-agent" {
                if in_rules {
                    group.clear();
                    in_rules = false;
                }
                group.push(value.to_ascii_lowercase());
                continue;
            }
            in_rules = true;
            let is_ours = group
                .iter()
                .any(|g| g != "*" && !g.is_empty() && agent.contains(g.as_str()));
            let is_star = group.iter().any(|g| g == "*");
            found_ours |= is_ours;
            found_star |= is_star;
            for (hit, target) in [(is_ours, &mut ours), (is_star && !is_ours, &mut star)] {
                if !hit {
                    continue;
                }
                match key.as_str() {
                    "allow" | "disallow" if target.rules.len() < MAX_RULES => {
                        // An empty Disallow allows everything: no rule.
                        if !value.is_empty() {
                            target.rules.push((key == "allow", value.to_string()));
                        }
                    }
                    "crawl-delay" => {
                        target.delay = value
                            .parse::<f64>()
                            .ok()
                            .filter(|d| d.is_finite() && *d >= 0.0)
                            .map(|d| Duration::from_secs_f64(d.min(3600.0)));
                    }
                    _ => {}
                }
            }
        }
        if found_ours {
            ours
        } else if found_star {
            star
        } else {
            Robots::default()
        }
    }

    /// May `path` (with its query) be fetched?
    pub fn allowed(&self, path: &str) -> bool {
        let path = if path.is_empty() { "/" } else { path };
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Does `pattern` (`*` any run, `$` at the end anchors) match the start of `path`?
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut at = 0usize;
    for (k, part) in parts.iter().enumerate() {
        if k == 0 {
            if !path.starts_with(part) {
                return false;
            }
            at = part.len();
            continue;
        }
        let last = k == parts.len() - 1;
        if last && anchored {
            return path.len() >= at + part.len() && path.ends_with(part);
        }
        match path[at..].find(part) {
            Some(i) => at += i + part.len(),
            None => return false,
        }
    }
    !anchored || at == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "User-agent: *\nDisallow: /private/\nAllow: /private/open\nCrawl-delay: 2\n\n\
        User-agent: BadBot\nUser-agent: storyline\nDisallow: /news/*.pdf$\nDisallow: /drafts\nCrawl-delay: 0.5\n";

    #[test]
    fn our_group_is_chosen_over_the_star_group() {
        let r = Robots::parse(FILE, "storyline/0.1");
        assert!(r.allowed("/private/x"), "the * group does not apply to us");
        assert!(!r.allowed("/drafts/1"));
        assert!(!r.allowed("/news/a.pdf"));
        assert!(r.allowed("/news/a.pdf?x=1"));
        assert_eq!(r.delay, Some(Duration::from_millis(500)));
    }

    #[test]
    fn the_longest_match_decides() {
        let r = Robots::parse(FILE, "otherbot");
        assert!(!r.allowed("/private/x"));
        assert!(r.allowed("/private/open/1"));
        assert!(r.allowed("/"));
        assert_eq!(r.delay, Some(Duration::from_secs(2)));
        assert!(Robots::parse("", "x").allowed("/a"));
        assert!(!Robots::disallow_all().allowed("/a"));
    }
}
