//! Behaviour of the public ROUGE API on edge cases: empty and odd inputs never panic,
//! jackknifing, averaging and bootstrap.

use storyline_eval::rouge::{
    Bootstrap, ConfigError, Limit, Metric, MultiRef, Prf, Rouge, RougeConfig, RougeScores, average,
    bootstrap, score,
};

fn all_metrics() -> RougeConfig {
    RougeConfig {
        wlcs_weight: Some(1.2),
        stem: true,
        ..RougeConfig::default()
    }
}

fn assert_all_zero(scores: &RougeScores) {
    assert_eq!(scores.len(), 7);
    for (metric, prf) in scores.iter() {
        assert_eq!(prf, Prf::default(), "{metric}");
    }
}

#[test]
fn empty_peer_and_empty_models_score_zero_without_panicking() {
    let cfg = all_metrics();
    let none: [&str; 0] = [];
    let no_models: [Vec<&str>; 0] = [];
    assert_all_zero(&score(&none, &[vec!["A model sentence."]], &cfg).expect("valid"));
    assert_all_zero(&score(&["A peer."], &no_models, &cfg).expect("valid"));
    assert_all_zero(&score(&["", "   "], &[vec![""], vec![]], &cfg).expect("valid"));
    for multi_ref in [MultiRef::Average, MultiRef::Best] {
        for jackknife in [false, true] {
            let cfg = RougeConfig {
                multi_ref,
                jackknife,
                limit: Some(Limit::Bytes(3)),
                ..cfg
            };
            assert_all_zero(&score(&none, &no_models, &cfg).expect("valid"));
            let s = score(&["x y"], &[vec!["x y"], vec![""]], &cfg).expect("valid");
            assert_eq!(s.len(), 7);
        }
    }
}

#[test]
fn odd_characters_are_separators_and_never_panic() {
    let cfg = RougeConfig {
        limit: Some(Limit::Bytes(7)),
        ..all_metrics()
    };
    let peer = [
        "\u{0}\u{7f}é\u{1F600}<a href>&amp;\r\n\t-- --",
        "ÅÄÖ—über naïve",
        "\u{feff}",
    ];
    let models = [vec!["über naïve", "a"], vec!["\u{1F600}"]];
    let s = score(&peer, &models, &cfg).expect("valid");
    assert_eq!(s.len(), 7);
    for limit in [
        Limit::Words(1),
        Limit::Words(2),
        Limit::Bytes(1),
        Limit::Bytes(2),
        Limit::Bytes(1000),
    ] {
        let cfg = RougeConfig {
            limit: Some(limit),
            ..cfg
        };
        score(&peer, &models, &cfg).expect("valid");
    }
}

#[test]
fn huge_single_sentence_texts_use_bounded_memory() {
    // 30,000-token sentences: the LCS table would have 30,001 rows of 469 words; it is
    // checkpointed instead. ROUGE-W on 3,000-token sentences likewise.
    let words: Vec<String> = (0..30_000)
        .map(|i| format!("w{}", (i * 7919) % 1000))
        .collect();
    let peer = words.join(" ");
    let model: String = words.iter().rev().cloned().collect::<Vec<_>>().join(" ");
    let lcs_only = RougeConfig {
        skip_distance: None,
        max_n: 2,
        ..RougeConfig::default()
    };
    let s = score(&[peer.as_str()], &[vec![model.as_str()]], &lcs_only).expect("valid");
    let l = s.get(Metric::L).expect("ROUGE-L");
    assert!(l.recall > 0.0 && l.recall <= s.get(Metric::N(1)).expect("ROUGE-1").recall);

    let short_peer = words[..3000].join(" ");
    let short_model = words[1000..4000].join(" ");
    let with_w = RougeConfig {
        wlcs_weight: Some(1.2),
        ..lcs_only
    };
    let s = score(
        &[short_peer.as_str()],
        &[vec![short_model.as_str()]],
        &with_w,
    )
    .expect("valid");
    assert!(s.get(Metric::W).expect("ROUGE-W").recall > 0.0);
}

#[test]
fn jackknife_is_the_mean_of_the_leave_one_out_evaluations() {
    let rouge = Rouge::new(RougeConfig::duc2006()).expect("valid");
    let peer = rouge.analyze(&[
        "Floods hit the old mill on Tuesday.",
        "Volunteers stacked sandbags.",
    ]);
    let models: Vec<_> = [
        vec!["The river flooded the mill on Tuesday."],
        vec!["Volunteers piled sandbags along the bank."],
        vec!["Floods reached the old mill.", "Sandbags were stacked."],
    ]
    .iter()
    .map(|m| rouge.analyze(m))
    .collect();
    let refs = rouge.references(&models);
    let evals = rouge.score_leave_one_out(&peer, &refs);
    assert_eq!(evals.len(), 3);
    assert_eq!(evals[0], rouge.score_with_models(&peer, &refs, &[1, 2]));
    assert_eq!(rouge.score(&peer, &refs), average(&evals));

    // One reference: no jackknife possible, one plain evaluation.
    let single = rouge.references(&models[..1]);
    assert!(rouge.score_leave_one_out(&peer, &single).is_empty());
    assert_eq!(
        rouge.score(&peer, &single),
        rouge.score_with_models(&peer, &single, &[0])
    );
}

#[test]
fn metrics_follow_rouge_155_output_order_and_names() {
    let names: Vec<String> = RougeConfig::duc2006()
        .metrics()
        .iter()
        .map(Metric::to_string)
        .collect();
    assert_eq!(
        names,
        [
            "ROUGE-1",
            "ROUGE-2",
            "ROUGE-3",
            "ROUGE-4",
            "ROUGE-L",
            "ROUGE-W",
            "ROUGE-SU4"
        ]
    );
    assert_eq!("ROUGE-W-1.2".parse::<Metric>(), Ok(Metric::W));
    assert_eq!("ROUGE-SU4".parse::<Metric>(), Ok(Metric::SU(4)));
    assert!("BLEU".parse::<Metric>().is_err());
    assert_eq!(
        RougeConfig {
            limit: Some(Limit::Words(250)),
            ..RougeConfig::duc2006()
        }
        .rouge155_options(),
        "-n 4 -w 1.2 -m -l 250 -2 4 -u -f A -p 0.5"
    );
}

#[test]
fn invalid_alpha_and_weight_are_rejected() {
    let bad_alpha = RougeConfig {
        alpha: 1.5,
        ..RougeConfig::default()
    };
    assert_eq!(Rouge::new(bad_alpha).err(), Some(ConfigError::Alpha(1.5)));
    let bad_weight = RougeConfig {
        wlcs_weight: Some(0.0),
        ..RougeConfig::default()
    };
    assert_eq!(Rouge::new(bad_weight).err(), Some(ConfigError::Weight(0.0)));
}

#[test]
fn bootstrap_is_deterministic_and_brackets_the_mean() {
    let cfg = RougeConfig::default();
    let peers = [
        "The cat sat on the mat.",
        "A dog barked at the mailman.",
        "Rain fell all day.",
        "The cat and the dog slept.",
    ];
    let model = [vec!["The cat sat on a mat while the dog barked."]];
    let per_topic: Vec<RougeScores> = peers
        .iter()
        .map(|p| score(&[*p], &model, &cfg).expect("valid"))
        .collect();
    let opts = Bootstrap::default();
    let a = bootstrap(&per_topic, &opts);
    assert_eq!(a, bootstrap(&per_topic, &opts));
    let mean = average(&per_topic);
    for (metric, ci) in a.iter() {
        let m = mean.get(metric).expect("metric");
        assert!(
            ci.recall.low <= m.recall && m.recall <= ci.recall.high,
            "{metric}"
        );
        assert!(ci.f.low <= ci.f.high, "{metric}");
    }
    assert!(bootstrap(&[], &opts).is_empty());
}

#[test]
fn scorer_and_indexes_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Rouge>();
    assert_send_sync::<storyline_eval::rouge::References>();
    assert_send_sync::<storyline_eval::rouge::Summary>();
}
