//! WARC archives as crawls produce them, and as damage leaves them: every record is
//! accounted for, bad ones are counted with a reason, good ones still come out.

mod common;

use std::path::PathBuf;

use common::{
    STORY, furnished_page, gz, html_record, http_response, scratch, simple_page, warc_gz,
    warc_record, warc_record_with_length,
};
use storyline_web::warc::{GzMembers, WarcItem, WarcLimits, WarcReader};
use storyline_web::{IngestOptions, Reject, Tally, WebArticle, articles_from_paths};

fn story_page(n: usize) -> Vec<u8> {
    furnished_page(&format!(
        r#"<link rel="canonical" href="https://coastal.example/news/story-{n}">"#
    ))
    .into_bytes()
}

fn run(paths: &[PathBuf]) -> (Vec<WebArticle>, Vec<Reject>, Tally) {
    let mut ingest = articles_from_paths(paths, &IngestOptions::default()).expect("paths exist");
    let mut articles = Vec::new();
    let mut rejects = Vec::new();
    for outcome in ingest.by_ref() {
        match outcome {
            Ok(a) => articles.push(a),
            Err(r) => rejects.push(r),
        }
    }
    (articles, rejects, ingest.tally().clone())
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn crawl() -> Vec<Vec<u8>> {
    let mut recs = vec![warc_record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: test\r\n",
    )];
    for n in 0..3 {
        let uri = format!("https://coastal.example/news/story-{n}");
        recs.push(warc_record(
            "request",
            &uri,
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\nHost: coastal.example\r\n\r\n",
        ));
        recs.push(html_record(&uri, &story_page(n), Some("utf-8")));
        recs.push(warc_record(
            "metadata",
            &uri,
            "application/warc-fields",
            b"fetchTimeMs: 12\r\n",
        ));
    }
    recs
}

#[test]
fn a_crawl_yields_its_pages_and_counts_the_other_records() {
    let dir = scratch("crawl");
    let plain = write(&dir, "a.warc", &crawl().concat());
    let gzipped = write(&dir, "b.warc.gz", &warc_gz(&crawl()));
    for path in [plain, gzipped] {
        let (articles, _, tally) = run(std::slice::from_ref(&path));
        assert_eq!(articles.len(), 3, "{}", path.display());
        assert_eq!(tally.read, 10);
        assert_eq!(tally.skipped.get("not_a_page"), Some(&7));
        assert_eq!(
            articles[0].article.id,
            "https://coastal.example/news/story-0"
        );
        assert_eq!(articles[0].origin.record, Some(3));
        assert!(articles[2].article.text.contains(STORY[4]));
    }
}

#[test]
fn non_html_and_non_200_records_are_skipped_with_counts() {
    let dir = scratch("kinds");
    let recs = vec![
        html_record("https://x.example/news/1", &story_page(1), None),
        warc_record(
            "response",
            "https://x.example/logo.png",
            "application/http; msgtype=response",
            &http_response(
                "200 OK",
                &[("Content-Type", "image/png")],
                b"\x89PNG\r\n\x1a\n\0\0",
            ),
        ),
        warc_record(
            "response",
            "https://x.example/old",
            "application/http; msgtype=response",
            &http_response("301 Moved Permanently", &[("Location", "/new")], b""),
        ),
        warc_record(
            "response",
            "https://x.example/gone",
            "application/http; msgtype=response",
            &http_response(
                "404 Not Found",
                &[("Content-Type", "text/html")],
                b"<p>not here</p>",
            ),
        ),
        warc_record(
            "response",
            "https://x.example/feed.json",
            "application/http; msgtype=response",
            &http_response("200 OK", &[("Content-Type", "application/json")], b"{}"),
        ),
        html_record("https://x.example/news/2", &story_page(2), None),
    ];
    let path = write(&dir, "kinds.warc.gz", &warc_gz(&recs));
    let (articles, rejects, tally) = run(&[path]);
    assert_eq!(articles.len(), 2);
    assert_eq!(tally.skipped.get("not_html"), Some(&2));
    assert_eq!(tally.skipped.get("http_status"), Some(&2));
    assert_eq!(tally.failed_total(), 0);
    let urls: Vec<_> = rejects
        .iter()
        .filter_map(|r| r.origin.url.as_deref())
        .collect();
    assert_eq!(
        urls,
        [
            "https://x.example/logo.png",
            "https://x.example/old",
            "https://x.example/gone",
            "https://x.example/feed.json"
        ]
    );
}

#[test]
fn a_wrong_content_length_is_counted_and_reading_resumes_at_the_next_record() {
    let dir = scratch("length");
    let good = |n| html_record(&format!("https://x.example/news/{n}"), &story_page(n), None);
    let http = http_response("200 OK", &[("Content-Type", "text/html")], &story_page(9));
    for (name, wrong) in [("short", http.len() - 500), ("long", http.len() + 700)] {
        let bad = warc_record_with_length(
            "response",
            "https://x.example/news/bad",
            "application/http; msgtype=response",
            &http,
            wrong,
        );
        let recs = [good(1), bad, good(2), good(3)];
        for (file, bytes) in [
            (format!("{name}.warc"), recs.concat()),
            (format!("{name}.warc.gz"), warc_gz(&recs)),
        ] {
            let path = write(&dir, &file, &bytes);
            let (articles, rejects, tally) = run(&[path]);
            let ids: Vec<_> = articles.iter().map(|a| a.article.id.as_str()).collect();
            assert_eq!(
                ids,
                [
                    "https://coastal.example/news/story-1",
                    "https://coastal.example/news/story-2",
                    "https://coastal.example/news/story-3"
                ],
                "{file}: {rejects:?}"
            );
            assert_eq!(
                tally.failed.get("damaged_record"),
                Some(&1),
                "{file}: {rejects:?}"
            );
            assert_eq!(tally.read, 4, "{file}");
        }
    }
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_cut() {
    let dir = scratch("truncgz");
    let recs: Vec<Vec<u8>> = (0..4)
        .map(|n| html_record(&format!("https://x.example/news/{n}"), &story_page(n), None))
        .collect();
    let mut bytes = warc_gz(&recs);
    let cut = bytes.len() - gz(&recs[3]).len() / 2;
    bytes.truncate(cut);
    let path = write(&dir, "cut.warc.gz", &bytes);
    let (articles, rejects, tally) = run(&[path]);
    assert_eq!(articles.len(), 3);
    assert_eq!(tally.failed.get("gzip"), Some(&1), "{rejects:?}");
}

#[test]
fn a_corrupt_gzip_member_is_skipped_and_the_next_members_are_read() {
    let dir = scratch("corruptgz");
    let members: Vec<Vec<u8>> = (0..4)
        .map(|n| {
            gz(&html_record(
                &format!("https://x.example/news/{n}"),
                &story_page(n),
                None,
            ))
        })
        .collect();
    let mut bad = members[1].clone();
    let mid = bad.len() / 2;
    for b in &mut bad[mid..mid + 40] {
        *b ^= 0x5A;
    }
    let bytes = [
        members[0].clone(),
        bad,
        members[2].clone(),
        members[3].clone(),
    ]
    .concat();
    let path = write(&dir, "corrupt.warc.gz", &bytes);
    let (articles, rejects, tally) = run(&[path]);
    let ids: Vec<_> = articles.iter().map(|a| a.article.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://coastal.example/news/story-0",
            "https://coastal.example/news/story-2",
            "https://coastal.example/news/story-3"
        ],
        "{rejects:?}"
    );
    assert!(tally.failed_total() >= 1, "{rejects:?}");
}

#[test]
fn binary_payload_declared_as_html_is_skipped() {
    let dir = scratch("binary");
    let mut noise = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..5000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.push((x >> 16) as u8);
    }
    let recs = [
        html_record("https://x.example/bin", &noise, None),
        html_record("https://x.example/news/1", &story_page(1), None),
    ];
    let path = write(&dir, "bin.warc", &recs.concat());
    let (articles, _, tally) = run(&[path]);
    assert_eq!(articles.len(), 1);
    assert_eq!(tally.skipped.get("binary"), Some(&1));
}

#[test]
fn an_enormous_page_is_skipped_as_too_large_without_stopping_the_run() {
    let dir = scratch("huge");
    let filler =
        "<p>filler paragraph of the enormous page that never ends</p>\n".repeat((21 << 20) / 60);
    let huge = format!("<html><body>{filler}</body></html>");
    assert!(huge.len() > 20 << 20);
    let recs = [
        html_record("https://x.example/huge", huge.as_bytes(), None),
        html_record("https://x.example/news/1", &story_page(1), None),
    ];
    let path = write(&dir, "huge.warc.gz", &warc_gz(&recs));
    let page = write(&dir, "huge.html", huge.as_bytes());
    let (articles, rejects, tally) = run(&[path, page]);
    assert_eq!(articles.len(), 1);
    assert_eq!(tally.skipped.get("too_large"), Some(&2), "{rejects:?}");
}

#[test]
fn garbage_between_records_is_one_damaged_stretch() {
    let dir = scratch("garbage");
    let recs = [
        html_record("https://x.example/news/1", &story_page(1), None),
        b"this is not a record\r\nat all\r\n\r\n".to_vec(),
        html_record("https://x.example/news/2", &story_page(2), None),
    ];
    let path = write(&dir, "garbage.warc", &recs.concat());
    let (articles, _, tally) = run(&[path]);
    assert_eq!(articles.len(), 2);
    assert_eq!(tally.failed.get("damaged_record"), Some(&1));
}

#[test]
fn the_reader_alone_reports_offsets() {
    let recs = [
        warc_record("warcinfo", "", "application/warc-fields", b"a: b\r\n"),
        html_record("https://x.example/1", &story_page(1), None),
    ];
    let bytes = warc_gz(&recs);
    let reader = WarcReader::new(
        GzMembers::new(std::io::BufReader::new(bytes.as_slice())),
        WarcLimits::default(),
    );
    let items: Vec<WarcItem> = reader.collect();
    assert_eq!(items.len(), 2);
    match &items[1] {
        WarcItem::Record(r) => {
            assert_eq!(r.offset, recs[0].len() as u64);
            assert_eq!(r.target_uri(), Some("https://x.example/1"));
            assert_eq!(r.warc_type(), "response");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn resource_records_and_legacy_charsets_in_archives() {
    let dir = scratch("resource");
    let html = simple_page("Harbor reopens after the long strike", &STORY[..3])
        .replace("reopened", "re\u{f6}pened");
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
    let recs = [warc_record(
        "resource",
        "file:///pages/harbor.html",
        "text/html; charset=windows-1252",
        &latin,
    )];
    let path = write(&dir, "res.warc", &recs.concat());
    let (articles, rejects, _) = run(&[path]);
    assert_eq!(articles.len(), 1, "{rejects:?}");
    assert!(articles[0].article.text.contains("reöpened"));
}

/// What a read yields, as comparable text: record number, offset, and what became of it.
fn describe(item: &storyline_web::source::Item) -> String {
    match item {
        storyline_web::source::Item::Doc(d) => format!(
            "doc {:?} @{:?} {:?}",
            d.origin.record, d.origin.offset, d.url
        ),
        storyline_web::source::Item::Reject(r) => {
            format!(
                "reject {:?} @{:?} {}",
                r.origin.record, r.origin.offset, r.reason
            )
        }
    }
}

#[test]
fn byte_ranges_of_a_warc_gz_give_every_record_once() {
    use storyline_web::source::{self, SourceOptions};
    let dir = scratch("ranges");
    // Pages with incompressible noise, so that members are large and some byte ranges hold
    // no member start at all; plus a corrupt member in the middle.
    let mut members: Vec<Vec<u8>> = Vec::new();
    let mut seed = 7u64;
    for (k, rec) in crawl().into_iter().enumerate() {
        members.push(gz(&rec));
        if k == 4 {
            let mut bad = gz(&html_record(
                "https://coastal.example/bad",
                &story_page(9),
                None,
            ));
            let mid = bad.len() / 2;
            bad[mid..mid + 8].copy_from_slice(b"XXXXXXXX");
            members.push(bad);
        }
        let noise: String = (0..3000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + (seed >> 59) as u8 % 26)
            })
            .collect();
        let page = simple_page("Noise", &[noise.as_str()]);
        members.push(gz(&html_record(
            &format!("https://noise.example/{k}"),
            page.as_bytes(),
            None,
        )));
    }
    let bytes: Vec<u8> = members.concat();
    let path = write(&dir, "crawl.warc.gz", &bytes);
    assert!(source::splittable(&path));
    let opts = SourceOptions::default();
    let name = path.display().to_string();
    let mut whole = Vec::new();
    source::read_warc_gz_range(&path, &name, 0, u64::MAX, &opts, &mut |i| {
        whole.push(describe(&i));
        true
    })
    .unwrap();
    assert!(whole.len() > 20, "{whole:?}");
    assert!(whole.iter().any(|w| w.contains("gzip")), "{whole:?}");
    let size = bytes.len() as u64;
    for step in [97, 1000, 2500, 7777, size / 3, size] {
        let (mut got, mut records, mut offset) = (Vec::new(), 0u64, 0u64);
        let mut start = 0;
        while start < size {
            let end = (start + step).min(size);
            let mut items = Vec::new();
            let done = source::read_warc_gz_range(&path, &name, start, end, &opts, &mut |i| {
                items.push(i);
                true
            })
            .unwrap();
            for mut i in items {
                // Renumber as the consumer of the ranges does.
                let origin = match &mut i {
                    storyline_web::source::Item::Doc(d) => &mut d.origin,
                    storyline_web::source::Item::Reject(r) => &mut r.origin,
                };
                origin.record = origin.record.map(|n| n + records);
                origin.offset = origin.offset.map(|o| o + offset);
                got.push(describe(&i));
            }
            records += done.records;
            offset += done.bytes;
            start = end;
        }
        assert_eq!(got, whole, "ranges of {step} bytes");
    }
}
