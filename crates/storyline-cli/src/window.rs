//! Time spans as flags give them: `3d`, `36h`, `90m`, `600s` or plain seconds
//! (`storyline cluster --window`, the timeouts of scaled-out runs).

use std::time::Duration;

/// Parses `3d`, `36h`, `90m`, `600s` or plain seconds.
pub(crate) fn parse_window(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("{s:?}: expected a number with d, h, m or s"))?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{s:?}: unknown unit {unit:?} (use d, h, m or s)")),
    };
    Ok(n * factor)
}

/// A duration as `storyline cluster --window` reads it (`30s`, `2m`, plain seconds).
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let secs = parse_window(s)?;
    u64::try_from(secs)
        .map(Duration::from_secs)
        .map_err(|_| format!("{s:?}: expected a positive time"))
}

/// A duration the way flags give it: `30d`, `36h`, `90m` or `42s`.
pub(crate) fn format_span(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        _ if s >= 86_400 && s.is_multiple_of(86_400) => format!("{}d", s / 86_400),
        _ if s >= 3600 && s.is_multiple_of(3600) => format!("{}h", s / 3600),
        _ if s >= 60 && s.is_multiple_of(60) => format!("{}m", s / 60),
        _ => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_window;

    #[test]
    fn windows_read_with_units() {
        assert_eq!(parse_window("3d"), Ok(259_200));
        assert_eq!(parse_window("36h"), Ok(129_600));
        assert_eq!(parse_window("90m"), Ok(5_400));
        assert_eq!(parse_window("42"), Ok(42));
        assert!(parse_window("3 weeks").is_err());
    }
}
