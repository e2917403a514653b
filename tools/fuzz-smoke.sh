#!/usr/bin/env bash
# A short libFuzzer run of every fuzz target (fuzz/README.md), on the stable toolchain.
# tools/test.sh runs it after the workspace tests, so CI does too.
#
# Usage: tools/fuzz-smoke.sh [TARGET...]      (default: every target)
#   STORYLINE_FUZZ_SECONDS  fuzzing time per target (default 15; 0 skips the smoke)
#
# Each target starts from a scratch copy of fuzz/corpus/<target> (the committed seeds stay as
# they are) with -timeout=2, so an input slower than 2 s fails, and -rss_limit_mb=1024.
# A crash, timeout or OOM fails the command, names the target and keeps the input in
# fuzz/artifacts/<target>/. Missing infrastructure (no C++ compiler for libFuzzer, no
# network for its crate) skips the smoke with a "SKIPPED fuzz smoke" line instead.
#
# Why not `cargo fuzz`: it is not on a fresh machine, and installing it from crates.io costs
# a minute or two of CI; all it would add here is the RUSTFLAGS below, which are those of
# `cargo fuzz build -O --debug-assertions --sanitizer none` (cargo-fuzz 0.13). They are
# stable rustc flags, so no nightly and no RUSTC_BOOTSTRAP. Without AddressSanitizer:
# ASan needs -Zsanitizer (nightly, or RUSTC_BOOTSTRAP=1 on stable), builds slower and runs
# about three times slower, and what the smoke is for, panics, overflows (debug assertions are on),
# slowness and memory, needs no sanitizer in safe Rust. Use cargo fuzz with ASan for long runs.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
    echo "SKIPPED fuzz smoke: $*" >&2
    exit 0
}

seconds=${STORYLINE_FUZZ_SECONDS:-15}
case $seconds in
    '' | *[!0-9]*) echo "tools/fuzz-smoke.sh: STORYLINE_FUZZ_SECONDS must be a whole number of seconds, not '$seconds'" >&2; exit 2 ;;
    0) skip "STORYLINE_FUZZ_SECONDS=0" ;;
esac
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=(html warc jsonl date summarize feed)
fi
for t in "${targets[@]}"; do
    [ -d "fuzz/corpus/$t" ] || { echo "tools/fuzz-smoke.sh: no target '$t' (no fuzz/corpus/$t)" >&2; exit 2; }
done

cxx=${CXX:-c++}
command -v "$cxx" >/dev/null 2>&1 || skip "no C++ compiler ('$cxx') to build libFuzzer"
triple=$(rustc -vV | sed -n 's/^host: //p')
[ -n "$triple" ] || skip "cannot tell the host triple from 'rustc -vV'"

manifest=fuzz/Cargo.toml
# fuzz/ is its own workspace with its own committed Cargo.lock. Not --locked: a dependency
# added to the project would then fail the smoke until fuzz/Cargo.lock is refreshed; cargo
# adds what is missing and leaves the rest pinned (the note below says to commit it).
lock_before=$(cksum <fuzz/Cargo.lock 2>/dev/null || true)
if ! fetch_log=$(cargo fetch --manifest-path "$manifest" 2>&1); then
    printf '%s\n' "$fetch_log" | tail -5 >&2
    skip "cannot fetch the fuzz crate's dependencies (libfuzzer-sys; no network?)"
fi

target_dir=${CARGO_TARGET_DIR:-$PWD/target}
flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table"
flags+=" -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
flags+=" -Cllvm-args=-simplifycfg-branch-fold-threshold=0"
case $triple in *-linux-*) flags+=" -Cllvm-args=-sanitizer-coverage-stack-depth" ;; esac
# One codegen unit, as cargo fuzz does: the coverage pass blocks ThinLTO's inlining across
# units, which makes the targets several times slower.
flags+=" -Cdebug-assertions -Ccodegen-units=1"
echo "tools/fuzz-smoke.sh: building the fuzz targets (optimized, debug assertions on)" >&2
start=$SECONDS
# --target keeps these flags off build scripts and keeps the instrumented build apart from
# the ordinary one in the shared target directory.
RUSTFLAGS="$flags ${RUSTFLAGS:-}" cargo build --manifest-path "$manifest" --release \
    --config 'profile.release.debug="line-tables-only"' \
    --target "$triple" --target-dir "$target_dir" \
    $(printf -- '--bin %s ' "${targets[@]}")
echo "tools/fuzz-smoke.sh: built in $((SECONDS - start)) s" >&2
if [ "$(cksum <fuzz/Cargo.lock)" != "$lock_before" ]; then
    echo "tools/fuzz-smoke.sh: note: fuzz/Cargo.lock was updated for a new dependency; commit it" >&2
fi

bin_dir=$target_dir/$triple/release
scratch=$(mktemp -d "${TMPDIR:-/tmp}/storyline-fuzz-smoke.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t" "fuzz/artifacts/$t"
    cp fuzz/corpus/"$t"/* "$scratch/$t/"
    seeds=$(find "$scratch/$t" -type f | wc -l)
    log=$scratch/$t.log
    # Artifacts are named after their hash; a marker tells the new ones from older ones.
    touch "$scratch/$t.start"
    if "$bin_dir/$t" -timeout=2 -rss_limit_mb=1024 -max_total_time="$seconds" \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" "$scratch/$t" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1, ft \2/p')
        echo "fuzz smoke: $t: ok, ${runs:-?} runs in $seconds s, ${cov:-no coverage line}, corpus $seeds -> $(find "$scratch/$t" -type f | wc -l)" >&2
    else
        rc=$?
        artifact=$(find "fuzz/artifacts/$t" -type f -newer "$scratch/$t.start" | head -1)
        kind=$(grep -o -m1 -E 'deadly signal|panicked|ERROR: libFuzzer: [a-z-]+' "$log" || echo "exit code $rc")
        echo "fuzz smoke: FAILED: target $t ($kind); the input is ${artifact:-not saved (see the log)}" >&2
        echo "  reproduce: $bin_dir/$t ${artifact:-<input>}" >&2
        echo "  then fix it, and add the input under a descriptive name to fuzz/corpus/$t/ (fuzz/README.md)" >&2
        echo "  --- the libFuzzer log: a panic's message, then the last lines ---" >&2
        grep -m1 -A1 'panicked at' "$log" >&2 || true
        tail -20 "$log" >&2
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz smoke: FAILED for: ${failed[*]}" >&2
    exit 1
fi
