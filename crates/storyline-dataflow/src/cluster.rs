//! Stream clustering on the ordered dataflow: every worker parses and featurizes the JSONL
//! lines of its chunks ([`parse_line`]); only the features travel to worker 0, which assigns
//! them with the same [`InOrderAssigner`] the single-process stream uses, so the output is
//! identical to `storyline cluster` on the concatenated input.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use storyline::cluster::{ClusterOptions, Featurizer};
use storyline::ingest::Limits;
use storyline::stream::{InOrderAssigner, Parsed, parse_line};

use crate::input::{self, Chunk, InputFile};
use crate::ordered::{ChunkWork, InOrder};
use crate::{Error, Sink, checkpoint};

/// The work of one chunk, sent to the assigner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Featurized {
    lines: usize,
    parsed: Vec<Parsed<()>>,
}

/// Parse and featurize JSONL lines.
pub(crate) struct ClusterWork {
    pub(crate) cluster: ClusterOptions,
    pub(crate) limits: Limits,
}

impl ChunkWork for ClusterWork {
    type Output = Featurized;
    type State = Featurizer;

    fn state(&self) -> Featurizer {
        Featurizer::new(&self.cluster)
    }

    fn process(
        &self,
        featurizer: &mut Featurizer,
        file: &InputFile,
        chunk: &Chunk,
    ) -> (Featurized, u64) {
        let lines = input::read_chunk(file, chunk, self.limits.max_line_bytes);
        let n = lines.len();
        let parsed: Vec<Parsed<()>> = lines
            .into_iter()
            .map(|line| parse_line(line, &file.name, &self.limits, featurizer).map_article(|_| ()))
            .collect();
        let articles = parsed
            .iter()
            .filter(|p| matches!(p, Parsed::Article(_)))
            .count() as u64;
        (Featurized { lines: n, parsed }, articles)
    }
}

/// Worker 0's assigning state.
pub(crate) struct Assigning {
    pub(crate) sink: Box<dyn Sink>,
    pub(crate) assigner: InOrderAssigner,
    pub(crate) checkpoint: Option<(PathBuf, u64, Vec<checkpoint::DoneFile>)>,
    pub(crate) line_offset: usize,
}

fn output_error(e: std::io::Error) -> Error {
    Error::Io {
        context: "writing output".into(),
        source: e,
    }
}

impl InOrder<Featurized> for Assigning {
    fn chunk(&mut self, chunk: &Chunk, file: &InputFile, result: Featurized) -> Result<(), Error> {
        if chunk.first_of_file {
            self.line_offset = 0;
        }
        let sink = &mut self.sink;
        let mut error = None;
        for p in result.parsed {
            self.assigner
                .take(p, &file.name, self.line_offset, &mut |item| {
                    if error.is_none()
                        && let Err(e) = sink.item(item)
                    {
                        error = Some(output_error(e));
                    }
                });
        }
        if let Some(e) = error {
            return Err(e);
        }
        self.line_offset += result.lines;
        if chunk.last_of_file {
            self.file_done(file)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), Error> {
        self.sink.commit().map(|_| ()).map_err(output_error)
    }
}

impl Assigning {
    /// The last chunk of a file was assigned: flush, and checkpoint.
    fn file_done(&mut self, f: &InputFile) -> Result<(), Error> {
        let Some((path, key, done)) = &mut self.checkpoint else {
            return Ok(());
        };
        done.push(checkpoint::DoneFile {
            name: f.name.clone(),
            size: f.size,
        });
        let len = self.sink.commit().map_err(output_error)?;
        checkpoint::save(path, *key, done, len, &self.assigner)
    }
}
