//! restruct against hand-written reqwest code doing the same work, in the same run.
//!
//! - `build/*`: building Clerk's `CreateSessionTokenFromTemplateRequest` (two percent-encoded path
//!   values and a JSON body) into an `http::Request<Vec<u8>>`, no I/O.
//! - `round_trip/*`: sending it to a local axum server on 127.0.0.1 and decoding the token,
//!   through the same `reqwest::Client` configuration.
//!
//! - `paired`: both sides alternated in short rounds, printing the median ratio (see [`paired`]).
//!
//! Run with `cargo bench --bench request`; BENCHMARKS.md holds the figures.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use restruct::{endpoint, Client, Endpoint};
use serde::{Deserialize, Serialize};

const SECRET: &str = "sk_test_0123456789abcdefghijklmnopqrstuvwxyz";

#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateSessionTokenFromTemplateRequestBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Token {
    pub object: String,
    pub jwt: String,
}

#[derive(Debug, Deserialize)]
pub struct ClerkErrors {
    pub errors: Vec<ClerkError>,
}

#[derive(Debug, Deserialize)]
pub struct ClerkError {
    pub message: String,
    pub long_message: String,
    pub code: String,
}

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = Token, error = ClerkErrors)]
#[derive(Debug, Clone)]
pub struct CreateSessionTokenFromTemplateRequest {
    pub session_id: String,
    pub template_name: String,
    #[body]
    pub request_body: Option<CreateSessionTokenFromTemplateRequestBody>,
}

// ---- the hand-written baseline ----------------------------------------------------------------

/// RFC 3986 unreserved stays, everything else is escaped: what restruct does to a path value.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn baseline_url(base: &str, session_id: &str, template_name: &str) -> Result<String, String> {
    // The same refusals as restruct, so both do the same work.
    for value in [session_id, template_name] {
        if matches!(value, "" | "." | "..") {
            return Err(format!("invalid path value {value:?}"));
        }
    }
    Ok(format!(
        "{base}/sessions/{}/tokens/{}",
        utf8_percent_encode(session_id, SEGMENT),
        utf8_percent_encode(template_name, SEGMENT),
    ))
}

fn baseline_build(
    base: &str,
    req: &CreateSessionTokenFromTemplateRequest,
) -> Result<http::Request<Vec<u8>>, String> {
    let url = baseline_url(base, &req.session_id, &req.template_name)?;
    let mut builder = http::Request::builder().method(http::Method::POST).uri(url);
    let body = match &req.request_body {
        Some(body) => {
            builder = builder.header(CONTENT_TYPE, "application/json");
            serde_json::to_vec(body).map_err(|e| e.to_string())?
        }
        None => Vec::new(),
    };
    builder.body(body).map_err(|e| e.to_string())
}

async fn baseline_send(
    http: &reqwest::Client,
    base: &str,
    req: &CreateSessionTokenFromTemplateRequest,
) -> Result<Token, Box<dyn std::error::Error>> {
    let url = baseline_url(base, &req.session_id, &req.template_name)?;
    let token = http
        .post(url)
        .bearer_auth(SECRET)
        .json(&req.request_body)
        .send()
        .await?
        .json()
        .await?;
    Ok(token)
}

// ---- inputs -----------------------------------------------------------------------------------

fn plain() -> CreateSessionTokenFromTemplateRequest {
    CreateSessionTokenFromTemplateRequest {
        session_id: "sess_2ZfSP1fmFqDPpVEyxUHX5T1ZRNb".into(),
        template_name: "custom_hasura".into(),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(600),
        }),
    }
}

/// Values where most characters need escaping.
fn escaped() -> CreateSessionTokenFromTemplateRequest {
    CreateSessionTokenFromTemplateRequest {
        session_id: "sess/2Zf SP1f?mFq#DPp%VEy".into(),
        template_name: "modèle d'équipe/été".into(),
        ..plain()
    }
}

/// Clerk's `GET /users` shape: a query list, numbers, a string, a static and a field header.
#[endpoint(GET, "/users", response = Vec<Token>, headers("Clerk-API-Version: 2025-04-10"))]
pub struct GetUserList {
    #[query]
    pub email_address: Vec<String>,
    #[query]
    pub order_by: Option<String>,
    #[query]
    pub limit: Option<u64>,
    #[query]
    pub offset: Option<u64>,
    #[header("X-Request-Id")]
    pub request_id: String,
}

// ---- benches ----------------------------------------------------------------------------------

/// restruct alone, for the query writer: its figures before and after a change are in
/// BENCHMARKS.md.
fn build_query(c: &mut Criterion) {
    let base = "https://api.clerk.com/v1";
    let req = GetUserList {
        email_address: vec!["ada@example.com".into(), "grace hopper@example.com".into()],
        order_by: Some("-created_at".into()),
        limit: Some(100),
        offset: Some(200),
        request_id: "req_123".into(),
    };
    assert_eq!(
        req.to_request(base).unwrap().uri(),
        "https://api.clerk.com/v1/users?email_address=ada%40example.com&email_address=grace+hopper%40example.com&order_by=-created_at&limit=100&offset=200"
    );
    c.bench_function("build/query", |b| {
        b.iter(|| black_box(&req).to_request(black_box(base)).unwrap())
    });
}

fn build(c: &mut Criterion) {
    let base = "https://api.clerk.com/v1";
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

/// A local server that answers like Clerk for this endpoint (bearer checked, a fixed token).
async fn start_server() -> String {
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::IntoResponse;

    async fn token(headers: HeaderMap, body: axum::body::Bytes) -> axum::response::Response {
        let authorized = headers
            .get(AUTHORIZATION.as_str())
            .is_some_and(|v| v.as_bytes() == format!("Bearer {SECRET}").as_bytes());
        if !authorized || body.is_empty() {
            return (StatusCode::UNAUTHORIZED, "{\"errors\":[]}").into_response();
        }
        (
            [(CONTENT_TYPE.as_str(), "application/json")],
            r#"{"object":"token","jwt":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl"}"#,
        )
            .into_response()
    }

    let app = axum::Router::new().route(
        "/v1/sessions/{session_id}/tokens/{template_name}",
        axum::routing::post(token),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1")
}

fn round_trip(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let base = rt.block_on(start_server());
    // One reqwest configuration for both sides.
    let http = reqwest::Client::builder().build().unwrap();
    let client = Client::builder()
        .base_url(&base)
        .bearer_auth(SECRET)
        .http_client(http.clone())
        .build()
        .unwrap();
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

    let base = "https://api.clerk.com/v1";
    for (name, req) in [("plain", plain()), ("escaped", escaped())] {
        let ours = || {
            black_box(black_box(&req).to_request(black_box(base)).unwrap());
        };
        let theirs = || {
            black_box(baseline_build(black_box(base), black_box(&req)).unwrap());
        };
        report(&format!("build/{name}"), rounds(81, 20_000, ours, theirs));
    }

    let rt = tokio::runtime::Runtime::new().unwrap();
    let base = rt.block_on(start_server());
    let http = reqwest::Client::builder().build().unwrap();
    let client = Client::builder()
        .base_url(&base)
        .bearer_auth(SECRET)
        .http_client(http.clone())
        .build()
        .unwrap();
    let req = plain();
    let ours = || {
        black_box(rt.block_on(req.send(&client)).unwrap());
    };
    let theirs = || {
        black_box(rt.block_on(baseline_send(&http, &base, &req)).unwrap());
    };
    report("round_trip", rounds(81, 500, ours, theirs));
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
    targets = build, build_query, round_trip, paired
}
criterion_main!(benches);
