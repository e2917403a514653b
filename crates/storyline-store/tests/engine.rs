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
fn dirty_events_are_taken_in_change_order_and_handed_out_largest_first() {
    let all = samples();
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(&dir.path().join("d.db"), opts(), |_| {}).unwrap();
    e.ingest(&all).unwrap();
    // The largest event changes last: one more copy in the smallest, then in the largest.
    let by_article = events_of(&e);
    let size_of = |event: &str| by_article.iter().filter(|(_, ev)| ev == event).count();
    let (smallest, largest) = {
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by_key(|&i| size_of(&by_article[i].1));
        (order[0], order[all.len() - 1])
    };
    for (n, i) in [smallest, largest].into_iter().enumerate() {
        let copy = Article {
            id: format!("copy-{n}"),
            ..all[i].clone()
        };
        e.ingest(&[copy]).unwrap();
    }
    let sizes: std::collections::HashMap<String, i64> = {
        let mut stmt = e
            .connection()
            .prepare("SELECT id, articles FROM events")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let by_change: Vec<String> = {
        let mut stmt = e
            .connection()
            .prepare("SELECT id FROM events WHERE dirty = 1 ORDER BY last_seq")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert!(
        sizes[by_change.last().unwrap()] > sizes[&by_change[0]],
        "the largest event changed last: {sizes:?} {by_change:?}"
    );
    let all = db::dirty_events(e.connection(), usize::MAX).unwrap();
    let size_order: Vec<i64> = all.iter().map(|id| sizes[id]).collect();
    assert!(size_order.is_sorted_by(|a, b| a >= b), "{size_order:?}");
    // A limit takes the events that changed first, then orders them.
    let first_two = db::dirty_events(e.connection(), 2).unwrap();
    let mut expected = by_change[..2].to_vec();
    expected.sort_by_key(|id| std::cmp::Reverse(sizes[id]));
    assert_eq!(
        first_two.iter().collect::<std::collections::BTreeSet<_>>(),
        expected.iter().collect::<std::collections::BTreeSet<_>>()
    );
    assert!(
        first_two
            .iter()
            .map(|id| sizes[id])
            .collect::<Vec<_>>()
            .is_sorted_by(|a, b| a >= b)
    );
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
fn a_migrated_store_finds_events_by_their_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A store as schema 2 wrote it, with its own index of the events' summaries.
        let conn = db::Connection::open(&path).unwrap();
        conn.execute_batch(db::MIGRATIONS[0]).unwrap();
        conn.execute_batch(db::MIGRATIONS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO events (id, title, sort_key, last_seq, articles, outlets)
                 VALUES ('e-other', 'Quiet harbor', 1, 1, 1, 1), ('e-strike', 'Dock strike', 2, 2, 1, 1);
             INSERT INTO articles (seq, id, title, text, event_id, ingested_at) VALUES
                 (1, 'a1', 'Quiet harbor', 'Nothing happened at the marina.', 'e-other', 0),
                 (2, 'a2', 'Dock strike', 'Dockworkers walked out at dawn.', 'e-strike', 0);
             INSERT INTO articles_fts (rowid, title, text) SELECT seq, title, text FROM articles;
             INSERT INTO events_fts (event_id, title, body) VALUES
                 ('e-strike', 'Dock strike', 'dockworkers walk out');",
        )
        .unwrap();
    }
    // A reader (`storyline events -s`) brings an older store up to date first.
    let conn = db::open_reader(&path).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_fts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0, "the event index is dropped");
    let found = |q: &str| -> Vec<String> {
        db::list_events(
            &conn,
            &EventQuery {
                q: Some(q.into()),
                limit: 10,
                ..EventQuery::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
    };
    assert_eq!(found("dockworkers"), ["e-strike"]);
    assert_eq!(found("marina"), ["e-other"]);
    // Every word in one article.
    assert!(found("dockworkers marina").is_empty());
}

/// The samples, then variants that exercise the events' aggregates: outlets that differ by
/// spaces only, an empty or missing outlet (counted by article id), missing dates.
fn samples_and_variants() -> Vec<Article> {
    let mut all = samples();
    let base = all.clone();
    for (k, a) in base.iter().enumerate() {
        let mut v = Article {
            id: format!("{}-v", a.id),
            ..a.clone()
        };
        match k % 4 {
            0 => v.source = a.source.as_ref().map(|s| format!("  {s} ")),
            1 => v.source = Some("   ".into()),
            2 => v.source = None,
            _ => v.date = None,
        }
        if k % 3 == 0 {
            v.date = None;
        }
        all.push(v);
    }
    all
}

fn tables(conn: &db::Connection) -> Vec<String> {
    db::contents(conn).unwrap()
}

/// Each event's row recomputed from its articles, as the store computed it before events
/// were kept up to date from each batch alone.
fn aggregates(conn: &db::Connection) -> (Vec<String>, Vec<String>) {
    let rows = |sql: &str| -> Vec<String> {
        let mut st = conn.prepare(sql).unwrap();
        st.query_map([], |r| {
            Ok((0..6)
                .map(|k| r.get::<_, String>(k))
                .collect::<Result<Vec<_>, _>>()?
                .join(" | "))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    (
        rows(
            "SELECT quote(id), quote(first_date), quote(last_date), quote(sort_key), quote(last_seq), \
             quote(articles) || ' ' || quote(outlets) FROM events ORDER BY id",
        ),
        rows(
            "SELECT quote(event_id), quote(MIN(date_unix)), quote(MAX(date_unix)), \
             quote(COALESCE(MAX(date_unix), MAX(seq))), quote(MAX(seq)), \
             quote(COUNT(*)) || ' ' || quote(COUNT(DISTINCT COALESCE(NULLIF(TRIM(source), ''), id))) \
             FROM articles GROUP BY event_id ORDER BY event_id",
        ),
    )
}

#[test]
fn a_streamed_ingest_stores_what_batched_ingest_stores_with_events_the_aggregates_of_their_articles()
 {
    let all = samples_and_variants();
    let dir = tempfile::tempdir().unwrap();
    let options = |threads| EngineOptions {
        threads,
        ..EngineOptions::default()
    };

    // The server's way: batches of three, one transaction each, refreshed on one thread.
    let mut batched = Engine::open(&dir.path().join("batched.db"), options(1), |_| {}).unwrap();
    for part in all.chunks(3) {
        batched.ingest(part).unwrap();
    }
    let (stored, want) = aggregates(batched.connection());
    assert_eq!(stored, want, "events are the aggregates of their articles");
    // Four events, each with fewer outlets than articles (spaces around a name are not
    // another outlet).
    assert_eq!(stored.len(), 4, "{stored:?}");
    assert!(
        stored.iter().all(|r| {
            let (n, o) = r.rsplit_once(" | ").unwrap().1.split_once(' ').unwrap();
            o.parse::<i64>().unwrap() < n.parse::<i64>().unwrap()
        }),
        "{stored:?}"
    );
    assert_eq!(batched.refresh(usize::MAX, |_, _| {}).unwrap(), 4);

    // `run`'s way: featurized elsewhere, assigned here, stored by the writer thread in
    // transactions of two, an article repeated; refreshed on three threads.
    let mut streamed = Engine::open(&dir.path().join("streamed.db"), options(3), |_| {}).unwrap();
    let mut featurizer = storyline::cluster::Featurizer::new(&options(3).cluster);
    let ((), counts) = streamed
        .ingest_stream(2, |stream| -> Result<(), storyline_store::StoreError> {
            for part in all.chunks(5) {
                let mut part = part.to_vec();
                part.push(all[0].clone());
                let features = part.iter().map(|a| featurizer.features(a)).collect();
                stream.take(part, features)?;
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(
        (counts.stored, counts.already_stored),
        (all.len(), all.len().div_ceil(5))
    );
    let (stored, want) = aggregates(streamed.connection());
    assert_eq!(stored, want, "events are the aggregates of their articles");
    assert_eq!(streamed.refresh(usize::MAX, |_, _| {}).unwrap(), 4);

    assert_eq!(tables(streamed.connection()), tables(batched.connection()));
    assert!(db::check(streamed.connection()).unwrap().is_consistent());

    // Reopened (the outlets are read back from the store), then grown by one article.
    drop(streamed);
    let mut streamed = Engine::open(&dir.path().join("streamed.db"), options(2), |_| {}).unwrap();
    let extra = Article {
        id: "one-more".into(),
        source: Some(" new outlet".into()),
        ..all[5].clone()
    };
    streamed.ingest(std::slice::from_ref(&extra)).unwrap();
    batched.ingest(&[extra]).unwrap();
    let (stored, want) = aggregates(streamed.connection());
    assert_eq!(stored, want);
    assert_eq!(tables(streamed.connection()), tables(batched.connection()));
}

#[test]
fn every_event_is_in_a_storyline_and_storylines_are_the_aggregates_of_their_events() {
    let all = samples_and_variants();
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(&dir.path().join("s.db"), opts(), |_| {}).unwrap();
    for part in all.chunks(4) {
        e.ingest(part).unwrap();
    }
    e.refresh(usize::MAX, |_, _| {}).unwrap();
    let c = e.connection();
    let events = db::list_events(
        c,
        &EventQuery {
            limit: 100,
            ..EventQuery::default()
        },
    )
    .unwrap();
    assert!(events.iter().all(|r| r.storyline.is_some()), "{events:?}");
    let lines = db::list_storylines(
        c,
        &db::StorylineQuery {
            limit: 100,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!lines.is_empty());
    assert_eq!(
        lines.iter().map(|l| l.events).sum::<i64>(),
        events.len() as i64
    );
    assert_eq!(
        lines.iter().map(|l| l.articles).sum::<i64>(),
        all.len() as i64
    );
    // Newest activity first.
    assert!(lines.windows(2).all(|w| w[0].last_date >= w[1].last_date));
    for l in &lines {
        let timeline = db::storyline_events(c, &l.id).unwrap();
        assert_eq!(timeline.len() as i64, l.events);
        assert!(timeline.iter().any(|e| e.id == l.head_event));
    }
    // Found by the words of one of its events.
    let found = db::list_storylines(
        c,
        &db::StorylineQuery {
            q: Some("Quillfield".into()),
            limit: 10,
            after: None,
        },
    )
    .unwrap();
    assert_eq!(found.len(), 1);
    assert!(db::check(c).unwrap().is_consistent());
}

fn assignments(e: &mut Engine, articles: &[Article]) -> Vec<Outcome> {
    e.ingest(articles).unwrap().0
}

#[test]
fn reopening_loads_the_checkpoint_and_replays_only_the_later_articles() {
    let all = samples_and_variants();
    let (first, rest) = all.split_at(20);
    let (middle, last) = rest.split_at(6);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let mut e = Engine::open(&path, opts(), |_| {}).unwrap();
        e.ingest(first).unwrap();
        e.checkpoint().unwrap();
        e.ingest(middle).unwrap();
    }
    std::fs::copy(&path, dir.path().join("full.db")).unwrap();
    let full_path = dir.path().join("full.db");
    db::open(&full_path)
        .unwrap()
        .execute("DELETE FROM clusterer_checkpoint", [])
        .unwrap();

    let mut from_checkpoint = Engine::open(&path, opts(), |_| {}).unwrap();
    assert_eq!(from_checkpoint.replayed(), (middle.len(), 0));
    let mut replayed = Engine::open(&full_path, opts(), |_| {}).unwrap();
    assert_eq!(replayed.replayed(), (first.len() + middle.len(), 0));
    // The same clusterer: the next articles go to the same events, stored ones are skipped.
    let mut next = last.to_vec();
    next.push(first[0].clone());
    assert_eq!(
        assignments(&mut from_checkpoint, &next),
        assignments(&mut replayed, &next)
    );
    assert!(matches!(
        assignments(&mut from_checkpoint, &first[..1])[0],
        Outcome::AlreadyStored { .. }
    ));
    assert_eq!(
        tables(from_checkpoint.connection()),
        tables(replayed.connection())
    );
}

#[test]
fn a_corrupt_or_foreign_checkpoint_means_a_full_replay_never_a_failure() {
    let all = samples();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    {
        let mut e = Engine::open(&path, opts(), |_| {}).unwrap();
        e.ingest(&all).unwrap();
        e.checkpoint().unwrap();
    }
    assert_eq!(Engine::open(&path, opts(), |_| {}).unwrap().replayed().0, 0);
    for damage in [
        "UPDATE clusterer_checkpoint SET state = x'0102'",
        "UPDATE clusterer_checkpoint SET format = 999",
        "UPDATE clusterer_checkpoint SET options = 'other'",
        "UPDATE clusterer_checkpoint SET last_seq = 1000000",
    ] {
        db::open(&path).unwrap().execute(damage, []).unwrap();
        let e = Engine::open(&path, opts(), |_| {}).unwrap();
        assert_eq!(e.replayed(), (all.len(), 0), "{damage}");
    }
    // Other clustering settings: the checkpoint is not theirs.
    let mut e = Engine::open(&path, opts(), |_| {}).unwrap();
    e.checkpoint().unwrap();
    let mut other = opts();
    other.cluster.join = 0.5;
    assert_eq!(
        Engine::open(&path, other, |_| {}).unwrap().replayed().0,
        all.len()
    );
}

#[test]
fn a_store_from_before_storylines_gets_them_when_it_is_first_replayed() {
    let all = samples_and_variants();
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.db"), dir.path().join("new.db"));
    let mut e = Engine::open(&new, opts(), |_| {}).unwrap();
    e.ingest(&all).unwrap();
    drop(e);
    {
        let mut e = Engine::open(&old, opts(), |_| {}).unwrap();
        e.ingest(&all).unwrap();
        // As schema 3 left it: no storylines, no checkpoint.
        e.connection()
            .execute_batch(
                "UPDATE events SET storyline = NULL; DELETE FROM storylines; DELETE FROM clusterer_checkpoint;",
            )
            .unwrap();
        assert!(db::storylines_missing(e.connection()).unwrap());
    }
    let e = Engine::open(&old, opts(), |_| {}).unwrap();
    assert!(!db::storylines_missing(e.connection()).unwrap());
    assert!(db::check(e.connection()).unwrap().is_consistent());
    let e2 = Engine::open(&new, opts(), |_| {}).unwrap();
    let lines = |e: &Engine| {
        db::list_storylines(
            e.connection(),
            &db::StorylineQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .unwrap()
    };
    assert_eq!(
        lines(&e),
        lines(&e2),
        "the storylines of a store written with them"
    );
}

#[test]
fn a_checkpoint_saved_in_the_middle_of_a_stream_matches_the_batch_it_is_stored_with() {
    let all = samples_and_variants();
    let dir = tempfile::tempdir().unwrap();
    let often = EngineOptions {
        checkpoint_articles: 7,
        ..opts()
    };
    let path = dir.path().join("m.db");
    let mut featurizer = storyline::cluster::Featurizer::new(&often.cluster);
    {
        let mut e = Engine::open(&path, often.clone(), |_| {}).unwrap();
        e.ingest_stream(3, |stream| -> Result<(), storyline_store::StoreError> {
            for part in all.chunks(5) {
                let features = part.iter().map(|a| featurizer.features(a)).collect();
                stream.take(part.to_vec(), features)?;
            }
            Ok(())
        })
        .unwrap();
        // Killed here: no checkpoint at the end of the run.
    }
    let stored = db::checkpoint(&db::open(&path).unwrap()).unwrap().unwrap();
    assert_eq!(stored.articles, 28, "the last of every 7 articles");
    let mut resumed = Engine::open(&path, often.clone(), |_| {}).unwrap();
    assert_eq!(resumed.replayed(), (all.len() - 28, 0));
    // The same clusterer as one that replays everything.
    let full = dir.path().join("full.db");
    std::fs::copy(&path, &full).unwrap();
    db::open(&full)
        .unwrap()
        .execute("DELETE FROM clusterer_checkpoint", [])
        .unwrap();
    let mut replayed = Engine::open(&full, often, |_| {}).unwrap();
    assert_eq!(replayed.replayed().0, all.len());
    let more: Vec<Article> = samples()
        .into_iter()
        .map(|a| Article {
            id: format!("{}-again", a.id),
            ..a
        })
        .collect();
    assert_eq!(
        assignments(&mut resumed, &more),
        assignments(&mut replayed, &more)
    );
    assert_eq!(tables(resumed.connection()), tables(replayed.connection()));
}

/// (id, articles, members listed by its document, dirty) of every event.
fn listed(engine: &Engine) -> Vec<(String, i64, usize, i64)> {
    let mut stmt = engine
        .connection()
        .prepare("SELECT id, articles, report, dirty FROM events ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        let report: String = r.get(2)?;
        let doc: serde_json::Value = serde_json::from_str(&report).unwrap();
        Ok((
            r.get(0)?,
            r.get(1)?,
            doc["members"].as_array().map_or(0, Vec::len),
            r.get(3)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn documents(engine: &Engine) -> Vec<(String, String, String, String, i64)> {
    let mut stmt = engine
        .connection()
        .prepare("SELECT id, title, lead, report, dirty FROM events ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn coalesced_refreshes_list_every_member_at_once_and_end_with_the_documents_of_plain_refreshes() {
    let all = samples();
    let dir = tempfile::tempdir().unwrap();
    let mut plain = Engine::open(&dir.path().join("plain.db"), opts(), |_| {}).unwrap();
    let mut coalesced = Engine::open(&dir.path().join("coalesced.db"), opts(), |_| {}).unwrap();
    let mut c = storyline_store::Coalescer::new(std::time::Duration::from_secs(3600));
    // Every event may wait, until it has doubled.
    (c.small, c.grow) = (0, 1.0);
    let mut alone = 0;
    for a in &all {
        plain.ingest(std::slice::from_ref(a)).unwrap();
        plain.refresh(usize::MAX, |_, _| {}).unwrap();
        coalesced.ingest(std::slice::from_ref(a)).unwrap();
        alone += coalesced.refresh_coalesced(&mut c).unwrap().1;
        let events = listed(&coalesced);
        for (id, articles, members, _) in &events {
            assert_eq!(
                *articles as usize, *members,
                "event {id} lists every article"
            );
        }
        let dirty = events.iter().filter(|e| e.3 == 1).count();
        assert_eq!(c.waiting(), dirty, "only events that wait are remembered");
    }
    assert!(alone > 0, "some summaries waited: {alone}");
    coalesced.flush(&mut c).unwrap();
    assert_eq!(c.waiting(), 0);
    assert_eq!(documents(&coalesced), documents(&plain));
}

#[test]
fn a_schema_6_checkpoint_keeps_its_state_when_the_state_moves_to_the_last_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("six.db");
    {
        let conn = db::Connection::open(&path).unwrap();
        for m in &db::MIGRATIONS[..6] {
            conn.execute_batch(m).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute(
            "INSERT INTO clusterer_checkpoint (id, format, options, last_seq, articles, state, written_at)
             VALUES (1, 1, 'o', 7, 7, x'0102', 9)",
            [],
        )
        .unwrap();
    }
    let conn = db::open(&path).unwrap();
    let kept: (Vec<u8>, i64, i64) = conn
        .query_row(
            "SELECT state, written_at, last_seq FROM clusterer_checkpoint",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(kept, (vec![1, 2], 9, 7));
    let last: String = conn
        .query_row(
            "SELECT name FROM pragma_table_info('clusterer_checkpoint') ORDER BY cid DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        last, "state",
        "a zeroblob ending its record is not built in memory"
    );
}

#[test]
fn a_checkpoint_written_by_batch_ingest_is_loaded_on_reopening() {
    let all = samples_and_variants();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let small = EngineOptions {
        checkpoint_articles: 5,
        ..opts()
    };
    let expected = {
        let mut e = Engine::open(&path, small.clone(), |_| {}).unwrap();
        for a in &all[..12] {
            e.ingest(std::slice::from_ref(a)).unwrap();
        }
        events_of(&e)
    };
    let mut e = Engine::open(&path, small, |_| {}).unwrap();
    assert_eq!(
        e.replayed(),
        (2, 0),
        "the checkpoint after 10 articles was loaded"
    );
    assert_eq!(events_of(&e), expected);
    let mut fresh = Engine::open(&dir.path().join("one.db"), opts(), |_| {}).unwrap();
    fresh.ingest(&all[..12]).unwrap();
    assert_eq!(
        assignments(&mut e, &all[12..]),
        assignments(&mut fresh, &all[12..])
    );
}

#[test]
fn an_event_document_lists_its_members_under_their_cleaned_headlines() {
    // Written for this test: a text file's first line is the site's slogan, its second the
    // headline (the summary's cleaning tells them apart).
    let article = Article {
        id: "slogan".into(),
        title: "The news is on your side.".into(),
        text: "Harbour strike ends after pay deal\n\n\
               The harbour strike in Port Aldren ended on Monday after dockworkers accepted a \
               3.5 percent yearly raise, union leaders said. Cranes were moving again by the \
               evening shift, and the port expects the backlog of ships to clear within a week."
            .into(),
        source: Some("Gazette".into()),
        url: None,
        date: storyline::date::Timestamp::parse("2031-03-13"),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(&dir.path().join("t.db"), opts(), |_| {}).unwrap();
    e.ingest(std::slice::from_ref(&article)).unwrap();
    e.refresh(usize::MAX, |_, _| {}).unwrap();
    let (_, _, _, report, _) = documents(&e).pop().unwrap();
    let doc: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        doc["members"][0]["title"], "Harbour strike ends after pay deal",
        "{doc:#}"
    );
}
