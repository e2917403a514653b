//! The engine over a real SQLite file: incremental ingest, replay on reopening, refresh,
//! and consistency after an interrupted run.

use storyline::Article;
use storyline::ingest::{LineOutcome, parse_article_line};
use storyline_store::{Engine, EngineOptions, EventQuery, Outcome, db};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/articles.jsonl");

fn samples() -> Vec<Article> {
    std::fs::read_to_string(SAMPLES)
        .unwrap()
        .lines()
        .map(
            |l| match parse_article_line("s", 1, l, &Default::default()) {
                LineOutcome::Article(a, _) => a,
                other => panic!("{other:?}"),
            },
        )
        .collect()
}

fn opts() -> EngineOptions {
    EngineOptions {
        threads: 2,
        ..EngineOptions::default()
    }
}

fn events_of(engine: &Engine) -> Vec<(String, String)> {
    let mut stmt = engine
        .connection()
        .prepare("SELECT id, event_id FROM articles ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn incremental_runs_give_the_events_of_one_run() {
    let all = samples();
    let dir = tempfile::tempdir().unwrap();

    // All at once.
    let mut one = Engine::open(&dir.path().join("one.db"), opts(), |_| {}).unwrap();
    one.ingest(&all).unwrap();
    let expected = events_of(&one);
    assert_eq!(
        expected
            .iter()
            .map(|e| &e.1)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        4
    );

    // In three runs, reopening the store each time, with overlaps.
    let path = dir.path().join("inc.db");
    for (k, part) in [&all[..6], &all[3..11], &all[..]].into_iter().enumerate() {
        let mut e = Engine::open(&path, opts(), |_| {}).unwrap();
        let (outcomes, counts) = e.ingest(part).unwrap();
        assert_eq!(outcomes.len(), part.len());
        assert_eq!(counts.stored + counts.already_stored, part.len());
        if k == 1 {
            assert_eq!(
                counts.already_stored, 3,
                "ids 3..6 were stored by the first run"
            );
        }
        e.refresh(usize::MAX, |_, _| {}).unwrap();
    }
    let e = Engine::open(&path, opts(), |_| {}).unwrap();
    assert_eq!(
        e.replayed(),
        (16, 0),
        "replaying the stored articles gives back their events"
    );
    assert_eq!(events_of(&e), expected);
    assert!(db::check(e.connection()).unwrap().is_consistent());
    let c = e.counts().unwrap();
    assert_eq!((c.articles, c.events, c.dirty), (16, 4, 0));
}

#[test]
fn a_batch_repeating_an_id_stores_it_once() {
    let all = samples();
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(&dir.path().join("d.db"), opts(), |_| {}).unwrap();
    let batch = vec![all[0].clone(), all[1].clone(), all[0].clone()];
    let (outcomes, counts) = e.ingest(&batch).unwrap();
    assert_eq!((counts.stored, counts.already_stored), (2, 1));
    assert!(matches!(&outcomes[2], Outcome::AlreadyStored { id } if id == &all[0].id));
    assert_eq!(e.counts().unwrap().articles, 2);
}

#[test]
fn an_interrupted_refresh_is_finished_by_the_next_run() {
    let all = samples();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    {
        // Stored, never summarized: as if the run was killed after ingesting.
        let mut e = Engine::open(&path, opts(), |_| {}).unwrap();
        e.ingest(&all).unwrap();
        assert_eq!(e.counts().unwrap().dirty, 4);
    }
    let mut e = Engine::open(&path, opts(), |_| {}).unwrap();
    assert_eq!(e.refresh(usize::MAX, |_, _| {}).unwrap(), 4);
    let rows = db::list_events(
        e.connection(),
        &EventQuery {
            limit: 10,
            ..EventQuery::default()
        },
    )
    .unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| !r.updating && !r.lead.is_empty()));
    // Growing an event marks it dirty again, and only it.
    let extra = Article {
        id: "flood-extra".into(),
        ..all[6].clone()
    };
    let (outcomes, _) = e.ingest(&[extra]).unwrap();
    let Outcome::Stored { event, .. } = &outcomes[0] else {
        panic!("{outcomes:?}")
    };
    assert_eq!(
        db::dirty_events(e.connection(), 10).unwrap(),
        vec![event.clone()]
    );
    let (doc, updating) = db::event_report(e.connection(), event).unwrap().unwrap();
    assert!(
        updating && doc.is_some(),
        "the old document is served while the event is recomputed"
    );
    assert!(db::check(e.connection()).unwrap().is_consistent());
}

#[test]
fn a_newer_schema_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Engine::open(&path, opts(), |_| {}).unwrap());
    {
        let conn = db::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Engine::open(&path, opts(), |_| {})
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("version 99"), "{err}");
}

#[test]
fn articles_featurized_elsewhere_give_the_same_events_and_inputs_are_recorded() {
    let all = samples();
    let dir = tempfile::tempdir().unwrap();
    let mut direct = Engine::open(&dir.path().join("direct.db"), opts(), |_| {}).unwrap();
    direct.ingest(&all).unwrap();

    let path = dir.path().join("featurized.db");
    let mut engine = Engine::open(&path, opts(), |_| {}).unwrap();
    let mut featurizer = storyline::cluster::Featurizer::new(&opts().cluster);
    let (first, rest) = all.split_at(all.len() / 2);
    // One feature is missing on purpose (the engine makes it), one article repeats.
    let features: Vec<_> = first.iter().map(|a| featurizer.features(a)).collect();
    let (_, c) = engine
        .ingest_featurized(
            first,
            features[..first.len() - 1].to_vec(),
            Some(("a.jsonl", 10)),
        )
        .unwrap();
    assert_eq!(c.stored, first.len());
    let mut again: Vec<Article> = vec![first[0].clone()];
    again.extend_from_slice(rest);
    let features: Vec<_> = again.iter().map(|a| featurizer.features(a)).collect();
    let (_, c) = engine.ingest_featurized(&again, features, None).unwrap();
    assert_eq!((c.stored, c.already_stored), (rest.len(), 1));
    assert_eq!(events_of(&engine), events_of(&direct));
    assert_eq!(
        engine.completed_inputs().unwrap(),
        vec![("a.jsonl".to_string(), 10)]
    );
    drop(engine);
    let reopened = Engine::open(&path, opts(), |_| {}).unwrap();
    assert_eq!(reopened.replayed(), (all.len(), 0));
    assert!(db::check(reopened.connection()).unwrap().is_consistent());
}

#[test]
fn a_schema_2_store_keeps_its_event_search_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A store as schema 2 wrote it: the search entry found by its event id.
        let conn = db::Connection::open(&path).unwrap();
        conn.execute_batch(db::MIGRATIONS[0]).unwrap();
        conn.execute_batch(db::MIGRATIONS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO events (id, title, sort_key, last_seq, articles, outlets)
                 VALUES ('e-other', 'Quiet harbor', 1, 1, 1, 1), ('e-strike', 'Dock strike', 2, 2, 1, 1);
             INSERT INTO events_fts (event_id, title, body) VALUES
                 ('e-strike', 'Dock strike', 'dockworkers walk out'),
                 ('e-other', 'Quiet harbor', 'nothing happened');",
        )
        .unwrap();
    }
    let mut conn = db::open(&path).unwrap();
    let found = |conn: &db::Connection, q: &str| -> Vec<String> {
        let mut st = conn
            .prepare("SELECT event_id FROM events_fts WHERE events_fts MATCH ?1")
            .unwrap();
        st.query_map([q], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(found(&conn, "dockworkers"), ["e-strike"]);
    // A refresh replaces the event's entry, and only its own.
    let tx = conn.transaction().unwrap();
    db::store_refreshed(
        &tx,
        &[db::Refreshed {
            id: "e-strike".into(),
            title: "Dock strike ends".into(),
            lead: "The strike ended.".into(),
            search_text: "agreement reached".into(),
            report: "{}".into(),
            articles: 1,
            outlets: 1,
        }],
    )
    .unwrap();
    tx.commit().unwrap();
    assert!(found(&conn, "dockworkers").is_empty());
    assert_eq!(found(&conn, "agreement"), ["e-strike"]);
    assert_eq!(found(&conn, "nothing"), ["e-other"]);
}
