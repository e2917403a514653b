//! The ingest pipeline over folders and files: order, ids, output shape, bounded reading.

mod common;

use std::path::PathBuf;

use common::{STORY, furnished_page, gz, html_record, scratch, simple_page};
use storyline::ingest::{Limits, read_articles_jsonl};
use storyline_web::{IngestOptions, SourceError, articles_from_paths};

fn story(n: usize, canonical: bool) -> String {
    let head = if canonical {
        format!(r#"<link rel="canonical" href="https://coastal.example/news/{n}">"#)
    } else {
        String::new()
    };
    furnished_page(&head).replace("Eastport", &format!("Eastport-{n}"))
}

#[test]
fn a_folder_of_pages_comes_out_in_path_order_whatever_the_threads() {
    let dir = scratch("folder");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for n in 0..12 {
        let name = format!("page-{n:02}.html");
        let html = story(n, true);
        if n % 3 == 0 {
            std::fs::write(
                dir.join("sub").join(format!("{name}.gz")),
                gz(html.as_bytes()),
            )
            .unwrap();
        } else {
            std::fs::write(dir.join(&name), html).unwrap();
        }
    }
    std::fs::write(dir.join("notes.txt"), "not a page").unwrap();
    let expected: Vec<String> = (0..12)
        .filter(|n| n % 3 != 0)
        .chain((0..12).filter(|n| n % 3 == 0))
        .map(|n| format!("https://coastal.example/news/{n}"))
        .collect();
    // (Folder entries sort by path: the "page-..." files come before the "sub" folder.)
    for threads in [1, 2, 4] {
        let opts = IngestOptions {
            threads,
            window: 3,
            ..IngestOptions::default()
        };
        let ids: Vec<String> = articles_from_paths(std::slice::from_ref(&dir), &opts)
            .unwrap()
            .map(|o| o.expect("article").article.id)
            .collect();
        assert_eq!(ids, expected, "threads {threads}");
    }
}

#[test]
fn output_lines_read_back_as_storyline_articles() {
    let dir = scratch("shape");
    let ld = r#"<meta property="og:site_name" content="Coastal Daily"><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2031-03-14T09:30:00Z"}</script><link rel="canonical" href="https://coastal.example/news/harbor">"#;
    std::fs::write(dir.join("a.html"), furnished_page(ld)).unwrap();
    let lines: Vec<String> = articles_from_paths(&[dir.join("a.html")], &IngestOptions::default())
        .unwrap()
        .map(|o| o.unwrap().to_json_line())
        .collect();
    assert_eq!(lines.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in ["id", "title", "text", "source", "url", "date", "lang"] {
        assert!(keys.contains(&k), "{k} in {keys:?}");
    }
    assert_eq!(v["lang"], "en");
    let read = read_articles_jsonl(lines.join("\n").as_bytes(), "-", &Limits::default());
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    let a = &read.items[0];
    assert_eq!(a.id, "https://coastal.example/news/harbor");
    assert_eq!(a.source.as_deref(), Some("Coastal Daily"));
    assert_eq!(
        a.date.map(|d| d.to_string()).as_deref(),
        Some("2031-03-14T09:30Z")
    );
    assert_eq!(a.title, "Harbor reopens after strike");
    assert_eq!(a.text.split('\n').count(), STORY.len());
}

#[test]
fn ids_are_unique_canonical_first_then_fetched_url_then_duplicate() {
    let dir = scratch("ids");
    // Two different pages that both claim the same canonical URL, then an exact repeat.
    let page = |n| {
        story(n, false).replace(
            "<title>",
            r#"<link rel="canonical" href="https://coastal.example/news/shared"><title>"#,
        )
    };
    let recs = [
        html_record("https://coastal.example/news/a", page(1).as_bytes(), None),
        html_record("https://coastal.example/news/b", page(2).as_bytes(), None),
        html_record("https://coastal.example/news/b", page(2).as_bytes(), None),
    ];
    std::fs::write(dir.join("ids.warc"), recs.concat()).unwrap();
    let outcomes: Vec<_> = articles_from_paths(&[dir.join("ids.warc")], &IngestOptions::default())
        .unwrap()
        .collect();
    let ids: Vec<_> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok().map(|a| a.article.id.clone()))
        .collect();
    assert_eq!(
        ids,
        [
            "https://coastal.example/news/shared",
            "https://coastal.example/news/b"
        ]
    );
    let dup = outcomes[2].as_ref().unwrap_err();
    assert_eq!(dup.reason.kind(), "duplicate");
}

#[test]
fn a_missing_path_is_an_error_before_any_work() {
    let err = match articles_from_paths(
        &[PathBuf::from("/no/such/place.warc")],
        &IngestOptions::default(),
    ) {
        Err(e) => e,
        Ok(_) => panic!("expected an error"),
    };
    assert!(matches!(err, SourceError::NotFound(_)));
}

#[test]
fn short_pages_are_skipped_with_their_word_count() {
    let dir = scratch("short");
    std::fs::write(
        dir.join("short.html"),
        simple_page(
            "Brief",
            &["The harbor reopened on Monday after the strike ended."],
        ),
    )
    .unwrap();
    let out: Vec<_> = articles_from_paths(&[dir], &IngestOptions::default())
        .unwrap()
        .collect();
    let r = out[0].as_ref().unwrap_err();
    assert_eq!(r.reason.kind(), "too_short", "{r}");
}

#[test]
fn stopping_early_does_not_hang() {
    let dir = scratch("early");
    for n in 0..50 {
        std::fs::write(dir.join(format!("p{n:02}.html")), story(n, true)).unwrap();
    }
    let opts = IngestOptions {
        threads: 2,
        window: 4,
        ..IngestOptions::default()
    };
    let mut ingest = articles_from_paths(&[dir], &opts).unwrap();
    assert!(ingest.next().is_some());
    drop(ingest);
}
