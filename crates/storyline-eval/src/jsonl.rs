//! Reading JSONL files of records (gold data, annotations): one record per line, blank
//! lines skipped. Each reader turns [`JsonlError`] into its own error type.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// Why a JSONL file could not be read.
#[derive(Debug)]
pub(crate) enum JsonlError {
    /// The file could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A line is not a record.
    Json {
        path: PathBuf,
        /// 1-based.
        line: usize,
        source: serde_json::Error,
    },
}

/// Reads PATH, one `T` per non-blank line.
pub(crate) fn read_jsonl<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, JsonlError> {
    let text = std::fs::read_to_string(path).map_err(|source| JsonlError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_jsonl(&text, path)
}

/// Parses JSONL TEXT, one `T` per non-blank line (`path` only names it in errors).
pub(crate) fn parse_jsonl<T: DeserializeOwned>(
    text: &str,
    path: &Path,
) -> Result<Vec<T>, JsonlError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|source| JsonlError::Json {
                path: path.to_owned(),
                line: i + 1,
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_names_the_bad_line() {
        let dir = std::env::temp_dir().join(format!("storyline-eval-jsonl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("records.jsonl");
        std::fs::write(&path, "[1]\n\n  \n[2, 3]\n").unwrap();
        let got: Vec<Vec<u32>> = read_jsonl(&path).unwrap();
        assert_eq!(got, vec![vec![1], vec![2, 3]]);

        std::fs::write(&path, "[1]\n\n{\n").unwrap();
        match read_jsonl::<Vec<u32>>(&path) {
            Err(JsonlError::Json { path: p, line, .. }) => {
                assert_eq!((p, line), (path.clone(), 3));
            }
            other => panic!("expected a JSON error on line 3, got {other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();

        match read_jsonl::<Vec<u32>>(&path) {
            Err(JsonlError::Io { path: p, .. }) => assert_eq!(p, path),
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }
}
