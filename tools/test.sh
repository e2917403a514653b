#!/usr/bin/env bash
# The project's test command (README "Quick start"; .ci/run runs exactly this).
#
# Installs what the tests need beyond the Rust toolchain when it is missing: Debian's
# chromium and chromium-driver, for the browser test of the web page (as root, or through
# passwordless sudo). Then runs every test of the workspace, and a short libFuzzer run of each
# fuzz target (tools/fuzz-smoke.sh, about two minutes after its build; STORYLINE_FUZZ_SECONDS=0
# skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        sudo="none"
    fi
    if [ "$sudo" != none ] && command -v apt-get >/dev/null 2>&1; then
        echo "tools/test.sh: installing chromium and chromium-driver for the browser test" >&2
        install() { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium chromium-driver >&2; }
        install || { $sudo apt-get update -q >&2 && install; }
    else
        echo "tools/test.sh: chromedriver is missing and cannot be installed here (needs root or sudo and apt); the browser test will be skipped" >&2
    fi
fi
if command -v chromedriver >/dev/null 2>&1; then
    # Installed: the browser test must run, not skip.
    export STORYLINE_REQUIRE_BROWSER=1
fi

cargo test --workspace --locked
exec tools/fuzz-smoke.sh
