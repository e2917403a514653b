#!/usr/bin/env python3
"""Print a random sample of attributed quotes, each with the article text around it, for
reading by hand: how often is the speaker the right person outside the annotated clusters?

`storyline eval compare` scores speakers on 25 hand-annotated clusters only. A rule general
enough to fire anywhere must also be read where nobody annotated, so this samples from the
comparison of every DUC 2006 and DUC 2007 event, leaving out the annotated clusters.

Usage (from the repository root, after `cargo build --release`):

    tools/sample_speakers.py [--data ../shared/data] [--n 50] [--seed 7]

It runs `storyline compare -f json` on both sets and prints, per sampled quote, the cluster,
the speaker and how it was attributed, and the text before and after the quote.
"""

import argparse
import random
import sys
from pathlib import Path

from duc_events import annotated_clusters, available, compared_events


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bin", default="target/release/storyline")
    args = ap.parse_args()
    data = Path(args.data)
    if not available(data):
        print(f"skipped: the DUC sets are not under {data}", file=sys.stderr)
        return 0
    texts, events = compared_events(args.bin, data, annotated_clusters())
    quotes = []
    for event in events:
        for st in event.get("statements", []):
            quotes += [(event["id"], o) for o in st["occurrences"] if o.get("speaker")]
    print(f"{len(quotes)} attributed quotes outside the annotated clusters")
    random.seed(args.seed)
    for i, (cluster, o) in enumerate(random.sample(quotes, min(args.n, len(quotes)))):
        text = texts[o["article"]]
        at = text.find(o["text"][:50])
        print(f"#{i} {cluster} {o['article']} speaker={o['speaker']!r} ({o['attribution']})")
        print("   ", repr(text[max(0, at - 260) : at + len(o["text"]) + 90]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
