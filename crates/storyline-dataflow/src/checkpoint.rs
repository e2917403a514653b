//! Resuming a run after the last completed input file.
//!
//! When the assigner has assigned the last article of an input file, the output is flushed
//! to disk and a checkpoint is written beside it (to a temporary file, then renamed, so a
//! crash leaves the old checkpoint or the new one, never half of one). It holds the files
//! done (name and size), the output's length at that moment, and the assigner's whole state
//! (clusterer, counts, recent ids). A re-run with the same options and the same first files
//! cuts the output back to that length (dropping lines written after the checkpoint) and
//! starts at the next file, with the assigner exactly as it was: its output is the same as
//! that of a run that never stopped. Further files may be added to the list: they are
//! clustered after the ones done, as a longer run would have.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use storyline::stream::InOrderAssigner;

use crate::Error;
use crate::input::InputFile;

/// Changes when the layout below changes.
const VERSION: u32 = 1;

/// A completed input file as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoneFile {
    /// Its name as given.
    pub name: String,
    /// Its size when it was read.
    pub size: u64,
}

#[derive(Serialize, Deserialize)]
struct Header {
    version: u32,
    options_key: u64,
    done: Vec<DoneFile>,
    output_len: u64,
}

/// A checkpoint read back.
pub struct Checkpoint {
    /// Files done, in input order.
    pub done: Vec<DoneFile>,
    /// Length of the output when they were done.
    pub output_len: u64,
    /// The assigner after the last of them (options still to be set).
    pub assigner: InOrderAssigner,
}

/// The checkpoint's path for an output file: `OUTPUT.checkpoint`.
pub fn path_for(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".checkpoint");
    PathBuf::from(name)
}

/// Writes a checkpoint atomically.
pub(crate) fn save(
    path: &Path,
    options_key: u64,
    done: &[DoneFile],
    output_len: u64,
    assigner: &InOrderAssigner,
) -> Result<(), Error> {
    let io_err = |e: std::io::Error| Error::Io {
        context: format!("{}: cannot write the checkpoint", path.display()),
        source: e,
    };
    let tmp = path.with_extension("checkpoint.tmp");
    let mut w = BufWriter::new(File::create(&tmp).map_err(io_err)?);
    let header = Header {
        version: VERSION,
        options_key,
        done: done.to_vec(),
        output_len,
    };
    let encode = |e: bincode::Error| Error::Checkpoint(format!("{}: {e}", path.display()));
    bincode::serialize_into(&mut w, &header).map_err(encode)?;
    bincode::serialize_into(&mut w, assigner).map_err(encode)?;
    let file = w.into_inner().map_err(|e| io_err(e.into_error()))?;
    file.sync_all().map_err(io_err)?;
    fs::rename(&tmp, path).map_err(io_err)?;
    Ok(())
}

/// Reads the checkpoint at `path` if there is one, checking that it belongs to this job:
/// same options, and its files are the first of `inputs`, unchanged.
pub fn load(
    path: &Path,
    options_key: u64,
    inputs: &[InputFile],
) -> Result<Option<Checkpoint>, Error> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::Io {
                context: format!("{}: cannot read the checkpoint", path.display()),
                source: e,
            });
        }
    };
    let bad = |why: String| {
        Error::Checkpoint(format!(
            "{}: {why}; remove it (or pass --fresh) to start over",
            path.display()
        ))
    };
    let mut r = BufReader::new(file);
    let header: Header = bincode::deserialize_from(&mut r).map_err(|e| bad(e.to_string()))?;
    if header.version != VERSION {
        return Err(bad(format!(
            "written by another version ({})",
            header.version
        )));
    }
    if header.options_key != options_key {
        return Err(bad("written with other clustering options".into()));
    }
    for (k, d) in header.done.iter().enumerate() {
        match inputs.get(k) {
            Some(f) if f.name == d.name && f.size == d.size => {}
            Some(f) => {
                return Err(bad(format!(
                    "input {} is {} ({} bytes), the checkpoint has {} ({} bytes) there",
                    k + 1,
                    f.name,
                    f.size,
                    d.name,
                    d.size
                )));
            }
            None => {
                return Err(bad(format!(
                    "it covers {} input files, only {} given",
                    header.done.len(),
                    inputs.len()
                )));
            }
        }
    }
    let assigner: InOrderAssigner =
        bincode::deserialize_from(&mut r).map_err(|e| bad(e.to_string()))?;
    Ok(Some(Checkpoint {
        done: header.done,
        output_len: header.output_len,
        assigner,
    }))
}
