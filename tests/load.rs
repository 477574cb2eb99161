//! A load test: N requests (default 2,000; `LOAD_REQUESTS=10000` for the long form) with 256 in
//! flight against a local axum server that counts every request id; each must arrive exactly once.
//! `LOAD_CLIENT=reqwest` runs the same load through plain reqwest instead, so the peak RSS that
//! is printed (`VmHWM`, one process per run) can be compared; RELIABILITY.md has the figures.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::stream::{self, StreamExt as _};
use restruct::{endpoint, Client};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Item {
    id: u64,
    name: String,
}

#[endpoint(GET, "/items/<id>", response = Item)]
struct GetItem {
    id: u64,
}

type Seen = Arc<Mutex<HashMap<u64, u32>>>;

async fn item(State(seen): State<Seen>, Path(id): Path<u64>) -> Json<serde_json::Value> {
    *seen.lock().unwrap().entry(id).or_default() += 1;
    Json(serde_json::json!({"id": id, "name": format!("item {id}"), "tags": ["a", "b", "c"]}))
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_arrives_once_under_load() {
    let requests: u64 = std::env::var("LOAD_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let plain = std::env::var("LOAD_CLIENT").is_ok_and(|c| c == "reqwest");
    let seen = Seen::default();
    let app = Router::new()
        .route("/items/{id}", get(item))
        .with_state(Arc::clone(&seen));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let before = peak_rss_kib();
    let client = Client::new(&base).unwrap();
    let http = restruct::reqwest::Client::new();
    let ok = stream::iter(0..requests)
        .map(|id| {
            let (client, http, base) = (&client, &http, &base);
            async move {
                if plain {
                    let response = http.get(format!("{base}/items/{id}")).send().await.ok()?;
                    let item: Item = response.json().await.ok()?;
                    Some(item.id == id)
                } else {
                    let item = GetItem { id }.send(client).await.ok()?;
                    Some(item.id == id && item.name == format!("item {id}"))
                }
            }
        })
        .buffer_unordered(256)
        .filter(|ok| std::future::ready(*ok == Some(true)))
        .count()
        .await;
    let seen = seen.lock().unwrap();
    assert_eq!(
        ok as u64, requests,
        "every call succeeded with its own item"
    );
    assert_eq!(seen.len() as u64, requests);
    assert!(
        seen.values().all(|&n| n == 1),
        "each request counted exactly once"
    );
    println!(
        "load: client={} requests={requests} in_flight=256 peak_rss_kib_before={before:?} peak_rss_kib={:?}",
        if plain { "reqwest" } else { "restruct" },
        peak_rss_kib()
    );
}
