//! What the `storyline eval` commands share: the output format.

use clap::ValueEnum;

/// Output formats of the `eval` commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table.
    Text,
    /// Everything, per cluster too.
    Json,
}
