#!/usr/bin/env python3
"""Print a random sample of cross-article figure groups ("quantities"), each figure with the
article text around it, for reading by hand: outside the annotated clusters, are the figures
grouped as one quantity really the same quantity, does the label say what is counted, and is
the verdict (consistent / updated / conflict) right?

`storyline eval compare` scores figures on 25 hand-annotated clusters only; like
`tools/sample_speakers.py`, this samples from the comparison of every DUC 2006 and DUC 2007
event, leaving out the annotated clusters, so that a rule can be read where nobody tuned.

Usage (from the repository root, after `cargo build --release`):

    tools/sample_figures.py [--data ../shared/data] [--n 40] [--seed 7] [--json] [--skip IDS]

Each sampled quantity prints its cluster, label and verdict, then each figure: its article,
date, the figure's text, and the text before and after it. `--json` prints the same as one
JSON object per quantity (for rating packets).
"""

import argparse
import json
import random
import sys
from pathlib import Path

from duc_events import annotated_clusters, available, compared_events


def context(text: str, figure: str, width: int = 200) -> str:
    at = text.find(figure)
    if at < 0:
        return repr(figure)
    return " ".join(
        (text[max(0, at - width) : at] + "[" + figure + "]" + text[at + len(figure) : at + len(figure) + 120]).split()
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bin", default="target/release/storyline")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip", default="", help="comma-separated cluster ids to leave out too")
    args = ap.parse_args()
    data = Path(args.data)
    if not available(data):
        print(f"skipped: the DUC sets are not under {data}", file=sys.stderr)
        return 0
    skip = annotated_clusters() | {c for c in args.skip.split(",") if c}
    texts, events = compared_events(args.bin, data, skip)
    groups = [
        (event["id"], q)
        for event in events
        for q in event.get("quantities", [])
        if len({f["article"] for f in q["figures"]}) >= 2
    ]
    print(f"{len(groups)} quantities reported by two articles or more outside the annotated clusters",
          file=sys.stderr)
    random.seed(args.seed)
    for i, (cluster, q) in enumerate(random.sample(groups, min(args.n, len(groups)))):
        figs = [
            {
                "article": f["article"],
                "date": f.get("date"),
                "figure": f["text"],
                "context": context(texts[f["article"]], f["text"]),
            }
            for f in q["figures"]
        ]
        if args.json:
            print(json.dumps({"n": i, "cluster": cluster, "label": q["what"],
                              "verdict": q["agreement"], "figures": figs}))
            continue
        print(f"#{i} {cluster} label={q['what']!r} verdict={q['agreement']}")
        for f in figs:
            print(f"    {f['article']} {f['date']} {f['figure']!r}: {f['context']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
