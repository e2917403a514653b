//! Does another article report the same *claim*, not just the same names?
//!
//! [`super::Aligner`] finds sentences that share most of a sentence's words, weighted by
//! rarity; names are the rarest words, so an article that names the same people on another
//! matter looks like support, and one that gives another toll for the same attack looks like
//! support too. A citation needs more: the claim's own words (its verbs and nouns, not its
//! names) carried by the other sentence, exactly or as a paraphrase; the same numbers; the
//! same polarity.
//!
//! [`ClaimAligner`] measures those for a sentence against each passage (a sentence, or two
//! adjacent ones) of another article: exact and soft coverage of the claim words, soft
//! meaning a word's nearest word in the passage by static embeddings
//! ([`storyline_text::embed`]), the way BERTScore (Zhang et al. 2020) matches tokens; name
//! coverage; numbers missing; negation on one side only. [`ClaimAligner::supporters`] cites
//! an article when one passage passes every test of [`CitationRule`], whose thresholds were
//! set on the citation gold (`annotations/citations/`; `examples/claim_features.rs` dumps the
//! features). On that gold the rule cites with precision 0.80 (0.98 counting partial
//! support) and recall 0.32, against 0.56 (0.85) and 0.29 for plain word coverage; the soft
//! match adds 0.015 of recall over exact matching at the same precision, and a logistic
//! model over all the features did no better at that precision, so the rule stays simple.
//! The key-word test ([`CitationRule::missing_key`]: the passage must not lack the claim's
//! rarest word, not counting the weekday it was reported on or an abbreviation such as
//! "U.S.") raises precision to 0.97 at recall 0.22 on that gold; chosen
//! leave-one-cluster-out, the threshold gives precision 0.90 on the held-out clusters. A
//! wrong citation costs more than a missing one, so citations use it; the summarizer's test
//! for repeats does not ([`CitationRule::repeats`]).

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use storyline_text::TokenKind;
use storyline_text::embed::StaticEmbeddings;

use super::Aligner;
use crate::corpus::{Corpus, DocIx, SentIx};

/// What is known about one sentence for claim matching.
#[derive(Debug, Clone, Default)]
struct SentenceInfo {
    /// Distinct content terms with their idf, and whether each is part of a name.
    terms: Vec<(u32, f32, bool)>,
    /// The same terms with their idf, sorted by term (a passage of one sentence is read
    /// from it as it is: see [`Overlap::new`]).
    sorted: Vec<(u32, f32)>,
    /// Number values written in the sentence (digits normalized, number words as digits).
    numbers: Vec<String>,
    /// A negation outside the first two words ("not", "never", "no", "n't", "without").
    negated: bool,
    /// Mean of its content words' vectors, normalized.
    vector: Vec<f32>,
}

/// The features of one sentence against a candidate passage of another article.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClaimFeatures {
    /// Idf-weighted share of the sentence's content terms found in the passage.
    pub coverage: f32,
    /// The same with paraphrases credited by word similarity.
    pub soft_coverage: f32,
    /// Idf-weighted exact coverage of the claim words (not names, not numbers).
    pub claim: f32,
    /// The same with paraphrases credited.
    pub soft_claim: f32,
    /// Share of the sentence's name terms found in the passage (1 when it has none).
    pub names: f32,
    /// Share of the sentence's numbers missing from the passage (0 when it has none).
    pub numbers_missing: f32,
    /// The passage gives numbers the sentence does not.
    pub other_numbers: f32,
    /// One side is negated and the other is not.
    pub negation_mismatch: f32,
    /// Share of the passage's own content (idf-weighted) that the sentence shares.
    pub focus: f32,
    /// Cosine of the two mean word vectors.
    pub cosine: f32,
    /// Sentences in the passage (1 or 2).
    pub span: f32,
    /// Content terms of the sentence.
    pub length: f32,
    /// The rarest claim word the passage lacks (no paraphrase either), as a share of the
    /// sentence's rarest word's idf: a key word missing.
    pub missing_key: f32,
}

impl ClaimFeatures {
    /// Number of model inputs.
    pub const LEN: usize = 18;

    /// The model's inputs: the features, then products of those that matter together (claim
    /// words with names, with numbers, with focus) and squares.
    pub fn to_vec(&self) -> [f32; Self::LEN] {
        [
            self.coverage,
            self.soft_coverage,
            self.claim,
            self.soft_claim,
            self.names,
            self.numbers_missing,
            self.other_numbers,
            self.negation_mismatch,
            self.focus,
            self.cosine,
            self.span,
            self.length,
            self.missing_key,
            self.soft_claim * self.names,
            self.soft_claim * (1.0 - self.numbers_missing),
            self.claim * self.focus,
            self.soft_claim * self.soft_claim,
            self.coverage * self.coverage,
        ]
    }

    /// Names of the model's inputs, in [`to_vec`](Self::to_vec)'s order.
    pub const NAMES: [&'static str; Self::LEN] = [
        "coverage",
        "soft_coverage",
        "claim",
        "soft_claim",
        "names",
        "numbers_missing",
        "other_numbers",
        "negation_mismatch",
        "focus",
        "cosine",
        "span",
        "length",
        "missing_key",
        "soft_claim*names",
        "soft_claim*numbers_found",
        "claim*focus",
        "soft_claim^2",
        "coverage^2",
    ];
}

/// The best passage of one article for a sentence, with its features.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClaimMatch {
    /// The article.
    pub doc: DocIx,
    /// First sentence of the passage.
    pub sentence: SentIx,
    /// Sentences in the passage (1 or 2).
    pub span: usize,
    /// The features.
    pub features: ClaimFeatures,
}

/// When a passage reports a sentence's claim (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CitationRule {
    /// Least soft coverage of the claim words.
    pub soft_claim: f32,
    /// Least exact coverage of all content words.
    pub coverage: f32,
    /// Least share of the passage's own content about the sentence.
    pub focus: f32,
    /// Least share of the sentence's names found in the passage.
    pub names: f32,
    /// The passage may lack the sentence's rarer claim words (no paraphrase either) only
    /// while the rarest one it lacks is below this share of the sentence's rarest word's idf
    /// ([`ClaimFeatures::missing_key`]); above 1 there is no such test.
    pub missing_key: f32,
    /// A passage that holds every name of the sentence and [`RETOLD_COVERAGE`] of its words,
    /// and whose mean word vector is at least this close ([`ClaimFeatures::cosine`]), tells
    /// the same thing even where its claim words are paraphrased beyond the word vectors
    /// ("won the Cup, beating Halden 2-1 with a goal from Sigurdsson" / "Sigurdsson scored as
    /// Rovers beat Halden 2-1 in the Cup final"): it passes the claim-word test. Infinite: no
    /// such path (citations).
    pub retold_cosine: f32,
}

/// Least exact coverage of a sentence's words for a passage to retell it (see
/// [`CitationRule::retold_cosine`]).
pub const RETOLD_COVERAGE: f32 = 0.6;

impl Default for CitationRule {
    fn default() -> Self {
        CitationRule {
            soft_claim: 0.6,
            coverage: 0.3,
            focus: 0.15,
            names: 0.5,
            missing_key: 0.6,
            retold_cosine: f32::INFINITY,
        }
    }
}

impl CitationRule {
    /// The looser rule the summarizer uses to tell that a candidate sentence repeats one
    /// already chosen: there a missed repeat costs more than a false one, so a passage that
    /// lacks a key word may still count.
    pub fn repeats() -> Self {
        CitationRule {
            missing_key: f32::INFINITY,
            retold_cosine: 0.85,
            ..CitationRule::default()
        }
    }

    /// Does the passage pass the claim-word test: enough claim words, exactly or as
    /// paraphrases, or a retelling (see [`retold_cosine`](Self::retold_cosine))?
    fn claim_told(&self, f: &ClaimFeatures) -> bool {
        f.soft_claim >= self.soft_claim
            || (f.names >= 1.0 && f.coverage >= RETOLD_COVERAGE && f.cosine >= self.retold_cosine)
    }

    /// The tests of [`cites`](Self::cites) a passage with these features fails, by name
    /// (empty when it cites).
    pub fn fails(&self, f: &ClaimFeatures) -> Vec<&'static str> {
        [
            (self.claim_told(f), "soft_claim"),
            (f.coverage >= self.coverage, "coverage"),
            (f.focus >= self.focus, "focus"),
            (f.names >= self.names, "names"),
            (f.missing_key < self.missing_key, "missing_key"),
            (f.numbers_missing == 0.0, "numbers_missing"),
            (f.negation_mismatch == 0.0, "negation"),
        ]
        .into_iter()
        .filter_map(|(ok, name)| (!ok).then_some(name))
        .collect()
    }

    /// Does a passage with these features report the claim? Every number of the sentence
    /// must be there, both must be negated or neither, and no key claim word may be missing.
    pub fn cites(&self, f: &ClaimFeatures) -> bool {
        self.claim_told(f)
            && f.coverage >= self.coverage
            && f.focus >= self.focus
            && f.names >= self.names
            && f.missing_key < self.missing_key
            && f.numbers_missing == 0.0
            && f.negation_mismatch == 0.0
    }
}

/// Soft credit of a word by its most similar word in the other passage: nothing below
/// `SOFT_FLOOR`, full credit from `SOFT_FULL` (cosines of the static table; tuned on the
/// citation gold).
const SOFT_FLOOR: f32 = 0.55;
/// Below this credit a claim word is missing from a passage (see [`ClaimFeatures::missing_key`]).
const MISSING_CREDIT: f32 = 0.5;
const SOFT_FULL: f32 = 0.75;

/// Claim matching over one corpus, on top of its [`Aligner`].
pub struct ClaimAligner<'a, 'c> {
    aligner: &'a Aligner<'c>,
    corpus: &'c Corpus,
    embeddings: StaticEmbeddings<'static>,
    info: RefCell<FxHashMap<SentIx, std::rc::Rc<SentenceInfo>>>,
    query: RefCell<FxHashMap<SentIx, std::rc::Rc<SentenceInfo>>>,
    vectors: RefCell<FxHashMap<u32, std::rc::Rc<[f32]>>>,
    /// Features already computed, by (sentence, passage start, span), with the size of the
    /// vector table and the number of their terms that had a vector when last checked.
    #[allow(clippy::type_complexity)]
    features: RefCell<FxHashMap<(SentIx, SentIx, usize), (usize, usize, ClaimFeatures)>>,
    /// A term's best word similarity in one sentence, by (term, sentence), with the number
    /// of the sentence's terms that had a vector then.
    nearest: RefCell<FxHashMap<(u32, SentIx), (usize, f32)>>,
    /// Per sentence: the vectors of its content terms as columns of a dimension-major
    /// matrix, with their count.
    columns: RefCell<FxHashMap<SentIx, (usize, std::rc::Rc<[f32]>)>>,
}

// Why the memos keep a count: a term's vector enters the table when a sentence that has it
// as a word is first read, so what `features` sees can grow as more sentences are read (a
// number whose text is also a word elsewhere). Vectors are never removed, so an unchanged
// count means the same vectors and the same result; a changed one recomputes.

impl<'a, 'c> ClaimAligner<'a, 'c> {
    /// A claim aligner over the aligner's corpus, with the built-in word vectors.
    pub fn new(aligner: &'a Aligner<'c>) -> Self {
        ClaimAligner {
            aligner,
            corpus: aligner.corpus(),
            embeddings: StaticEmbeddings::minilm(),
            info: RefCell::new(FxHashMap::default()),
            query: RefCell::new(FxHashMap::default()),
            vectors: RefCell::new(FxHashMap::default()),
            features: RefCell::new(FxHashMap::default()),
            nearest: RefCell::new(FxHashMap::default()),
            columns: RefCell::new(FxHashMap::default()),
        }
    }

    /// The info of the passage of `span` sentences from `c`, and how many of each sentence's
    /// terms have a vector now.
    fn passage_info(&self, c: SentIx, span: usize) -> (Vec<std::rc::Rc<SentenceInfo>>, Vec<usize>) {
        let passage: Vec<std::rc::Rc<SentenceInfo>> = (c..c + span).map(|k| self.info(k)).collect();
        let present = passage
            .iter()
            .map(|p| self.with_vectors(&p.terms))
            .collect();
        (passage, present)
    }

    /// Credit of term `t` (not in the passage as written) by its most similar word in the
    /// passage from `c`: nothing below [`SOFT_FLOOR`], full from [`SOFT_FULL`]; 0 when the
    /// term has no vector.
    fn soft_credit(
        &self,
        t: u32,
        passage: &[std::rc::Rc<SentenceInfo>],
        present: &[usize],
        c: SentIx,
    ) -> f32 {
        let Some(v) = self.vectors.borrow().get(&t).cloned() else {
            return 0.0;
        };
        // The best over the passage's distinct terms is the best of its sentences' bests (a
        // max does not depend on order or repeats).
        let best = passage
            .iter()
            .zip(present)
            .enumerate()
            .fold(0.0f32, |best, (i, (p, &n))| {
                best.max(self.nearest_in(t, &v, c + i, p, n))
            });
        ((best - SOFT_FLOOR) / (SOFT_FULL - SOFT_FLOOR)).clamp(0.0, 1.0)
    }

    /// How many of these terms have a vector now.
    fn with_vectors(&self, terms: &[(u32, f32, bool)]) -> usize {
        let vectors = self.vectors.borrow();
        terms.iter().filter(|t| vectors.contains_key(&t.0)).count()
    }

    /// The highest cosine of vector `v` (term `t`'s) with the vectors of sentence `k`'s
    /// content terms (0 when none is higher), `present` of which have a vector.
    fn nearest_in(&self, t: u32, v: &[f32], k: SentIx, p: &SentenceInfo, present: usize) -> f32 {
        if let Some(&(n, best)) = self.nearest.borrow().get(&(t, k))
            && n == present
        {
            return best;
        }
        let columns = self.columns_of(k, p, present);
        let best = column_dots(v, &columns, present)
            .into_iter()
            .fold(0.0f32, f32::max);
        self.nearest.borrow_mut().insert((t, k), (present, best));
        best
    }

    /// The vectors of sentence `k`'s content terms that have one (`present` of them), as
    /// the columns of a dimension-major matrix.
    fn columns_of(&self, k: SentIx, p: &SentenceInfo, present: usize) -> std::rc::Rc<[f32]> {
        if let Some((n, m)) = self.columns.borrow().get(&k)
            && *n == present
        {
            return m.clone();
        }
        let vectors = self.vectors.borrow();
        let dim = self.embeddings.dim();
        let mut m = vec![0.0f32; dim * present];
        for (j, u) in p.terms.iter().filter_map(|u| vectors.get(&u.0)).enumerate() {
            for (i, x) in u.iter().enumerate() {
                m[i * present + j] = *x;
            }
        }
        let m: std::rc::Rc<[f32]> = m.into();
        self.columns.borrow_mut().insert(k, (present, m.clone()));
        m
    }

    /// Is term `t` part of how the claim is reported rather than the claim: the weekday it
    /// was said ("said on Tuesday"), or an abbreviated name ("U.S.")? Such a word missing
    /// from a passage is no key word missing.
    /// Does a passage that credits claim term `t` (not a name) with `credit` lack it: less
    /// than half a paraphrase, and not the report's frame? (What
    /// [`ClaimFeatures::missing_key`] and [`missing_words`](Self::missing_words) count.)
    fn lacks(&self, t: u32, credit: f32) -> bool {
        credit < MISSING_CREDIT && !self.is_frame(t)
    }

    fn is_frame(&self, t: u32) -> bool {
        // Terms are stems ("tuesdai"), as the analyzer makes them.
        const WEEKDAY_STEMS: [&str; 7] = [
            "mondai",
            "tuesdai",
            "wednesdai",
            "thursdai",
            "fridai",
            "saturdai",
            "sundai",
        ];
        let text = self.corpus.term_text(t);
        text.contains('.') || WEEKDAY_STEMS.contains(&text)
    }

    /// The corpus it aligns.
    pub fn corpus(&self) -> &'c Corpus {
        self.corpus
    }

    /// The word aligner it stands on.
    pub fn aligner(&self) -> &'a Aligner<'c> {
        self.aligner
    }

    /// The (normalized) vector of a term, from its surface form in `text`.
    fn vector(&self, id: u32, surface: &str) -> std::rc::Rc<[f32]> {
        if let Some(v) = self.vectors.borrow().get(&id) {
            return v.clone();
        }
        let mut v = vec![0.0; self.embeddings.dim()];
        self.embeddings.word_vector(&surface.to_lowercase(), &mut v);
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|x| *x /= norm);
        }
        let v: std::rc::Rc<[f32]> = v.into();
        self.vectors.borrow_mut().insert(id, v.clone());
        v
    }

    fn info(&self, s: SentIx) -> std::rc::Rc<SentenceInfo> {
        if let Some(i) = self.info.borrow().get(&s) {
            return i.clone();
        }
        let sent = &self.corpus.sentences[s];
        let mut terms: Vec<(u32, f32, bool)> = Vec::new();
        let mut numbers = Vec::new();
        let mut vector = vec![0.0f32; self.embeddings.dim()];
        for t in &sent.terms {
            let surface = &sent.text[t.span.clone()];
            if t.kind == TokenKind::Number {
                numbers.push(number_value(surface));
            } else if let Some(n) = number_word(surface) {
                numbers.push(n.to_string());
            }
            if t.stop || terms.iter().any(|x| x.0 == t.id) {
                continue;
            }
            terms.push((t.id, self.aligner.idf(t.id), false));
            if t.kind == TokenKind::Word {
                let v = self.vector(t.id, surface);
                vector.iter_mut().zip(v.iter()).for_each(|(a, b)| *a += b);
            }
        }
        let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|x| *x /= norm);
        }
        numbers.sort_unstable();
        numbers.dedup();
        let mut sorted: Vec<(u32, f32)> = terms.iter().map(|t| (t.0, t.1)).collect();
        sorted.sort_unstable_by_key(|t| t.0);
        let info = std::rc::Rc::new(SentenceInfo {
            terms,
            sorted,
            numbers,
            negated: negated(&sent.text),
            vector,
        });
        self.info.borrow_mut().insert(s, info.clone());
        info
    }

    /// As [`info`](Self::info), with the terms that are part of a name marked (only the
    /// sentence being cited needs them).
    fn query_info(&self, s: SentIx) -> std::rc::Rc<SentenceInfo> {
        if let Some(i) = self.query.borrow().get(&s) {
            return i.clone();
        }
        let sent = &self.corpus.sentences[s];
        let names = crate::compare::names::mentions(&sent.text);
        let mut info = (*self.info(s)).clone();
        for (id, _, is_name) in &mut info.terms {
            *is_name = sent.terms.iter().any(|t| {
                t.id == *id
                    && names
                        .iter()
                        .any(|m| m.span.start <= t.span.start && t.span.end <= m.span.end)
            });
        }
        let info = std::rc::Rc::new(info);
        self.query.borrow_mut().insert(s, info.clone());
        info
    }

    /// Features of sentence `s` against the passage of `span` sentences starting at `c`.
    ///
    /// Computed once per (sentence, passage) while the vectors they see stay the same: the
    /// summarizer asks for the same pairs at every step of its selection.
    pub fn features(&self, s: SentIx, c: SentIx, span: usize) -> ClaimFeatures {
        // Asked again before any vector was added: the same vectors, the same features (and
        // the sentences' info is in the tables already).
        let table = self.vectors.borrow().len();
        if let Some(&(t, _, f)) = self.features.borrow().get(&(s, c, span))
            && t == table
        {
            return f;
        }
        let a = self.query_info(s);
        let (passage, present) = self.passage_info(c, span);
        let seen = self.with_vectors(&a.terms) + present.iter().sum::<usize>();
        let table = self.vectors.borrow().len();
        if let Some(entry) = self.features.borrow_mut().get_mut(&(s, c, span))
            && entry.1 == seen
        {
            entry.0 = table;
            return entry.2;
        }
        let f = self.compute_features(&a, &passage, &present, c, span);
        self.features
            .borrow_mut()
            .insert((s, c, span), (table, seen, f));
        f
    }

    /// [`features`](Self::features) itself, for sentence info `a` against the passage of
    /// `span` sentences from `c` (`passage`, of which `present[i]` terms have vectors).
    fn compute_features(
        &self,
        a: &SentenceInfo,
        passage: &[std::rc::Rc<SentenceInfo>],
        present: &[usize],
        c: SentIx,
        span: usize,
    ) -> ClaimFeatures {
        let o = Overlap::new(a, passage);
        let (mut soft, mut c_soft) = (0.0, 0.0);
        let mut missing_idf = 0.0f32;
        for &(t, idf, is_name) in &a.terms {
            let found = o.holds(t);
            let credit = if found {
                1.0
            } else {
                self.soft_credit(t, passage, present, c)
            };
            soft += idf * credit;
            if !is_name {
                c_soft += idf * credit;
                if self.lacks(t, credit) {
                    missing_idf = missing_idf.max(idf);
                }
            }
        }
        let mut pv = vec![0.0f32; a.vector.len()];
        for p in passage {
            pv.iter_mut().zip(&p.vector).for_each(|(x, y)| *x += y);
        }
        let exact = o.features(a, passage);
        ClaimFeatures {
            soft_coverage: share(soft, o.total),
            soft_claim: if o.c_total > 0.0 {
                c_soft / o.c_total
            } else {
                share(soft, o.total)
            },
            cosine: storyline_text::embed::cosine(&a.vector, &pv),
            span: span as f32,
            length: a.terms.len() as f32,
            missing_key: share(missing_idf, o.max_idf),
            ..exact
        }
    }

    /// The claim words of sentence `s` (not names, not the report's frame) that the passage
    /// of `span` sentences from `c` lacks, neither written nor as a near paraphrase: each
    /// term's text with its idf as a share of the sentence's highest, highest first. The
    /// largest share is [`ClaimFeatures::missing_key`]; `eval citations --explain` prints
    /// them.
    pub fn missing_words(&self, s: SentIx, c: SentIx, span: usize) -> Vec<(String, f32)> {
        let a = self.query_info(s);
        let (passage, present) = self.passage_info(c, span);
        let o = Overlap::new(&a, &passage);
        let mut out = Vec::new();
        for &(t, idf, is_name) in &a.terms {
            if is_name || o.holds(t) {
                continue;
            }
            if self.lacks(t, self.soft_credit(t, &passage, &present, c)) {
                out.push((self.corpus.term_text(t).to_string(), share(idf, o.max_idf)));
            }
        }
        out.sort_by(|x, y| y.1.total_cmp(&x.1));
        out
    }

    /// Does the passage of `span` sentences from `c` report sentence `s`'s claim by `rule`?
    /// The same answer as `rule.cites(&self.features(s, c, span))`; a passage that fails
    /// the rule on what needs no word vectors (coverage, focus, names, numbers, negation)
    /// is turned away before the soft matching, which is most of the cost. The sentences'
    /// info is read all the same, in the same order, so the vector table grows as it would.
    pub fn reports(&self, s: SentIx, c: SentIx, span: usize, rule: &CitationRule) -> bool {
        self.may_report(s, c, span, rule) && rule.cites(&self.features(s, c, span))
    }

    /// Whether the passage passes `rule`'s tests that need no word vectors.
    fn may_report(&self, s: SentIx, c: SentIx, span: usize, rule: &CitationRule) -> bool {
        let a = self.query_info(s);
        // Most passages are one sentence: no list to allocate for them (the sentences'
        // info is read in the same order as before: `c`, then `c + 1`).
        let first = self.info(c);
        let both;
        let passage: &[std::rc::Rc<SentenceInfo>] = if span == 1 {
            std::slice::from_ref(&first)
        } else {
            both = [first.clone(), self.info(c + 1)];
            &both
        };
        let f = Overlap::new(&a, passage).features(&a, passage);
        f.coverage >= rule.coverage
            && f.focus >= rule.focus
            && f.names >= rule.names
            && f.numbers_missing == 0.0
            && f.negation_mismatch == 0.0
    }

    /// The articles that report sentence `s`'s claim, each with its best passage (highest
    /// soft claim coverage among those the rule accepts); sorted by article.
    pub fn supporters(&self, s: SentIx, rule: &CitationRule) -> Vec<ClaimMatch> {
        let mut best: FxHashMap<DocIx, ClaimMatch> = FxHashMap::default();
        for m in self.passages_screened(s, rule.coverage, Some(rule)) {
            if !rule.cites(&m.features) {
                continue;
            }
            best.entry(m.doc)
                .and_modify(|b| {
                    if m.features.soft_claim > b.features.soft_claim + 1e-6 {
                        *b = m;
                    }
                })
                .or_insert(m);
        }
        let mut out: Vec<ClaimMatch> = best.into_values().collect();
        out.sort_by_key(|m| m.doc);
        out
    }

    /// The passages of other articles whose exact coverage of sentence `s` reaches
    /// `min_coverage`, with their features (soft features are computed for those only).
    pub fn passages_covering(&self, s: SentIx, min_coverage: f32) -> Vec<ClaimMatch> {
        self.passages_screened(s, min_coverage, None)
    }

    /// [`passages_covering`](Self::passages_covering), without the passages that fail
    /// `screen`'s tests that need no word vectors (see [`reports`](Self::reports)).
    fn passages_screened(
        &self,
        s: SentIx,
        min_coverage: f32,
        screen: Option<&CitationRule>,
    ) -> Vec<ClaimMatch> {
        let passes = |c: SentIx, span: usize| screen.is_none_or(|r| self.may_report(s, c, span, r));
        let n = self.corpus.sentences.len();
        let mut out = Vec::new();
        for c in self.aligner.candidates(s, min_coverage) {
            let doc = self.corpus.sentences[c].doc;
            let next = (c + 1 < n && self.corpus.sentences[c + 1].doc == doc).then_some(c + 1);
            let (one, two) = match next {
                Some(k) => {
                    self.aligner
                        .pair_coverage(s, self.aligner.terms(c), self.aligner.terms(k))
                }
                None => (self.aligner.coverage(s, self.aligner.terms(c)).0, 0.0),
            };
            if one >= min_coverage && passes(c, 1) {
                out.push(ClaimMatch {
                    doc,
                    sentence: c,
                    span: 1,
                    features: self.features(s, c, 1),
                });
            }
            if two >= min_coverage && two > one && passes(c, 2) {
                out.push(ClaimMatch {
                    doc,
                    sentence: c,
                    span: 2,
                    features: self.features(s, c, 2),
                });
            }
        }
        out
    }

    /// Every passage (one sentence, or two adjacent) of another article that shares a
    /// content term with sentence `s`, with its features.
    pub fn passages(&self, s: SentIx) -> Vec<ClaimMatch> {
        let own = self.corpus.sentences[s].doc;
        let n = self.corpus.sentences.len();
        let mut seen: Vec<SentIx> = Vec::new();
        for &t in self.aligner.terms(s) {
            for &c in self.aligner.postings(t) {
                let doc = self.corpus.sentences[c].doc;
                if doc != own && self.corpus.docs[doc].copy_of.is_none() {
                    seen.push(c);
                }
            }
        }
        seen.sort_unstable();
        seen.dedup();
        let mut out = Vec::with_capacity(seen.len() * 2);
        for &c in &seen {
            let doc = self.corpus.sentences[c].doc;
            out.push(ClaimMatch {
                doc,
                sentence: c,
                span: 1,
                features: self.features(s, c, 1),
            });
            if c + 1 < n && self.corpus.sentences[c + 1].doc == doc {
                out.push(ClaimMatch {
                    doc,
                    sentence: c,
                    span: 2,
                    features: self.features(s, c, 2),
                });
            }
        }
        out
    }
}

/// `x` as a share of `of` (0 when `of` is not positive).
fn share(x: f32, of: f32) -> f32 {
    if of > 0.0 { x / of } else { 0.0 }
}

/// What a passage shares with a sentence word for word: the sums behind the features that
/// need no word vectors.
struct Overlap<'p> {
    /// The passage's distinct content terms with their idf, sorted by term.
    p_terms: std::borrow::Cow<'p, [(u32, f32)]>,
    /// Idf of the sentence's terms, and of those the passage holds.
    total: f32,
    exact: f32,
    /// The same over its claim words (not names).
    c_total: f32,
    c_exact: f32,
    /// Name terms of the sentence, and those the passage holds.
    names: usize,
    names_found: usize,
    /// The sentence's highest idf.
    max_idf: f32,
}

impl<'p> Overlap<'p> {
    fn new(a: &SentenceInfo, passage: &'p [std::rc::Rc<SentenceInfo>]) -> Self {
        let p_terms = match passage {
            [one] => std::borrow::Cow::Borrowed(one.sorted.as_slice()),
            _ => {
                let mut p_terms: Vec<(u32, f32)> = passage
                    .iter()
                    .flat_map(|p| p.sorted.iter().copied())
                    .collect();
                p_terms.sort_unstable_by_key(|t| t.0);
                p_terms.dedup_by_key(|t| t.0);
                std::borrow::Cow::Owned(p_terms)
            }
        };
        let mut o = Overlap {
            p_terms,
            total: 0.0,
            exact: 0.0,
            c_total: 0.0,
            c_exact: 0.0,
            names: 0,
            names_found: 0,
            max_idf: 0.0,
        };
        for &(t, idf, is_name) in &a.terms {
            o.max_idf = o.max_idf.max(idf);
            let found = o.holds(t);
            o.total += idf;
            o.exact += if found { idf } else { 0.0 };
            if is_name {
                o.names += 1;
                o.names_found += usize::from(found);
            } else {
                o.c_total += idf;
                o.c_exact += if found { idf } else { 0.0 };
            }
        }
        o
    }

    /// Does the passage hold term `t`?
    fn holds(&self, t: u32) -> bool {
        self.p_terms.binary_search_by_key(&t, |x| x.0).is_ok()
    }

    /// The features that need no word vectors (the soft ones, the cosine, the span, the
    /// length and the missing key are left at 0).
    fn features(&self, a: &SentenceInfo, passage: &[std::rc::Rc<SentenceInfo>]) -> ClaimFeatures {
        let p_numbers: Vec<&String> = passage.iter().flat_map(|p| p.numbers.iter()).collect();
        let missing = a.numbers.iter().filter(|n| !p_numbers.contains(n)).count();
        let other = p_numbers.iter().any(|n| !a.numbers.contains(n));
        let p_mass: f32 = self.p_terms.iter().map(|t| t.1).sum();
        let p_negated = passage.iter().any(|p| p.negated);
        ClaimFeatures {
            coverage: share(self.exact, self.total),
            claim: if self.c_total > 0.0 {
                self.c_exact / self.c_total
            } else {
                share(self.exact, self.total)
            },
            names: if self.names == 0 {
                1.0
            } else {
                self.names_found as f32 / self.names as f32
            },
            numbers_missing: if a.numbers.is_empty() {
                0.0
            } else {
                missing as f32 / a.numbers.len() as f32
            },
            other_numbers: f32::from(u8::from(other)),
            negation_mismatch: f32::from(u8::from(a.negated != p_negated)),
            // The passage's content the sentence shares: the idf of the terms both hold.
            focus: share(self.exact, p_mass),
            ..ClaimFeatures::default()
        }
    }
}

/// The dot products of `v` with the `n` columns of the dimension-major matrix `columns`.
/// Each is summed over the dimensions in order, as `v.iter().zip(u).map(|(x, y)| x * y).sum()`
/// is (so with the same bits); the columns side by side, so that their additions overlap
/// instead of waiting on one another.
fn column_dots(v: &[f32], columns: &[f32], n: usize) -> Vec<f32> {
    // Eight columns at a time in a fixed-size block the compiler keeps in registers; the
    // rest one row at a time through memory.
    const BLOCK: usize = 8;
    let mut sums = vec![-0.0f32; n];
    if n == 0 {
        return sums;
    }
    let blocked = n - n % BLOCK;
    for j0 in (0..blocked).step_by(BLOCK) {
        let mut acc = [-0.0f32; BLOCK];
        for (x, row) in v.iter().zip(columns.chunks_exact(n)) {
            let block: &[f32; BLOCK] = row[j0..j0 + BLOCK].try_into().unwrap_or(&[0.0; BLOCK]);
            for k in 0..BLOCK {
                acc[k] += x * block[k];
            }
        }
        sums[j0..j0 + BLOCK].copy_from_slice(&acc);
    }
    if blocked < n {
        for (x, row) in v.iter().zip(columns.chunks_exact(n)) {
            sums[blocked..]
                .iter_mut()
                .zip(&row[blocked..])
                .for_each(|(a, m)| *a += x * m);
        }
    }
    sums
}

/// A number token as a comparable value: thousands separators dropped, a trailing ".0" too.
fn number_value(token: &str) -> String {
    let t: String = token.chars().filter(|c| *c != ',').collect();
    t.strip_suffix(".0").map_or(t.clone(), str::to_string)
}

/// Number words, in any ASCII case, as digits ("twelve" → 12).
fn number_word(w: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    // "one" is as often a pronoun as a number ("one of them"): left out.
    WORDS
        .iter()
        .position(|x| x.eq_ignore_ascii_case(w))
        .filter(|&k| k != 1)
        .map(|k| k as u32)
}

/// Is the sentence negated: "not", "never", "no", "n't", "without", "nobody", "none"?
fn negated(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
        .filter(|w| !w.is_empty())
        .any(|w| {
            // In any ASCII case, compared in place (no lowercased copy of every word).
            const NEGATIONS: [&str; 10] = [
                "not", "never", "no", "without", "nobody", "none", "nothing", "neither", "nor",
                "cannot",
            ];
            let ends_with = |suffix: &str| {
                w.len() >= suffix.len()
                    && w.as_bytes()[w.len() - suffix.len()..]
                        .eq_ignore_ascii_case(suffix.as_bytes())
            };
            NEGATIONS.iter().any(|n| n.eq_ignore_ascii_case(w))
                || ends_with("n't")
                || ends_with("n\u{2019}t")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weekday_a_claim_was_reported_on_is_no_key_word_a_passage_must_carry() {
        let article = |id: &str, text: &str| crate::article::Article {
            id: id.into(),
            title: String::new(),
            text: text.into(),
            source: Some(id.into()),
            url: None,
            date: None,
        };
        let c = Corpus::build(&[
            article(
                "a",
                "Harbor officials said Tuesday that the cranes were repaired after the storm.",
            ),
            article(
                "b",
                "The cranes were repaired after the storm, harbor officials said.",
            ),
            article(
                "c",
                "Fishing boats stayed at sea on Tuesday because of the storm.",
            ),
        ]);
        let aligner = Aligner::new(&c);
        let claims = ClaimAligner::new(&aligner);
        let cited: Vec<DocIx> = claims
            .supporters(0, &CitationRule::default())
            .iter()
            .map(|m| m.doc)
            .collect();
        assert_eq!(cited, [1]);
    }

    #[test]
    fn negation_is_read_in_any_case_and_in_contractions() {
        for t in [
            "He did not go.",
            "NEVER again, they said.",
            "Officials DIDN'T say.",
            "She couldn\u{2019}t come.",
            "Nothing was found.",
        ] {
            assert!(negated(t), "{t}");
        }
        for t in ["The knots held.", "Nobel laureates met.", "An inn, a town."] {
            assert!(!negated(t), "{t}");
        }
    }

    #[test]
    fn column_dots_have_the_bits_of_plain_dot_products() {
        // Deterministic pseudo-random vectors with mixed signs and magnitudes.
        let mut x = 0x2545_f491_u32;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x as f32 / u32::MAX as f32 - 0.5) * 3.0
        };
        let dim = 384;
        let v: Vec<f32> = (0..dim).map(|_| next()).collect();
        let us: Vec<Vec<f32>> = (0..21)
            .map(|_| (0..dim).map(|_| next()).collect())
            .collect();
        let mut columns = vec![0.0f32; dim * us.len()];
        for (j, u) in us.iter().enumerate() {
            for (i, y) in u.iter().enumerate() {
                columns[i * us.len() + j] = *y;
            }
        }
        let got = column_dots(&v, &columns, us.len());
        for (u, g) in us.iter().zip(got) {
            let plain: f32 = v.iter().zip(u).map(|(a, b)| a * b).sum();
            assert_eq!(plain.to_bits(), g.to_bits());
        }
        assert!(column_dots(&v, &[], 0).is_empty());
    }
}
