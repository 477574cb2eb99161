//! Deterministic costs of building a request up to the `reqwest::Request` the send path uses,
//! restruct against the hand-written baseline (see `common`), in three cases: plain ids, ids
//! needing escapes, a GET with 3 query parameters; and of a whole round trip of the token
//! request to a local server on a current-thread runtime (`round_trip`: both sides' client and
//! the same server, so the difference is the client's; `round_trip_untimed`: restruct with
//! `no_timeout()`, which shows what the default timeout's timer costs).
//!
//! - `cargo bench --bench cost`: heap allocations per build, counted by a `#[global_allocator]`
//!   (the same on every run and every machine with the same dependency versions).
//! - `scripts/callgrind.sh`: instructions per build, this binary under
//!   `valgrind --tool=callgrind`, collecting only inside the `measure_*` functions.
//!
//! BENCHMARKS.md holds the figures.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;

/// Counts allocations (and reallocations, which also go to the allocator) made by this process.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

struct Fixture {
    http: reqwest::Client,
    client: restruct::Client,
    rt: tokio::runtime::Runtime,
    /// The local server's base URL, and clients for it (the restruct one with the default
    /// timeout, and one without).
    local: String,
    local_http: reqwest::Client,
    local_client: restruct::Client,
    local_untimed: restruct::Client,
    plain: CreateSessionTokenFromTemplateRequest,
    escaped: CreateSessionTokenFromTemplateRequest,
    list: ListUsersRequest,
}

// One function per case and side, never inlined, so that callgrind's `--toggle-collect` can
// count exactly the builds (the drop of the built request included, on both sides).

#[inline(never)]
fn measure_restruct_plain(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(restruct_request(&f.client, black_box(&f.plain)).unwrap());
    }
}

#[inline(never)]
fn measure_baseline_plain(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(baseline_token_request(&f.http, BASE, black_box(&f.plain)).unwrap());
    }
}

#[inline(never)]
fn measure_restruct_escaped(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(restruct_request(&f.client, black_box(&f.escaped)).unwrap());
    }
}

#[inline(never)]
fn measure_baseline_escaped(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(baseline_token_request(&f.http, BASE, black_box(&f.escaped)).unwrap());
    }
}

#[inline(never)]
fn measure_restruct_query(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(restruct_request(&f.client, black_box(&f.list)).unwrap());
    }
}

#[inline(never)]
fn measure_baseline_query(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(baseline_list_request(&f.http, BASE, black_box(&f.list)).unwrap());
    }
}

#[inline(never)]
fn measure_restruct_round_trip(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(f.rt.block_on(f.plain.send(&f.local_client)).unwrap());
    }
}

#[inline(never)]
fn measure_baseline_round_trip(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(
            f.rt.block_on(baseline_send(&f.local_http, &f.local, &f.plain))
                .unwrap(),
        );
    }
}

#[inline(never)]
fn measure_restruct_round_trip_untimed(f: &Fixture, n: usize) {
    for _ in 0..n {
        black_box(f.rt.block_on(f.plain.send(&f.local_untimed)).unwrap());
    }
}

#[inline(never)]
fn measure_baseline_round_trip_untimed(f: &Fixture, n: usize) {
    // The same as `measure_baseline_round_trip`, not a call of it: callgrind would count that
    // one's builds twice.
    for _ in 0..n {
        black_box(
            f.rt.block_on(baseline_send(&f.local_http, &f.local, &f.plain))
                .unwrap(),
        );
    }
}

type Measure = fn(&Fixture, usize);

const CASES: [(&str, Measure, Measure); 5] = [
    ("plain", measure_restruct_plain, measure_baseline_plain),
    (
        "escaped",
        measure_restruct_escaped,
        measure_baseline_escaped,
    ),
    ("query", measure_restruct_query, measure_baseline_query),
    (
        "round_trip",
        measure_restruct_round_trip,
        measure_baseline_round_trip,
    ),
    (
        "round_trip_untimed",
        measure_restruct_round_trip_untimed,
        measure_baseline_round_trip_untimed,
    ),
];

fn main() {
    let (http, client) = clients(BASE);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = rt.block_on(start_server());
    let (local_http, local_client) = clients(&local);
    let local_untimed = restruct::Client::builder()
        .base_url(&local)
        .bearer_auth(SECRET)
        .no_timeout()
        .http_client(local_http.clone())
        .build()
        .unwrap();
    let f = Fixture {
        http,
        client,
        rt,
        local,
        local_http,
        local_client,
        local_untimed,
        plain: plain(),
        escaped: escaped(),
        list: list(),
    };
    // Both sides must build the same request, or the comparison means nothing. This is also
    // the warm-up (lazy statics, thread-locals), outside the measure functions.
    for (ours, theirs) in [
        (
            restruct_request(&f.client, &f.plain),
            baseline_token_request(&f.http, BASE, &f.plain),
        ),
        (
            restruct_request(&f.client, &f.escaped),
            baseline_token_request(&f.http, BASE, &f.escaped),
        ),
        (
            restruct_request(&f.client, &f.list),
            baseline_list_request(&f.http, BASE, &f.list),
        ),
    ] {
        assert_same(&ours.unwrap(), &theirs.unwrap());
    }
    // The round trips: both succeed, and the connections are open before anything counts.
    for (_, ours, theirs) in &CASES[3..] {
        ours(&f, 2);
        theirs(&f, 2);
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cost callgrind N`: every measure function once, N builds each, for scripts/callgrind.sh
    // to divide by.
    if args.first().map(String::as_str) == Some("callgrind") {
        let n = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
        for (_, ours, theirs) in CASES {
            ours(&f, n);
            theirs(&f, n);
        }
        return;
    }
    // Under `cargo test --benches` (CI's compile check), one quick pass is enough.
    let n = if args.iter().any(|a| a == "--bench") {
        1000
    } else {
        10
    };
    println!("allocations per request build (up to the reqwest::Request), mean of {n}:");
    println!("{:<18} {:>9} {:>9}", "case", "restruct", "baseline");
    for (name, ours, theirs) in CASES {
        let count = |measure: Measure| {
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            measure(&f, n);
            (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / n as f64
        };
        println!("{name:<18} {:>9.2} {:>9.2}", count(ours), count(theirs));
    }
}
