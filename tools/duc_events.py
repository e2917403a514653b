"""Shared by the sampling tools: every DUC 2006/2007 event's comparison, outside the
hand-annotated clusters, with the articles' texts. Imported by `sample_speakers.py` and
`sample_figures.py` (run them from the repository root)."""

import json
import subprocess
from pathlib import Path

SETS = ["duc2006/test.jsonl", "duc2007/test_main_partial.jsonl"]


def available(data: Path) -> bool:
    return all((data / s).exists() for s in SETS)


def annotated_clusters() -> set:
    return {
        json.loads(line)["cluster"]
        for line in open("annotations/compare/annotations.jsonl", encoding="utf-8")
    }


def compared_events(binary: str, data: Path, skip: set):
    """(texts by article id, [event JSON of `storyline compare -f json`]) for every DUC
    event whose id is not in `skip`."""
    texts, events = {}, []
    for s in SETS:
        for line in open(data / s, encoding="utf-8"):
            for d in json.loads(line).get("docs", []):
                texts[d["id"]] = d["text"]
        out = subprocess.run(
            [binary, "-q", "compare", str(data / s), "-f", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        events += [e for e in map(json.loads, out.splitlines()) if e["id"] not in skip]
    return texts, events
