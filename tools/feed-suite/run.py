#!/usr/bin/env python3
"""Checks `storyline ingest FEED` against the test cases of Python's feedparser.

feedparser's source distribution ships its test suite: one small feed per file, with the
expected value in a header comment (`Expect: not bozo and entries[0]['title'] == '...'`).
This script fetches that sdist with pip into a cache directory (the files are never copied
into the project), keeps the well-formed RSS, Atom and RDF cases whose assertion is about the
first entry's title, link, published/updated date, summary or content, runs

    storyline ingest FILE --min-words 0 --lang any -f jsonl

on each and compares the first article with the expected value:

- title, text: the expected value as plain text (tags stripped, entities decoded, no script or
  style text), whitespace collapsed, against the article's `title` / `text`;
- link: against `url`;
- published_parsed / updated_parsed (UTC struct_time): against `date` read as an instant.

Left out: a summary assertion when the entry also has content (the article's text is the
content then), an updated date when the entry has a published one, and the cases whose answer
depends on feedparser's own HTTP test server (the document's address, a Content-Location
header), which a file read from disk cannot have. Atom plain-text elements (`type="text"`)
are compared as they are, not as HTML.

Usage: python3 tools/feed-suite/run.py [--storyline PATH] [--cache DIR] [-v]
"""

import argparse
import ast
import calendar
import datetime
import html
import html.parser
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Directories of tests/wellformed whose documents are RSS, Atom or RDF feeds.
SKIP_DIRS = {"cdf"}

# feedparser field -> what it is compared with.
FIELDS = {
    ("title",): "title",
    ("title_detail", "value"): "title",
    ("link",): "link",
    ("published_parsed",): "date",
    ("updated_parsed",): "updated",
    ("summary",): "summary",
    ("description",): "summary",
    ("summary_detail", "value"): "summary",
    ("content", 0, "value"): "content",
}


def fetch_suite(cache: Path) -> Path:
    """The unpacked feedparser sdist's tests/wellformed, downloaded once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob("feedparser-*/tests/wellformed"))
    if found:
        return found[-1]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--no-binary", ":all:", "feedparser", "-d", str(cache)],
        check=True,
    )
    archives = sorted(cache.glob("feedparser-*.tar.gz"))
    if not archives:
        sys.exit(f"no feedparser sdist in {cache}")
    with tarfile.open(archives[-1]) as tar:
        members = [m for m in tar.getmembers() if "/tests/" in m.name and m.isreg()]
        tar.extractall(cache, members=members, filter="data")
    found = sorted(cache.glob("feedparser-*/tests/wellformed"))
    if not found:
        sys.exit(f"{archives[-1]}: no tests/wellformed in it")
    return found[-1]


def literal(node):
    """A string, number or tuple literal, with '+' between strings (as the suite writes)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return literal(node.left) + literal(node.right)
    return ast.literal_eval(node)


def subscript_path(node):
    """entries[0]['a'][0]['b'] -> ('a', 0, 'b'), else None."""
    keys = []
    while isinstance(node, ast.Subscript):
        keys.append(literal(node.slice))
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == "entries") or not keys:
        return None
    keys.reverse()
    if keys[0] != 0:
        return None
    return tuple(keys[1:])


def assertions(expect: str):
    """(field, expected) for each comparison of a well-formed case that we check."""
    try:
        tree = ast.parse(expect.strip(), mode="eval").body
    except SyntaxError:
        return []
    parts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
    not_bozo = any(
        isinstance(p, ast.UnaryOp) and isinstance(p.op, ast.Not)
        and isinstance(p.operand, ast.Name) and p.operand.id == "bozo"
        for p in parts
    )
    if not not_bozo:
        return []
    out = []
    for p in parts:
        if not (isinstance(p, ast.Compare) and len(p.ops) == 1 and isinstance(p.ops[0], ast.Eq)):
            continue
        path = subscript_path(p.left)
        if path is None or path not in FIELDS:
            continue
        try:
            value = literal(p.comparators[0])
        except (ValueError, TypeError, SyntaxError):
            continue
        out.append((FIELDS[path], value))
    return out


class PlainText(html.parser.HTMLParser):
    """HTML to plain text: tags dropped, entities decoded, no script or style text."""

    HIDDEN = {"script", "style", "noscript", "template", "iframe", "object", "embed", "applet"}
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
             "td", "th", "table", "blockquote", "pre", "hr", "dd", "dt", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag in self.BLOCK:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in self.BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def plain(value: str) -> str:
    p = PlainText()
    p.feed(value)
    p.close()
    return collapse("".join(p.parts))


def collapse(s: str) -> str:
    return " ".join(s.split())


def instant(struct) -> int:
    """feedparser's *_parsed (a UTC struct_time as a tuple) as seconds since the epoch."""
    return calendar.timegm(tuple(struct[:6]) + (0, 0, 0))


def article_instant(date: str):
    """The article's `date` as seconds since the epoch (UTC when no offset is given)."""
    s = date.strip().replace("Z", "+00:00")
    try:
        d = datetime.datetime.fromisoformat(s)
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp())


def has_content(xml: str) -> bool:
    return bool(re.search(r"<(content:encoded|content|xhtml:body|body)\b", xml, re.I))


def has_published(xml: str) -> bool:
    return bool(re.search(r"<(pubDate|published|issued|dc:date|dcterms:issued)\b", xml, re.I))


def run_storyline(binary: str, path: Path):
    proc = subprocess.run(
        [binary, "ingest", str(path), "--min-words", "0", "--lang", "any", "-f", "jsonl"],
        capture_output=True, timeout=60,
    )
    lines = [l for l in proc.stdout.decode("utf-8", "replace").splitlines() if l.strip()]
    if not lines:
        return None, proc.stderr.decode("utf-8", "replace").strip()
    return json.loads(lines[0]), None


def applies(field, expected, xml):
    """Why a case is left out, or None when it is checked."""
    if "127.0.0.1:8097" in str(expected) or re.search(r"^Header:", xml, re.M):
        # The answer depends on the HTTP server of feedparser's own test harness (the
        # document's address, Content-Location): a file read from disk has neither.
        return "needs feedparser's HTTP harness"
    if field == "updated" and has_published(xml):
        return "updated, but the entry has a published date"
    if field == "summary" and has_content(xml):
        return "summary, but the entry has content"
    return None


def literal_text(field, xml):
    """Whether the asserted element is Atom plain text (taken as it is, not as HTML)."""
    atom = re.search(r"<feed\b[^>]*(2005/Atom|purl.org/atom)", xml) is not None
    if not atom:
        return False
    name = {"title": "title", "summary": "summary", "content": "content"}.get(field)
    if name is None:
        return False
    entry = re.search(r"<(?:\w+:)?entry\b.*", xml, re.S)
    m = re.search(r"<(?:\w+:)?%s\b([^>]*)>(.*?)</(?:\w+:)?%s>" % (name, name),
                  entry.group(0) if entry else xml, re.S)
    if not m:
        return False
    attrs, inner = m.group(1), m.group(2)
    if re.search(r"<[A-Za-z]", re.sub(r"<!\[CDATA\[.*?\]\]>", "", inner, flags=re.S)):
        return False  # inline markup: feedparser gives it as HTML
    ty = re.search(r"\btype\s*=\s*[\"']([^\"']*)", attrs)
    mode = re.search(r"\bmode\s*=\s*[\"']([^\"']*)", attrs)
    if mode and mode.group(1) != "xml":
        return False
    return ty is None or ty.group(1) in ("text", "text/plain")


def check(field, expected, article, xml):
    """(passed, got, want)."""
    if field == "title":
        return compare_text(article.get("title", ""), expected, literal_text(field, xml))
    if field == "link":
        got = article.get("url") or ""
        return got == expected, got, expected
    if field in ("date", "updated"):
        got = article.get("date")
        want = instant(expected)
        have = article_instant(got) if got else None
        return have == want, got, datetime.datetime.fromtimestamp(
            want, datetime.timezone.utc).isoformat()
    return compare_text(article.get("text", ""), expected, literal_text(field, xml))


def compare_text(got, expected, literal):
    if not isinstance(expected, str):
        expected = str(expected)
    want = collapse(expected) if literal else plain(expected)
    have = collapse(got)
    return have == want, have, want


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--storyline", default=str(
        Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "storyline"))
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "storyline-feed-suite"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every failure in full")
    args = ap.parse_args()

    suite = fetch_suite(Path(args.cache))
    results = defaultdict(lambda: [0, 0])  # (dir, field) -> [passed, total]
    failures = []
    for path in sorted(suite.rglob("*.xml")):
        category = path.parent.name
        if category in SKIP_DIRS:
            continue
        xml = path.read_text("utf-8", "replace")
        m = re.search(r"^Expect:\s*(.*)$", xml, re.M)
        if not m:
            continue
        root = re.sub(r"<!--.*?-->", "", xml, flags=re.S)
        if not re.search(r"<(rss|feed|rdf:RDF)\b", root):
            continue
        cases = assertions(m.group(1))
        if not cases:
            continue
        cases = [(f, e) for f, e in cases if applies(f, e, xml) is None]
        if not cases:
            continue
        article, err = run_storyline(args.storyline, path)
        for field, expected in cases:
            key = (category, "text" if field in ("summary", "content") else
                   "date" if field == "updated" else field)
            results[key][1] += 1
            if article is None:
                failures.append((path, field, "(no article: %s)" % (err or "nothing printed"),
                                 repr(expected)))
                continue
            ok, got, want = check(field, expected, article, xml)
            if ok:
                results[key][0] += 1
            else:
                failures.append((path, field, got, want))

    fields = ["title", "link", "date", "text"]
    cats = sorted({c for c, _ in results})
    print(f"{'category':<18}" + "".join(f"{f:>14}" for f in fields) + f"{'all':>14}")
    col_tot = defaultdict(lambda: [0, 0])
    for c in cats:
        row = f"{c:<18}"
        cp, ct = 0, 0
        for f in fields:
            p, t = results.get((c, f), (0, 0))
            cp += p
            ct += t
            col_tot[f][0] += p
            col_tot[f][1] += t
            row += f"{f'{p}/{t}':>14}" if t else f"{'-':>14}"
        row += f"{f'{cp}/{ct}':>14}"
        print(row)
    tp = sum(v[0] for v in col_tot.values())
    tt = sum(v[1] for v in col_tot.values())
    row = f"{'all':<18}"
    for f in fields:
        p, t = col_tot[f]
        row += f"{f'{p}/{t}':>14}"
    print(row + f"{f'{tp}/{tt}':>14}")
    print(f"\npass rate: {tp}/{tt} = {100.0 * tp / max(tt, 1):.1f}%")
    if failures:
        print(f"\nfailures ({len(failures)}):")
        for path, field, got, want in failures:
            rel = path.relative_to(suite)
            g, w = str(got), str(want)
            if not args.verbose:
                g, w = g[:100], w[:100]
            print(f"  {rel} [{field}]\n      got:  {g!r}\n      want: {w!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
