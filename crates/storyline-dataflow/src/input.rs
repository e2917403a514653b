//! The input of a scaled-out run: JSONL files cut into chunks of about `chunk_bytes`, each
//! starting and ending at a line boundary.
//!
//! Chunks are planned from file sizes alone (no worker reads another's share to find line
//! boundaries): a line belongs to the chunk in which it *starts*, so a reader seeks to its
//! chunk's first byte, skips the rest of the line that began earlier (Hadoop's rule for text
//! splits), and reads up to the first line that starts past its end. Line numbers come back
//! counted from the start of the chunk; the assigner, which sees the chunks of a file in
//! order, adds the lines of the earlier chunks.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::PathBuf;

use storyline::ingest::{BoundedLines, Line, Problem};

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Where to read it.
    pub path: PathBuf,
    /// Its name in messages and checkpoints (as given on the command line).
    pub name: String,
    /// Its size in bytes when the run was planned.
    pub size: u64,
    /// It may be cut into byte ranges (JSONL: at line starts; per-record gzip members of a
    /// WARC file: at member starts). Otherwise it is one chunk.
    pub splittable: bool,
}

impl InputFile {
    /// The file at `path`, with its current size, splittable.
    pub fn open(path: PathBuf) -> io::Result<Self> {
        let size = std::fs::metadata(&path)?.len();
        Ok(InputFile {
            name: path.display().to_string(),
            path,
            size,
            splittable: true,
        })
    }
}

/// A byte range of one input file: the unit of work, and the epoch of the dataflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Index of the file among all inputs.
    pub file: usize,
    /// First byte (the chunk holds the lines that start in `start..end`).
    pub start: u64,
    /// End of the range.
    pub end: u64,
    /// The first chunk of its file (line numbers restart).
    pub first_of_file: bool,
    /// The last chunk of its file (the file is complete once it is assigned).
    pub last_of_file: bool,
}

/// Cuts `files[from..]` into chunks of about `chunk_bytes` (a file that cannot be split is one
/// chunk); every file gets at least one chunk, so that an empty file is still seen (and
/// checkpointed) in its turn.
pub fn plan(files: &[InputFile], from: usize, chunk_bytes: u64) -> Vec<Chunk> {
    let step = chunk_bytes.max(1);
    let mut chunks = Vec::new();
    for (file, f) in files.iter().enumerate().skip(from) {
        let n = if f.splittable {
            f.size.div_ceil(step).max(1)
        } else {
            1
        };
        for k in 0..n {
            chunks.push(Chunk {
                file,
                start: k * step,
                end: if k + 1 == n { f.size } else { (k + 1) * step },
                first_of_file: k == 0,
                last_of_file: k + 1 == n,
            });
        }
    }
    chunks
}

/// The lines of one chunk, numbered from 1 at the chunk's first line. A read error ends the
/// chunk with a [`Line::Bad`] naming it, as the single-process reader does.
pub fn read_chunk(file: &InputFile, chunk: &Chunk, max_line: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    if let Err(e) = read_lines(file, chunk, max_line, &mut lines) {
        tracing::warn!("{}: read error: {e}", file.name);
        lines.push(Line::Bad(lines.len() + 1, Problem::Io(e.to_string())));
    }
    lines
}

fn read_lines(
    file: &InputFile,
    chunk: &Chunk,
    max_line: usize,
    out: &mut Vec<Line>,
) -> io::Result<()> {
    let mut f = File::open(&file.path)?;
    let start = line_start_at_or_after(&mut f, chunk.start, file.size)?;
    let end = line_start_at_or_after(&mut f, chunk.end, file.size)?;
    if end <= start {
        return Ok(());
    }
    f.seek(SeekFrom::Start(start))?;
    let mut reader = BoundedLines::new(
        BufReader::with_capacity(1 << 16, f.take(end - start)),
        max_line,
    );
    while let Some(line) = reader.next_line()? {
        out.push(line);
    }
    Ok(())
}

/// The offset of the first line that starts at or after `pos`.
fn line_start_at_or_after(f: &mut File, pos: u64, size: u64) -> io::Result<u64> {
    if pos == 0 || pos >= size {
        return Ok(pos.min(size));
    }
    // The line starts at `pos` exactly when the byte before it ends a line.
    f.seek(SeekFrom::Start(pos - 1))?;
    let mut buf = [0u8; 1 << 14];
    let mut at = pos - 1;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(size);
        }
        if let Some(k) = memchr_newline(&buf[..n]) {
            return Ok((at + k as u64 + 1).min(size));
        }
        at += n as u64;
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(name: &str, text: &str) -> InputFile {
        let dir = std::env::temp_dir().join(format!("storyline-dataflow-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        InputFile::open(path).unwrap()
    }

    fn texts(lines: Vec<Line>) -> Vec<(usize, String)> {
        lines
            .into_iter()
            .map(|l| match l {
                Line::Text(n, t) => (n, t),
                Line::Bad(n, p) => (n, format!("bad: {p}")),
            })
            .collect()
    }

    #[test]
    fn every_line_is_read_once_whatever_the_chunk_size() {
        let text = "alpha\nbeta\n\ngamma delta\nepsilon\nz";
        let f = file_with("lines.jsonl", text);
        let want: Vec<String> = text.split('\n').map(str::to_string).collect();
        for step in 1..=text.len() as u64 + 1 {
            let chunks = plan(std::slice::from_ref(&f), 0, step);
            assert!(chunks.first().unwrap().first_of_file);
            assert!(chunks.last().unwrap().last_of_file);
            let mut got = Vec::new();
            for c in &chunks {
                let lines = texts(read_chunk(&f, c, 1 << 20));
                // Numbered from 1 within the chunk.
                for (k, (n, _)) in lines.iter().enumerate() {
                    assert_eq!(*n, k + 1);
                }
                got.extend(lines.into_iter().map(|(_, t)| t));
            }
            assert_eq!(got, want, "chunk size {step}");
        }
    }

    #[test]
    fn an_empty_file_still_has_one_chunk() {
        let f = file_with("empty.jsonl", "");
        let chunks = plan(std::slice::from_ref(&f), 0, 100);
        assert_eq!(chunks.len(), 1);
        assert!(chunks[0].first_of_file && chunks[0].last_of_file);
        assert!(read_chunk(&f, &chunks[0], 100).is_empty());
    }

    #[test]
    fn planning_skips_files_already_done() {
        let a = file_with("a.jsonl", "x\ny\n");
        let b = file_with("b.jsonl", "z\n");
        let chunks = plan(&[a, b], 1, 1);
        assert!(chunks.iter().all(|c| c.file == 1));
    }
}
