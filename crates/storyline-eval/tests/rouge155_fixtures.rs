//! Hand-made summaries whose expected scores were produced by running the original
//! `ROUGE-1.5.5.pl` on them (SEE files, one `<a>` unit per sentence, `-a -d`; the options are
//! given per case). The sentences are invented for these tests.

use storyline_eval::rouge::{Limit, Metric, MultiRef, Rouge, RougeConfig};

/// Options, peer sentences, model summaries, and ROUGE-1.5.5's `Eval` line per metric.
struct Case {
    config: RougeConfig,
    peer: &'static [&'static str],
    models: &'static [&'static [&'static str]],
    expected: &'static [(&'static str, [f64; 3])],
}

fn check(case: &Case) {
    let rouge = Rouge::new(case.config).expect("valid config");
    let scores = rouge.score_texts(case.peer, case.models);
    assert_eq!(scores.len(), case.expected.len(), "metrics computed");
    for (name, [r, p, f]) in case.expected {
        let metric: Metric = name.parse().expect("metric name");
        let got = scores
            .get(metric)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!([got.recall, got.precision, got.f], [*r, *p, *f], "{name}");
    }
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -2 4 -u -f A -p 0.5`.
#[test]
fn plain_two_models() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: false,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &[
            "The river flooded the old mill on Tuesday.",
            "Volunteers stacked sandbags along the bank.",
        ],
        models: &[
            &[
                "Floods hit the old mill by the river on Tuesday.",
                "Volunteers stacked sandbags.",
            ],
            &[
                "On Tuesday the river rose and flooded the mill.",
                "Residents and volunteers piled sandbags along the bank of the river.",
            ],
        ],
        expected: &[
            ("ROUGE-1", [0.66667, 0.78571, 0.72131]),
            ("ROUGE-2", [0.41935, 0.50000, 0.45614]),
            ("ROUGE-3", [0.20690, 0.25000, 0.22642]),
            ("ROUGE-4", [0.11111, 0.13636, 0.12245]),
            ("ROUGE-L", [0.54545, 0.64286, 0.59016]),
            ("ROUGE-W-1.2", [0.28675, 0.52855, 0.37179]),
            ("ROUGE-SU4", [0.39759, 0.48529, 0.43708]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -2 4 -u -f A -p 0.5`.
#[test]
fn stemmed_irregular_forms() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &[
            "The mice went running into better houses.",
            "Co-operation between the agencies improved; 1,200 families were relocated.",
        ],
        models: &[
            &[
                "Mice ran into the best houses.",
                "The agencies cooperated and relocated 1,200 families.",
            ],
            &[
                "The mouse goes into a good house.",
                "Agencies co-operated well, moving twelve hundred families.",
            ],
            &[
                "Running mice were seen.",
                "Families, about 1,200 of them, were relocated by cooperating agencies.",
            ],
        ],
        expected: &[
            ("ROUGE-1", [0.63636, 0.51852, 0.57143]),
            ("ROUGE-2", [0.17073, 0.13725, 0.15217]),
            ("ROUGE-3", [0.02632, 0.02083, 0.02326]),
            ("ROUGE-4", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-L", [0.52273, 0.42593, 0.46939]),
            ("ROUGE-W-1.2", [0.27957, 0.34287, 0.30800]),
            ("ROUGE-SU4", [0.25926, 0.20290, 0.22764]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -l 12 -2 4 -u -f A -p 0.5`.
#[test]
fn word_limit_cuts_inside_a_sentence() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: false,
            limit: Some(Limit::Words(12)),
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &[
            "Storm damage closed three schools in the county.",
            " Officials expect repairs to last until March, a spokesman said.",
            "Classes resume online.",
        ],
        models: &[
            &["Three county schools were closed by storm damage and repairs may last until March."],
            &[
                "The storm damaged schools.",
                "Repairs will last until March.",
                "Classes will resume online next week.",
            ],
        ],
        expected: &[
            ("ROUGE-1", [0.50000, 0.54545, 0.52174]),
            ("ROUGE-2", [0.09091, 0.10000, 0.09524]),
            ("ROUGE-3", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-4", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-L", [0.29167, 0.31818, 0.30435]),
            ("ROUGE-W-1.2", [0.17860, 0.28966, 0.22096]),
            ("ROUGE-SU4", [0.15179, 0.17000, 0.16038]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 2 -2 4 -u -l 8 -f A -p 0.5`.
#[test]
fn word_limit_exactly_at_sentence_end() {
    check(&Case {
        config: RougeConfig {
            max_n: 2,
            stem: false,
            remove_stopwords: false,
            limit: Some(Limit::Words(8)),
            lcs: true,
            wlcs_weight: None,
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &["One two three four.", "Five six seven eight.", "Nine ten."],
        models: &[&["One two three four five six seven eight nine ten."]],
        expected: &[
            ("ROUGE-1", [1.00000, 1.00000, 1.00000]),
            ("ROUGE-2", [1.00000, 1.00000, 1.00000]),
            ("ROUGE-L", [1.00000, 1.00000, 1.00000]),
            ("ROUGE-SU4", [1.00000, 1.00000, 1.00000]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -b 75 -2 4 -u -f A -p 0.5`.
#[test]
fn byte_limit_lcs_sees_more_than_ngrams() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: false,
            limit: Some(Limit::Bytes(75)),
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &[
            "Markets fell sharply on Monday.",
            "Investors sold bank shares after the report.",
            "The central bank said it would act.",
            "Analysts expect more volatility this week.",
        ],
        models: &[
            &[
                "Stock markets fell on Monday as investors sold bank shares.",
                "The central bank promised to act.",
            ],
            &[
                "Bank shares dropped after a critical report.",
                "Analysts expect volatility to continue this week.",
                "The central bank would act, it said.",
            ],
        ],
        expected: &[
            ("ROUGE-1", [0.52000, 0.54167, 0.53061]),
            ("ROUGE-2", [0.26087, 0.27273, 0.26667]),
            ("ROUGE-3", [0.09524, 0.10000, 0.09756]),
            ("ROUGE-4", [0.05263, 0.05556, 0.05406]),
            ("ROUGE-L", [0.35135, 0.54167, 0.42623]),
            ("ROUGE-W-1.2", [0.19159, 0.44308, 0.26751]),
            ("ROUGE-SU4", [0.36441, 0.38393, 0.37392]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -s -2 4 -u -f A -p 0.5`.
#[test]
fn stopwords_removed() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: true,
            limit: None,
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &[
            "The committee has approved the new budget for the city.",
            "It will be voted on in May.",
        ],
        models: &[&[
            "A new city budget was approved by the committee.",
            "The council votes in May.",
        ]],
        expected: &[
            ("ROUGE-1", [0.83333, 1.00000, 0.90909]),
            ("ROUGE-2", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-3", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-4", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-L", [0.33333, 0.40000, 0.36363]),
            ("ROUGE-W-1.2", [0.23521, 0.35636, 0.28338]),
            ("ROUGE-SU4", [0.40000, 0.57143, 0.47059]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -2 4 -u -f B -p 0.5`.
#[test]
fn best_model() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Best,
            jackknife: false,
        },
        peer: &[
            "The river flooded the old mill on Tuesday.",
            "Volunteers stacked sandbags along the bank.",
        ],
        models: &[
            &[
                "Floods hit the old mill by the river on Tuesday.",
                "Volunteers stacked sandbags.",
            ],
            &[
                "On Tuesday the river rose and flooded the mill.",
                "Residents and volunteers piled sandbags along the bank of the river.",
            ],
            &["Nothing in common here."],
        ],
        expected: &[
            ("ROUGE-1", [0.84615, 0.78571, 0.81481]),
            ("ROUGE-2", [0.58333, 0.53846, 0.56000]),
            ("ROUGE-3", [0.36364, 0.33333, 0.34783]),
            ("ROUGE-4", [0.20000, 0.18182, 0.19048]),
            ("ROUGE-L", [0.69231, 0.64286, 0.66667]),
            ("ROUGE-W-1.2", [0.37008, 0.51774, 0.43163]),
            ("ROUGE-SU4", [0.56452, 0.51471, 0.53847]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 2 -2 4 -u -f A -p 0.2`.
#[test]
fn alpha_favours_recall() {
    check(&Case {
        config: RougeConfig {
            max_n: 2,
            stem: false,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: None,
            skip_distance: Some(4),
            alpha: 0.2,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &["Volunteers stacked sandbags along the bank."],
        models: &[&["Volunteers stacked sandbags.", "The bank held."]],
        expected: &[
            ("ROUGE-1", [0.83333, 0.83333, 0.83333]),
            ("ROUGE-2", [0.60000, 0.60000, 0.60000]),
            ("ROUGE-L", [0.83333, 0.83333, 0.83333]),
            ("ROUGE-SU4", [0.70000, 0.70000, 0.70000]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -b 40 -2 4 -u -f A -p 0.5`.
#[test]
fn non_ascii_bytes_separate_tokens() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: false,
            limit: Some(Limit::Bytes(40)),
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &[
            "Caf\u{e9} owners in Z\u{fc}rich \u{2014} na\u{ef}ve or not \u{2014} raised prices.",
            "\u{dc}ber drivers protested.",
        ],
        models: &[&[
            "Zurich caf\u{e9} owners raised prices.",
            "Uber drivers protested in Z\u{fc}rich.",
        ]],
        expected: &[
            ("ROUGE-1", [0.28571, 0.22222, 0.25000]),
            ("ROUGE-2", [0.16667, 0.12500, 0.14286]),
            ("ROUGE-3", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-4", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-L", [0.18182, 0.22222, 0.20000]),
            ("ROUGE-W-1.2", [0.12916, 0.22222, 0.16337]),
            ("ROUGE-SU4", [0.11538, 0.07895, 0.09375]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -2 4 -u -f A -p 0.5`.
#[test]
fn punctuation_only_peer() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &["... --- !!!"],
        models: &[&["Something happened."]],
        expected: &[
            ("ROUGE-1", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-2", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-3", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-4", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-L", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-W-1.2", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-SU4", [0.00000, 0.00000, 0.00000]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -m -2 4 -u -f A -p 0.5`.
#[test]
fn single_token_peer() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: true,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &["Floods."],
        models: &[&["Floods hit the town.", "Floods again."]],
        expected: &[
            ("ROUGE-1", [0.16667, 1.00000, 0.28572]),
            ("ROUGE-2", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-3", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-4", [0.00000, 0.00000, 0.00000]),
            ("ROUGE-L", [0.16667, 1.00000, 0.28572]),
            ("ROUGE-W-1.2", [0.13201, 1.00000, 0.23323]),
            ("ROUGE-SU4", [0.00000, 0.00000, 0.00000]),
        ],
    });
}

/// ROUGE-1.5.5 `-n 4 -w 1.2 -2 4 -u -f A -p 0.5`.
#[test]
fn repeated_words_are_clipped() {
    check(&Case {
        config: RougeConfig {
            max_n: 4,
            stem: false,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: Some(1.2),
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        },
        peer: &["the the the cat cat sat", "the cat sat on the mat the end"],
        models: &[
            &["the cat sat on the mat"],
            &["a cat and the cat sat there", "the end"],
        ],
        expected: &[
            ("ROUGE-1", [0.80000, 0.42857, 0.55814]),
            ("ROUGE-2", [0.61538, 0.30769, 0.41025]),
            ("ROUGE-3", [0.45455, 0.20833, 0.28571]),
            ("ROUGE-4", [0.33333, 0.13636, 0.19354]),
            ("ROUGE-L", [0.80000, 0.42857, 0.55814]),
            ("ROUGE-W-1.2", [0.52086, 0.39606, 0.44997]),
            ("ROUGE-SU4", [0.63793, 0.27206, 0.38144]),
        ],
    });
}
