//! Single-threaded memory probe: featurize and assign a generated stream in one thread,
//! printing resident memory and the clusterer's state sizes as it goes.
//! usage: cargo run --release -p storyline --example memory_probe -- [articles]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use storyline::article::Article;
use storyline::cluster::{ClusterOptions, EventClusterer, Featurizer};
use storyline::date::Timestamp;

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|x| x.parse().ok())
        .unwrap_or(600_000);
    let opts = ClusterOptions::default();
    let mut f = Featurizer::new(&opts);
    let mut c = EventClusterer::new(opts);
    let mut rng = 0x5EED_u64;
    let mut next = || {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (rng ^ (rng >> 33)).wrapping_mul(0xff51afd7ed558ccd)
    };
    for i in 0..n {
        let day = (i as u64 * 2) / 1440;
        let story = day.saturating_sub(1) * 300 + next() % 600;
        let words: Vec<String> = (0..110)
            .map(|_| {
                let r = next();
                if r % 3 == 0 {
                    format!("s{}x{}", story, (r >> 8) % 30)
                } else {
                    format!("b{}", ((r >> 11) % 5000) * ((r >> 20) % 2 + 1) / 2)
                }
            })
            .collect();
        let a = Article {
            id: format!("g{i}"),
            title: format!("s{story}x1 s{story}x2 s{story}x3"),
            text: words.join(" "),
            source: None,
            url: None,
            date: Timestamp::from_unix_number(1_900_000_000 + (i as i64) * 120),
        };
        c.assign(f.features(&a));
        if (i + 1) % 100_000 == 0 {
            println!("{:>8} {:>8.1} MB {:?}", i + 1, rss_mb(), c.stats());
        }
    }
}
