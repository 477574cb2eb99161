//! restruct against hand-written reqwest code doing the same work, in the same run.
//!
//! - `build/*`: building Clerk's `CreateSessionTokenFromTemplateRequest` (two percent-encoded path
//!   values and a JSON body) into an `http::Request<Vec<u8>>`, no I/O.
//! - `to_reqwest/*`: building it (and a GET with 3 query parameters) up to the `reqwest::Request`
//!   the send path executes, the client's defaults (bearer, user agent) included; no I/O.
//! - `round_trip/*`: sending it to a local axum server on 127.0.0.1 and decoding the token,
//!   through the same `reqwest::Client` configuration.
//! - `in_flight_64/*`: 512 such calls with 64 in flight at any time (throughput).
//!
//! - `paired`: both sides alternated in short rounds, printing the median ratio (see [`paired`]).
//!
//! Run with `cargo bench --bench request`; BENCHMARKS.md holds the figures. The deterministic
//! counts (allocations, instructions) are in benches/cost.rs and scripts/callgrind.sh.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use restruct::Endpoint;

// ---- benches ----------------------------------------------------------------------------------

fn build(c: &mut Criterion) {
    let base = BASE;
    let mut group = c.benchmark_group("build");
    for (name, req) in [("plain", plain()), ("escaped", escaped())] {
        // Both sides must build the same request, or the comparison means nothing.
        let ours = req.to_request(base).unwrap();
        let theirs = baseline_build(base, &req).unwrap();
        assert_eq!(ours.uri(), theirs.uri());
        assert_eq!(ours.body(), theirs.body());
        assert_eq!(ours.headers(), theirs.headers());

        group.bench_with_input(BenchmarkId::new("restruct", name), &req, |b, req| {
            b.iter(|| black_box(req).to_request(black_box(base)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("baseline", name), &req, |b, req| {
            b.iter(|| baseline_build(black_box(base), black_box(req)).unwrap())
        });
    }
    group.finish();
}

fn to_reqwest(c: &mut Criterion) {
    let (http, client) = clients(BASE);
    let (plain, escaped, list) = (plain(), escaped(), list());
    assert_same(
        &restruct_request(&client, &plain).unwrap(),
        &baseline_token_request(&http, BASE, &plain).unwrap(),
    );
    assert_same(
        &restruct_request(&client, &list).unwrap(),
        &baseline_list_request(&http, BASE, &list).unwrap(),
    );
    let mut group = c.benchmark_group("to_reqwest");
    for (name, req) in [("plain", &plain), ("escaped", &escaped)] {
        group.bench_function(BenchmarkId::new("restruct", name), |b| {
            b.iter(|| restruct_request(&client, black_box(req)).unwrap())
        });
        group.bench_function(BenchmarkId::new("baseline", name), |b| {
            b.iter(|| baseline_token_request(&http, BASE, black_box(req)).unwrap())
        });
    }
    group.bench_function(BenchmarkId::new("restruct", "query"), |b| {
        b.iter(|| restruct_request(&client, black_box(&list)).unwrap())
    });
    group.bench_function(BenchmarkId::new("baseline", "query"), |b| {
        b.iter(|| baseline_list_request(&http, BASE, black_box(&list)).unwrap())
    });
    group.finish();
}

/// Calls in flight at once, and calls per burst, for `in_flight_64`.
const IN_FLIGHT: usize = 64;
const BURST: usize = 512;

/// `BURST` calls of `send`, `IN_FLIGHT` tasks each sending its share one after the other.
async fn burst<F, Fut>(send: F)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let send = Arc::new(send);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..IN_FLIGHT {
        let send = send.clone();
        tasks.spawn(async move {
            for _ in 0..BURST / IN_FLIGHT {
                send().await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

fn in_flight(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let base = rt.block_on(start_server());
    let (http, client) = clients(&base);
    let req = Arc::new(plain());
    let base = Arc::new(base);

    let mut group = c.benchmark_group("in_flight_64");
    group.throughput(Throughput::Elements(BURST as u64));
    group.sample_size(20);
    group.bench_function("restruct", |b| {
        b.to_async(&rt).iter(|| {
            let (client, req) = (client.clone(), req.clone());
            burst(move || {
                let (client, req) = (client.clone(), req.clone());
                async move {
                    black_box(req.send(&client).await.unwrap());
                }
            })
        })
    });
    group.bench_function("baseline", |b| {
        b.to_async(&rt).iter(|| {
            let (http, base, req) = (http.clone(), base.clone(), req.clone());
            burst(move || {
                let (http, base, req) = (http.clone(), base.clone(), req.clone());
                async move {
                    black_box(baseline_send(&http, &base, &req).await.unwrap());
                }
            })
        })
    });
    group.finish();
}

fn round_trip(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let base = rt.block_on(start_server());
    // One reqwest configuration for both sides.
    let (http, client) = clients(&base);
    let req = plain();

    // Both sides must succeed against the server before they are timed.
    let ours = rt.block_on(req.send(&client)).unwrap();
    let theirs = rt.block_on(baseline_send(&http, &base, &req)).unwrap();
    assert_eq!((ours.object, ours.jwt), (theirs.object, theirs.jwt));

    let mut group = c.benchmark_group("round_trip");
    group.bench_function("restruct", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(&req).send(&client).await.unwrap() })
    });
    group.bench_function("baseline", |b| {
        b.to_async(&rt)
            .iter(|| async { baseline_send(&http, &base, black_box(&req)).await.unwrap() })
    });
    group.finish();
}

// ---- paired ratios ----------------------------------------------------------------------------

/// Criterion measures one function after the other, so on a shared machine a build starting next
/// door moves one side and not the other. This pass alternates the two sides in short rounds and
/// prints the median of the per-round ratios restruct/baseline, which such drift barely moves.
/// It runs only under `cargo bench` without a filter (or with the filter `paired`).
fn paired(_: &mut Criterion) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let benchmarking = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !benchmarking || !(filters.is_empty() || filters.iter().any(|f| f.as_str() == "paired")) {
        return;
    }

    let base = BASE;
    for (name, req) in [("plain", plain()), ("escaped", escaped())] {
        let ours = || {
            black_box(black_box(&req).to_request(black_box(base)).unwrap());
        };
        let theirs = || {
            black_box(baseline_build(black_box(base), black_box(&req)).unwrap());
        };
        report(&format!("build/{name}"), rounds(81, 20_000, ours, theirs));
    }

    let (http, client) = clients(BASE);
    let list = list();
    let ours = || {
        black_box(restruct_request(&client, black_box(&list)).unwrap());
    };
    let theirs = || {
        black_box(baseline_list_request(&http, BASE, black_box(&list)).unwrap());
    };
    report("to_reqwest/query", rounds(81, 20_000, ours, theirs));

    let rt = tokio::runtime::Runtime::new().unwrap();
    let base = rt.block_on(start_server());
    let (http, client) = clients(&base);
    let req = plain();
    let ours = || {
        black_box(rt.block_on(req.send(&client)).unwrap());
    };
    let theirs = || {
        black_box(rt.block_on(baseline_send(&http, &base, &req)).unwrap());
    };
    report("round_trip", rounds(81, 500, ours, theirs));

    let (shared, req) = (Arc::new((http, client, base)), Arc::new(req));
    let ours = || {
        let (shared, req) = (shared.clone(), req.clone());
        rt.block_on(burst(move || {
            let (shared, req) = (shared.clone(), req.clone());
            async move {
                black_box(req.send(&shared.1).await.unwrap());
            }
        }));
    };
    let theirs = || {
        let (shared, req) = (shared.clone(), req.clone());
        rt.block_on(burst(move || {
            let (shared, req) = (shared.clone(), req.clone());
            async move {
                black_box(baseline_send(&shared.0, &shared.2, &req).await.unwrap());
            }
        }));
    };
    report(
        "in_flight_64 (per burst of 512)",
        rounds(41, 4, ours, theirs),
    );
}

/// Per round: the mean time of one call of each side, the sides' order alternating by round.
fn rounds(
    count: usize,
    iters: u32,
    mut ours: impl FnMut(),
    mut theirs: impl FnMut(),
) -> Vec<(Duration, Duration)> {
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..iters {
            f();
        }
        start.elapsed() / iters
    };
    // Warm both up (connections, caches) before the first round counts.
    time(&mut ours);
    time(&mut theirs);
    (0..count)
        .map(|round| {
            if round % 2 == 0 {
                let a = time(&mut ours);
                (a, time(&mut theirs))
            } else {
                let b = time(&mut theirs);
                (time(&mut ours), b)
            }
        })
        .collect()
}

fn report(name: &str, rounds: Vec<(Duration, Duration)>) {
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        let q = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
        (q(0.5), q(0.25), q(0.75))
    };
    let ratios = rounds
        .iter()
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    let ours = median(rounds.iter().map(|(a, _)| a.as_secs_f64()).collect()).0;
    let theirs = median(rounds.iter().map(|(_, b)| b.as_secs_f64()).collect()).0;
    let (ratio, low, high) = median(ratios);
    println!(
        "paired {name}: restruct {} baseline {} ratio {ratio:.3} (quartiles {low:.3}..{high:.3}, {} rounds)",
        shown(ours),
        shown(theirs),
        rounds.len()
    );
}

fn shown(seconds: f64) -> String {
    if seconds < 1e-6 {
        format!("{:.1} ns", seconds * 1e9)
    } else {
        format!("{:.2} µs", seconds * 1e6)
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = build, to_reqwest, round_trip, in_flight, paired
}
criterion_main!(benches);
