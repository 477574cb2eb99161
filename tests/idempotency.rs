//! Idempotency keys: a fresh key per call unless the caller gives one, the same key on every
//! attempt of a call, a `POST` with a key retried as if idempotent, and the key in the trace.

mod support;

use std::time::Duration;

use restruct::{Client, Endpoint, RequestWriter, RetryPolicy};
use support::{Reply, TestServer, Traces};

/// `POST /v1/charges` with an `Idempotency-Key`, written by hand (the attribute's
/// `idempotency_key = ".."` generates the same).
struct CreateCharge {
    amount: u64,
}

impl Endpoint for CreateCharge {
    type Response = serde_json::Value;
    type Error = serde_json::Value;
    const METHOD: http::Method = http::Method::POST;
    const PATH: &'static str = "/v1/charges";

    fn idempotency_key_header() -> Option<http::HeaderName> {
        Some(http::HeaderName::from_static("idempotency-key"))
    }

    fn write_request(&self, req: &mut RequestWriter<'_>) {
        req.path_literal("/v1/charges");
        req.form_body("amount", &[("amount", self.amount)]);
    }
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(server.url())
        .retry(
            RetryPolicy::exponential()
                .initial_interval(Duration::from_millis(1))
                .jitter(false),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_post_with_a_key_is_retried_with_the_same_key() {
    let server = TestServer::start().await;
    server.reply(Reply::status(503));
    server.reply(Reply::json(200, serde_json::json!({"id": "ch_1"})));
    server.reply(Reply::json(200, serde_json::json!({"id": "ch_2"})));
    let traces = Traces::capture();
    let client = client(&server);
    let charge = CreateCharge { amount: 500 };
    assert_eq!(client.send(&charge).await.unwrap()["id"], "ch_1");
    assert_eq!(client.send(&charge).await.unwrap()["id"], "ch_2");
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "the 503 was retried");
    let keys: Vec<_> = requests
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    assert_eq!(keys[0], keys[1], "one key across the attempts of a call");
    assert_ne!(keys[1], keys[2], "a fresh key per call");
    assert_eq!(keys[0].len(), 36);
    assert_eq!(&keys[0][14..15], "4", "a UUID v4: {}", keys[0]);
    assert!(
        traces
            .text()
            .contains(&format!("idempotency_key=\"{}\"", keys[0])),
        "{}",
        traces.text()
    );
}

#[tokio::test]
async fn a_key_the_caller_gives_is_used_as_it_is() {
    let server = TestServer::start().await;
    server.reply(Reply::status(503));
    server.reply(Reply::json(200, serde_json::json!({"id": "ch_1"})));
    let client = client(&server);
    let charge = CreateCharge { amount: 500 };
    client
        .call(&charge)
        .idempotency_key("order-6735")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("idempotency-key"), Some("order-6735"));
    }
}

#[tokio::test]
async fn a_redirect_keeps_the_key_of_its_call() {
    let server = TestServer::start().await;
    server.reply(Reply::status(307).header("location", "/v1/charges/retry-here"));
    server.reply(Reply::json(200, serde_json::json!({"id": "ch_1"})));
    client(&server)
        .send(&CreateCharge { amount: 500 })
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[1].path(), "/v1/charges/retry-here");
    assert_eq!(&requests[1].body[..], b"amount=500");
    assert_eq!(
        requests[0].header("idempotency-key"),
        requests[1].header("idempotency-key")
    );
}
