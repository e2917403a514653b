//! The source comparison on the project's own sample events (`samples/articles.jsonl`, whose
//! deliberate features are listed in `samples/README.md`), and on the shared seeds when they
//! are present.

use std::io::BufReader;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use storyline::compare::{Agreement, CompareOptions, SourceComparison, Stance, When, compare};
use storyline::ingest::{Limits, read_articles_jsonl, read_clusters_jsonl};
use storyline::{Article, Corpus};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// The sample articles of one event (ids start with `prefix`).
fn event(prefix: &str) -> Vec<Article> {
    let path = samples().join("articles.jsonl");
    let got = read_articles_jsonl(
        BufReader::new(std::fs::File::open(&path).expect("samples")),
        "samples",
        &Limits::default(),
    );
    got.items
        .into_iter()
        .filter(|a| a.id.starts_with(prefix))
        .collect()
}

fn compared(prefix: &str) -> SourceComparison {
    compare(&Corpus::build(&event(prefix)), &CompareOptions::default())
}

/// An article written for a test, dated 2031-06-13.
fn written(id: &str, outlet: &str, title: &str, text: &str) -> Article {
    Article {
        id: id.to_string(),
        title: title.to_string(),
        text: text.to_string(),
        source: Some(outlet.to_string()),
        url: None,
        date: storyline::date::Timestamp::parse("2031-06-13"),
    }
}

/// The speaker of the statement whose text contains `words`.
fn speaker_of<'a>(c: &'a SourceComparison, words: &str) -> Option<&'a str> {
    c.statements
        .iter()
        .find(|s| s.occurrences.iter().any(|o| o.text.contains(words)))
        .and_then(|s| s.speaker.as_deref())
}

#[test]
fn quotes_get_the_right_speakers_by_every_attribution_form() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "strike-",
            &[
                ("This agreement is good for the workers", "Whitfield"), // ", said Mayor X."
                ("Nobody got everything they wanted", "Whitfield"),      // X said: "..."
                ("I want to thank the harbor crews", "Whitfield"),       // she added
                ("We expect the anchorage to be clear", "Okafor"),       // the harbor master said
                ("We will work the queue", "Okafor"),
                ("Nobody at that table wanted this", "Nandakumar"),
                ("held the line", "Ilves"),
                ("We lost almost two weeks", "Sokolov"),
                ("hard on the families", "Delaney"),
            ],
        ),
        (
            "flood-",
            &[
                ("Our first job is to reach every family", "Castell"),
                ("The water came up the stairs", "Vasko"),
                ("Everything on the ground floor", "Kowalczyk"),
            ],
        ),
        (
            "breach-",
            &[
                ("We fell short of what our customers expect", "Oduya"),
                ("A payroll file has everything", "Korhonen"),
                ("not a sophisticated break-in", "Haddad"),
            ],
        ),
        (
            "final-",
            &[
                ("cruel way to lose a final", "Hale"),
                ("look after Ravi first", "Hale"),
                ("45 minutes to change the story", "Feldmann"),
                ("My father brought me", "Rahman"),
            ],
        ),
    ];
    for (prefix, expected) in cases {
        let c = compared(prefix);
        for (words, surname) in *expected {
            let got = speaker_of(&c, words);
            assert!(
                got.is_some_and(|s| s.ends_with(surname)),
                "{prefix}: {words:?} attributed to {got:?}, expected {surname}"
            );
        }
    }
}

#[test]
fn no_quote_is_given_to_someone_who_is_not_quoted() {
    // Everyone quoted in the samples (samples/README.md); a wrong speaker is worse than none.
    const QUOTED: &[&str] = &[
        "Whitfield",
        "Ilves",
        "Okafor",
        "Nandakumar",
        "Delaney",
        "Sokolov",
        "Castell",
        "Adeyemi",
        "Vasko",
        "Kowalczyk",
        "Oduya",
        "Haddad",
        "Korhonen",
        "Mwangi",
        "Feldmann",
        "Hale",
        "Rahman",
    ];
    for prefix in ["strike-", "flood-", "breach-", "final-"] {
        for s in compared(prefix).statements {
            if let Some(who) = &s.speaker {
                assert!(
                    QUOTED.iter().any(|q| who.ends_with(q)),
                    "{prefix}: {:?} given to {who}",
                    s.text
                );
            }
        }
    }
}

#[test]
fn one_quote_in_several_outlets_is_one_statement() {
    let strike = compared("strike-");
    let ilves = strike
        .statements
        .iter()
        .find(|s| s.text.contains("held the line"))
        .expect("Ilves quote");
    assert!(
        ilves.outlets.len() >= 3,
        "cut and reworded copies join: {:?}",
        ilves.outlets
    );
    let whitfield = strike
        .statements
        .iter()
        .find(|s| s.text.contains("good for the workers"))
        .expect("Whitfield quote");
    assert_eq!(whitfield.outlets.len(), 2, "{:?}", whitfield.outlets);
    let breach = compared("breach-");
    let oduya = breach
        .statements
        .iter()
        .find(|s| s.text.contains("We fell short"))
        .expect("Oduya quote");
    assert_eq!(
        oduya.outlets.len(),
        2,
        "the spokeswoman's quote is hers in both outlets"
    );
}

#[test]
fn figures_are_grouped_and_only_the_real_conflict_is_one() {
    let strike = compared("strike-");
    let conflicts: Vec<_> = strike
        .quantities
        .iter()
        .filter(|q| q.agreement == Agreement::Conflict)
        .collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let values: Vec<f64> = conflicts[0].figures.iter().map(|f| f.value).collect();
    assert!(
        values.contains(&25e6) && values.contains(&40e6),
        "{values:?}"
    );
    // Twelve ships and a twelve-day strike are two quantities.
    for q in &strike.quantities {
        let units: Vec<&str> = q.figures.iter().filter_map(|f| f.unit.as_deref()).collect();
        assert!(
            !(units.iter().any(|u| u.starts_with("ship"))
                && units.iter().any(|u| u.starts_with("day"))),
            "{q:#?}"
        );
    }
    // Hedged tolls that allow a common value are consistent.
    let flood = compared("flood-");
    let deaths = flood
        .quantities
        .iter()
        .find(|q| {
            q.figures
                .iter()
                .any(|f| f.predicate.as_deref() == Some("killed"))
        })
        .expect("flood deaths");
    assert_eq!(deaths.agreement, Agreement::Consistent);
    assert!(
        flood
            .quantities
            .iter()
            .all(|q| q.agreement != Agreement::Conflict),
        "{:#?}",
        flood.quantities
    );
    let breach = compared("breach-");
    let records = breach
        .quantities
        .iter()
        .find(|q| q.what.contains("records"))
        .expect("stolen records");
    assert_eq!(records.outlets.len(), 3);
    assert_eq!(records.agreement, Agreement::Consistent);
}

#[test]
fn spelling_variants_are_merged_with_their_outlets() {
    let strike = compared("strike-");
    let sokolov = strike
        .names
        .iter()
        .find(|n| n.canonical.ends_with("Sokolov"))
        .expect("Sokolov variants");
    assert_eq!(sokolov.variants.len(), 3, "{sokolov:?}");
    // One form of the name everywhere: the quotes' speaker is the names' canonical form.
    assert_eq!(
        speaker_of(&strike, "We lost almost two weeks"),
        Some(sokolov.canonical.as_str())
    );
    for s in &strike.statements {
        for o in &s.occurrences {
            if let Some(sp) = o.speaker.as_deref().filter(|sp| sp.ends_with("Sokolov")) {
                assert_eq!(sp, sokolov.canonical, "{o:?}");
            }
        }
    }
    assert!(
        strike
            .names
            .iter()
            .any(|n| n.variants.iter().any(|v| v.spelling == "Dana Whitfeld"))
    );
    assert!(
        strike
            .names
            .iter()
            .any(|n| n.variants.iter().any(|v| v.spelling == "Port Alderen"))
    );
    let final_ = compared("final-");
    assert!(
        final_
            .names
            .iter()
            .any(|n| n.variants.iter().any(|v| v.spelling == "Jóhann Sigurðsson"))
    );
    // Different names are not variants.
    for n in strike.names.iter().chain(&final_.names) {
        assert!(
            !n.variants.iter().any(|v| v.spelling.contains("Halden")),
            "{n:?}"
        );
    }
}

#[test]
fn the_timeline_resolves_relative_dates_and_marks_the_unresolved() {
    let strike = compared("strike-");
    let voted = strike
        .timeline
        .iter()
        .find(|t| t.text.contains("voted on Wednesday to stay on strike"))
        .expect("the vote");
    assert_eq!(voted.label, "2031-03-12");
    let days: Vec<_> = strike
        .timeline
        .iter()
        .filter_map(|t| t.when.start())
        .collect();
    assert!(
        days.windows(2).all(|w| w[0] <= w[1]),
        "in time order: {days:?}"
    );
    let breach = compared("breach-");
    let undated = breach
        .timeline
        .iter()
        .filter(|t| t.article.starts_with("breach-03"))
        .collect::<Vec<_>>();
    assert!(
        !undated.is_empty()
            && undated
                .iter()
                .all(|t| t.relative && matches!(t.when, When::Relative { .. })),
        "{undated:#?}"
    );
    // Days of an undated article say so in words, and come after every dated entry.
    assert!(
        undated
            .iter()
            .all(|t| t.label.ends_with(", date not given")),
        "{undated:#?}"
    );
    let first_undated = breach.timeline.iter().position(|t| t.relative);
    assert!(
        first_undated.is_some_and(|k| breach.timeline[k..].iter().all(|t| t.relative)),
        "{:#?}",
        breach.timeline
    );
}

#[test]
fn a_claim_hedged_by_one_outlet_and_stated_by_another_is_flagged() {
    let breach = compared("breach-");
    let claim = breach
        .disputed
        .iter()
        .find(|c| c.outlets.iter().any(|o| o.text.contains("Grey Lantern")))
        .expect("the Grey Lantern claim");
    let stance = |id: &str| {
        claim
            .outlets
            .iter()
            .find(|o| o.article.starts_with(id))
            .map(|o| o.stance)
    };
    assert_eq!(stance("breach-01"), Some(Stance::Stated));
    assert_eq!(stance("breach-03"), Some(Stance::Hedged));
    // The flood and the final have no disputed claim.
    assert!(compared("final-").disputed.is_empty());
}

#[test]
fn shared_and_unique_facts_name_their_outlets() {
    let strike = compared("strike-");
    assert!(strike.facts.shared.iter().all(|f| f.outlets.len() >= 2));
    assert!(
        strike
            .facts
            .shared
            .iter()
            .any(|f| f.text.contains("12") || f.text.contains("Ilves")),
        "{:#?}",
        strike.facts.shared
    );
    // Only Meridian Wire gives the hour the deal was signed.
    let signed = strike
        .facts
        .unique
        .iter()
        .find(|f| f.text.contains("shortly after 9 a.m."))
        .unwrap_or_else(|| panic!("{:#?}", strike.facts.unique));
    assert_eq!(signed.outlets, ["Meridian Wire"]);
    // Not listed as one outlet's: the vote to stay out (Meridian Wire reports it too, without
    // the count) and the strike's start (every outlet has it in other words).
    for f in &strike.facts.unique {
        assert!(
            !f.text.contains("812 votes") && !f.text.contains("walked off the job"),
            "{}",
            f.text
        );
    }
}

#[test]
fn the_report_renders_every_section() {
    let md = compared("strike-").to_markdown("Port strike");
    for heading in [
        "## Quotes",
        "## Figures",
        "## Names written differently",
        "## Facts several outlets report",
        "## Reported by one outlet only",
        "## Timeline",
        "## Claims presented differently",
        "## Articles",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    assert!(md.contains("**conflict**"));
    let json = serde_json::to_value(compared("strike-")).expect("serializes");
    assert!(json["statements"].as_array().is_some_and(|s| !s.is_empty()));
}

/// The shared seeds: five outlets on one event. Skipped when `../shared` is absent.
#[test]
fn seeds_speakers_variants_tolls_and_the_two_reign_statements() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/seeds/seeds.jsonl");
    if !path.exists() {
        let _ = writeln!(
            std::io::stderr(),
            "skipping seeds test: {} not found",
            path.display()
        );
        return;
    }
    let got = read_clusters_jsonl(
        BufReader::new(std::fs::File::open(&path).expect("seeds")),
        "seeds",
        &Limits::default(),
    );
    let c = compare(
        &Corpus::build(&got.items[0].articles),
        &CompareOptions::default(),
    );
    let speakers: Vec<&str> = c
        .statements
        .iter()
        .filter_map(|s| s.speaker.as_deref())
        .collect();
    for who in [
        "Tillerson",
        "Lavrov",
        "Putin",
        "Peskov",
        "Zakharova",
        "Trump",
        "Alfano",
        "Khatib",
        "Gabriel",
        "Johnson",
    ] {
        assert!(
            speakers.iter().any(|s| s.ends_with(who)),
            "no quote of {who}: {speakers:?}"
        );
    }
    let variants = |n: &str| {
        c.names
            .iter()
            .find(|v| v.variants.iter().any(|x| x.spelling.ends_with(n)))
            .map(|v| v.variants.len())
    };
    assert_eq!(variants("Sheikhoun"), Some(3));
    assert_eq!(variants("Lavrov"), Some(2));
    let quantity = |a: f64, b: f64| {
        c.quantities.iter().find(|q| {
            q.figures.iter().any(|f| f.value == a) && q.figures.iter().any(|f| f.value == b)
        })
    };
    assert_eq!(
        quantity(87.0, 80.0).map(|q| q.agreement),
        Some(Agreement::Consistent)
    );
    assert_eq!(
        quantity(300_000.0, 320_000.0).map(|q| q.agreement),
        Some(Agreement::Consistent)
    );
    let reign: Vec<_> = c
        .statements
        .iter()
        .filter(|s| {
            s.occurrences
                .iter()
                .any(|o| o.text.contains("reign of the Assad family"))
        })
        .collect();
    assert_eq!(
        reign.len(),
        2,
        "Tuesday in Lucca and Wednesday in Moscow: {reign:#?}"
    );
    assert_ne!(reign[0].when, reign[1].when);
    let outlets: usize = reign.iter().map(|s| s.outlets.len()).sum();
    assert_eq!(outlets, 4, "every outlet that carries it");
    // Relations "at a low point": one answer, cut in two places by two outlets, is one
    // statement and one shared fact.
    let low = |text: &str| text.contains("low point");
    let low_statements = c
        .statements
        .iter()
        .filter(|s| s.occurrences.iter().any(|o| low(&o.text)))
        .count();
    assert_eq!(low_statements, 1, "{:#?}", c.statements);
    let low_facts = c.facts.shared.iter().filter(|f| low(&f.text)).count();
    assert_eq!(low_facts, 1, "{:#?}", c.facts.shared);
}

#[test]
fn an_article_without_an_outlet_is_named_by_its_number_and_never_by_its_id() {
    let mut articles = event("strike-");
    for a in &mut articles {
        a.source = None;
        a.url = None;
    }
    let c = compare(&Corpus::build(&articles), &CompareOptions::default());
    // Each article stays a source of its own.
    assert_eq!((c.outlets, c.outlets_not_given), (5, 5));
    let mut shown: Vec<&str> = Vec::new();
    for s in &c.statements {
        shown.extend(s.outlets.iter().map(String::as_str));
    }
    for q in &c.quantities {
        shown.extend(q.figures.iter().map(|f| f.outlet.as_str()));
    }
    for t in &c.timeline {
        shown.extend(t.outlets.iter().map(String::as_str));
    }
    for f in c.facts.shared.iter().chain(&c.facts.unique) {
        shown.extend(f.outlets.iter().map(String::as_str));
    }
    assert!(shown.len() > 10, "{shown:?}");
    for o in shown {
        assert!(
            o.starts_with("article ") && o.ends_with(" (outlet not given)"),
            "{o}"
        );
    }
    let md = c.to_markdown("strike");
    assert!(md.contains("5 articles, outlets not given"), "{md}");
    for a in &articles {
        // Ids appear only in the list of articles, as ids.
        assert_eq!(md.matches(a.id.as_str()).count(), 1, "{}", a.id);
    }
}

#[test]
fn a_quote_is_never_dated_after_its_article_nor_by_a_time_that_is_about_something_else() {
    for prefix in ["strike-", "flood-", "breach-", "final-"] {
        let c = compared(prefix);
        for s in &c.statements {
            for o in &s.occurrences {
                let article = c
                    .articles
                    .iter()
                    .find(|a| a.id == o.article)
                    .and_then(|a| a.date)
                    .map(|d| d.date());
                if let (Some(a), Some(day)) = (article, o.when.as_ref().and_then(When::start)) {
                    assert!(day <= a, "{prefix}: {:?} said {day}, after {a}", o.text);
                }
            }
        }
    }
    // The Harbor Ledger (March 13) gives no day for these: not the strike's start (March 2)
    // nor the night of the talks (March 12).
    let strike = compared("strike-");
    for words in [
        "Nobody got everything",
        "I want to thank",
        "We will work the queue",
    ] {
        let s = strike
            .statements
            .iter()
            .find(|s| s.occurrences.iter().any(|o| o.text.contains(words)))
            .expect(words);
        assert_eq!(s.when.as_deref(), Some("reported 2031-03-13"), "{words}");
    }
}

#[test]
fn the_same_figure_from_one_outlet_on_one_day_is_one_line() {
    // Written for this test: a wire's two versions of one story, and another outlet.
    let article = |id: &str, outlet: &str, text: &str| {
        written(id, outlet, &format!("Union talks open ({id})"), text)
    };
    let articles = [
        article(
            "w1",
            "Wire",
            "Contract talks opened in Harbor City on Monday. This year's talks cover about \
             4,070 union members at the three plants. Negotiators met for six hours.",
        ),
        article(
            "w2",
            "Wire",
            "Pay is the first issue for the negotiators, a spokesman said on Monday. This \
             year's talks cover about 4,070 union members at the three plants.",
        ),
        article(
            "g1",
            "Gazette",
            "The talks cover about 4,070 union members at the three plants in Harbor City, \
             the union said.",
        ),
    ];
    let c = compare(&Corpus::build(&articles), &CompareOptions::default());
    let q = c
        .quantities
        .iter()
        .find(|q| q.figures.iter().any(|f| f.value == 4070.0))
        .expect("the members counted");
    assert_eq!(q.figures.len(), 3, "{q:#?}");
    let md = c.to_markdown("talks");
    assert_eq!(
        md.matches("  - Wire, 2031-06-13: “about 4,070").count(),
        1,
        "{md}"
    );
    assert!(md.contains("(about) (2 articles)"), "{md}");
    assert_eq!(
        md.matches("  - Gazette, 2031-06-13: “about 4,070").count(),
        1,
        "{md}"
    );
}

#[test]
fn a_shared_fact_is_listed_once_whatever_its_wording() {
    // Written for this test: two outlets that each say one thing twice, in other words.
    let article = |id: &str, outlet: &str, text: &str| {
        written(id, outlet, &format!("Bridge closed ({id})"), text)
    };
    let articles = [
        article(
            "a1",
            "Gazette",
            "The Orlen Bridge was closed to traffic on Monday after inspectors found cracks in \
             two of its steel supports. Repairs will take weeks. Inspectors found cracks in two \
             steel supports of the Orlen Bridge, which was shut to traffic on Monday.",
        ),
        article(
            "b1",
            "Courier",
            "Inspectors found cracks in two steel supports of the Orlen Bridge on Monday, and \
             the bridge was closed to traffic. Buses will detour. The Orlen Bridge was shut to \
             traffic on Monday when cracks were found in two of its steel supports.",
        ),
        article(
            "c1",
            "Ledger",
            "The Orlen Bridge was closed on Monday after cracks were found in two of its steel \
             supports, inspectors said. Ferries will add trips.",
        ),
    ];
    let c = compare(&Corpus::build(&articles), &CompareOptions::default());
    let cracks = c
        .facts
        .shared
        .iter()
        .filter(|f| f.text.contains("cracks"))
        .count();
    assert_eq!(cracks, 1, "{:#?}", c.facts.shared);
}

#[test]
fn one_utterance_quoted_in_two_places_is_one_shared_fact() {
    // Written for this test: two outlets quote one answer of Dana Whitfield's, cut in
    // different places. (That the two sentences are then one shared fact is checked on the
    // seeds, below.)
    let articles = [
        written(
            "a1",
            "Gazette",
            "Whitfield in Moscow",
            "After a two-hour meeting with Foreign Minister Sergey Volkov on Wednesday in \
             Moscow, Secretary of State Dana Whitfield said the \u{201C}current state of our \
             relations is at a low point.\u{201D} \u{201C}There is a low level of trust \
             between our two countries,\u{201D} Whitfield said at a news conference.",
        ),
        written(
            "b1",
            "Courier",
            "Whitfield meets Volkov",
            "At a news conference in Moscow on Wednesday, Secretary of State Dana Whitfield \
             said that relations are \u{201C}at a low point, there is a low level of trust \
             between our two countries.\u{201D} She met Foreign Minister Sergey Volkov for \
             two hours and said the current state of relations is at a low point.",
        ),
    ];
    let c = compare(&Corpus::build(&articles), &CompareOptions::default());
    let low = c
        .statements
        .iter()
        .filter(|s| s.occurrences.iter().any(|o| o.text.contains("low point")))
        .count();
    assert_eq!(low, 1, "{:#?}", c.statements);
}

#[test]
fn a_misspelt_tag_names_the_person_the_names_list_it_under() {
    // Written for this test: the tag misspells the surname once ("Cowdery" for "Cowdrey").
    let articles = [written(
        "a1",
        "Gazette",
        "Port vote delayed",
        "Rep. Alma Cowdrey, the only port delegate on the committee, agreed with the chairman \
         that a long debate would help no one.\n\
         Cowdery said she was ``not keen on a long debate about the harbour.''\n\
         ``The vote will not be pleasant,'' Cowdrey said. ``Nobody will change their mind.''",
    )];
    let c = compare(&Corpus::build(&articles), &CompareOptions::default());
    assert_eq!(
        speaker_of(&c, "not keen"),
        Some("Alma Cowdrey"),
        "{:#?}",
        c.statements
    );
    assert_eq!(speaker_of(&c, "not be pleasant"), Some("Alma Cowdrey"));
}
