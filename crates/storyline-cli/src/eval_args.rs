//! What the `storyline eval` commands share: the output format, and the flags with which
//! `eval compare` and `eval citations` find their gold file and the dev data.

use std::marker::PhantomData;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Output formats of the `eval` commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table.
    Text,
    /// Everything, per cluster too.
    Json,
}

/// The gold data of an evaluation against `annotations/`: where its file is by default,
/// and how `--help` speaks of it.
pub trait Gold {
    /// The default `--annotations`.
    const ANNOTATIONS: &'static str;
    /// `--help` of `--annotations`.
    const ANNOTATIONS_HELP: &'static str;
    /// `--help` of `--data`.
    const DATA_HELP: &'static str;
}

/// The gold file, the dev data its clusters come from, and the clusters to score (the
/// `--annotations` default and the help of the first two flags come from `G`).
#[derive(Args)]
pub struct GoldArgs<G: Gold> {
    #[arg(long, default_value = G::ANNOTATIONS, value_name = "FILE", help = G::ANNOTATIONS_HELP)]
    pub annotations: PathBuf,
    #[arg(long, default_value = "../shared/data", value_name = "DIR", help = G::DATA_HELP)]
    pub data: PathBuf,
    /// Score only these clusters (repeatable).
    #[arg(long, value_name = "ID")]
    pub cluster: Vec<String>,
    #[arg(skip)]
    gold: PhantomData<G>,
}

impl<G: Gold> GoldArgs<G> {
    /// Is this cluster to be scored?
    pub fn wants(&self, cluster: &str) -> bool {
        self.cluster.is_empty() || self.cluster.iter().any(|c| c == cluster)
    }
}
