//! The `blocking` feature passes the runtime's core tests: the same server on 127.0.0.1 (in a
//! runtime on its own thread), the same endpoints, sent from synchronous code.
#![cfg(feature = "blocking")]

mod support;

use std::time::Duration;

use restruct::{endpoint, BlockingClient, CallOptions, RetryPolicy};
use serde_json::json;
use support::things::{fast, get, thing, CreateThing, CreateThingIdempotently, TestClock, Thing};
use support::{Reply, TestServer, Traces};

/// A crate that re-exports restruct, as an SDK would: `send_blocking` is generated through the
/// re-export too.
mod sdk {
    pub use restruct as rt;
}

#[endpoint(GET, "/things/<id>", response = Thing, crate = crate::sdk::rt)]
pub struct GetThingReexported {
    pub id: String,
}

fn client(server: &TestServer, policy: RetryPolicy) -> BlockingClient {
    BlockingClient::builder()
        .base_url(server.url())
        .retry(policy)
        .build()
        .unwrap()
}

/// A client whose retries wait on `clock`.
fn client_on(server: &TestServer, policy: RetryPolicy, clock: &TestClock) -> BlockingClient {
    BlockingClient::builder()
        .base_url(server.url())
        .retry(policy)
        .retry_clock(clock.clone())
        .build()
        .unwrap()
}

#[test]
fn sends_and_decodes_with_the_generated_method() {
    let server = TestServer::start_in_thread();
    server.reply(thing("a"));
    let client = BlockingClient::builder()
        .base_url(format!("{}/v1/", server.url()))
        .bearer_auth("sk_test")
        .build()
        .unwrap();
    assert_eq!(get("a b").send_blocking(&client).unwrap().id, "a");
    let sent = server.single_request();
    assert_eq!(sent.target, "/v1/things/a%20b");
    assert_eq!(sent.header("authorization"), Some("Bearer sk_test"));
    assert!(sent.header("user-agent").unwrap().starts_with("restruct/"));

    // Validation happens before anything is sent.
    let err = get("..").send_blocking(&client).unwrap_err();
    assert!(err.is_validation(), "{err:?}");
    assert_eq!(server.requests().len(), 1);

    server.reply(thing("b"));
    let req = GetThingReexported { id: "b".into() };
    assert_eq!(req.send_blocking(&client).unwrap().id, "b");
    assert_eq!(server.requests()[1].target, "/v1/things/b");
}

#[test]
fn service_unavailable_twice_then_ok_on_the_third_attempt() {
    let server = TestServer::start_in_thread();
    server
        .reply(Reply::status(503))
        .reply(Reply::status(503))
        .reply(thing("a").header("x-attempt", "3"));
    let traces = Traces::capture();
    let client = client(&server, fast());
    let response = client.call(&get("a")).full().send().unwrap();
    assert_eq!(response.body.id, "a");
    assert_eq!(response.headers["x-attempt"], "3");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(traces.retries().len(), 2, "{}", traces.text());
}

#[test]
fn the_api_error_is_the_last_attempts() {
    let server = TestServer::start_in_thread();
    server
        .reply(Reply::json(503, json!({"n": 1})))
        .reply(Reply::json(502, json!({"n": 2})).header("x-attempt", "2"));
    let client = client(&server, fast().max_attempts(2));
    let err = get("a").send_blocking(&client).unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status, 502);
    assert_eq!(api.headers["x-attempt"], "2");
    assert_eq!(api.parsed, Some(json!({"n": 2})));
}

#[test]
fn too_many_requests_waits_for_retry_after_capped() {
    let server = TestServer::start_in_thread();
    server
        .reply(Reply::status(429).header("retry-after", "1"))
        .reply(thing("a"));
    let traces = Traces::capture();
    let clock = TestClock::new();
    let client = client_on(
        &server,
        fast().max_interval(Duration::from_millis(30)),
        &clock,
    );
    get("a").send_blocking(&client).unwrap();
    assert_eq!(clock.waited(), Duration::from_millis(30));
    assert_eq!(server.requests().len(), 2);
    let retries = traces.retries();
    assert!(retries[0].contains("reason=status 429"), "{retries:#?}");
    assert!(retries[0].contains("delay_ms=30"), "{retries:#?}");
}

#[test]
fn a_post_is_retried_only_when_idempotent() {
    let server = TestServer::start_in_thread();
    let client = client(&server, fast());
    server.reply(Reply::status(503)).reply(thing("a"));
    let err = CreateThing { name: "x".into() }
        .send_blocking(&client)
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1);

    let server = TestServer::start_in_thread();
    let client = self::client(&server, fast());
    server.reply(Reply::status(503)).reply(thing("b"));
    let made = CreateThingIdempotently { name: "x".into() }
        .send_blocking(&client)
        .unwrap();
    assert_eq!(made.id, "b");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn max_elapsed_time_stops_retrying() {
    let server = TestServer::start_in_thread();
    server
        .reply(Reply::status(503).header("retry-after", "1"))
        .reply(thing("a"));
    let policy = fast().max_elapsed_time(Duration::from_millis(300));
    let clock = TestClock::new();
    let err = get("a")
        .send_blocking(&client_on(&server, policy, &clock))
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_per_call_timeout_beats_the_clients() {
    let server = TestServer::start_in_thread();
    server.reply(thing("a").delay(Duration::from_millis(500)));
    let client = BlockingClient::builder()
        .base_url(server.url())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let options = CallOptions::new().timeout(Duration::from_millis(50));
    let err = client.call(&get("a")).options(&options).send().unwrap_err();
    assert!(err.is_timeout(), "{err:?}");

    server.reply(thing("b").delay(Duration::from_millis(300)));
    let client = BlockingClient::builder()
        .base_url(server.url())
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let options = CallOptions::new().timeout(Duration::from_secs(30));
    assert_eq!(
        client.call(&get("b")).options(&options).send().unwrap().id,
        "b"
    );
}

#[test]
fn no_timeout_unless_configured() {
    // reqwest's blocking client would give up after 30 s by default; ours waits like the async
    // one. A short delay is enough to see that the call is not cut by a default.
    let server = TestServer::start_in_thread();
    server.reply(thing("a").delay(Duration::from_millis(200)));
    let client = BlockingClient::new(server.url()).unwrap();
    assert_eq!(get("a").send_blocking(&client).unwrap().id, "a");
}

#[test]
fn a_too_large_body_is_an_error() {
    let server = TestServer::start_in_thread();
    // The declared Content-Length is over the limit.
    server.reply(thing(&"x".repeat(4096)));
    let client = BlockingClient::builder()
        .base_url(server.url())
        .max_response_size(1024)
        .build()
        .unwrap();
    let err = get("a").send_blocking(&client).unwrap_err();
    assert!(
        matches!(err, restruct::Error::TooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    server.reply(thing("small"));
    assert_eq!(get("a").send_blocking(&client).unwrap().id, "small");

    // No Content-Length: the limit is enforced while reading (whitespace is valid JSON padding
    // but never decoded: 8 KiB of it do not fit in 1 KiB).
    let client = BlockingClient::builder()
        .base_url(support::serve_chunked(8, 1024))
        .max_response_size(1024)
        .build()
        .unwrap();
    let err = get("a").send_blocking(&client).unwrap_err();
    assert!(
        matches!(err, restruct::Error::TooLarge { limit: 1024, .. }),
        "{err:?}"
    );
}

#[test]
fn per_call_headers_and_base_url() {
    let server = TestServer::start_in_thread();
    let other = TestServer::start_in_thread();
    other.reply(thing("a"));
    let client = BlockingClient::builder()
        .base_url(server.url())
        .default_header("x-team", "blue")
        .build()
        .unwrap();
    let options = CallOptions::new()
        .header("x-team", "red")
        .base_url(format!("{}/v2", other.url()));
    client.call(&get("a")).options(&options).send().unwrap();
    assert!(server.requests().is_empty());
    let sent = other.single_request();
    assert_eq!(sent.target, "/v2/things/a");
    assert_eq!(sent.header("x-team"), Some("red"));
}

#[test]
fn the_token_never_reaches_traces_or_errors() {
    const TOKEN: &str = "sk_live_TOPSECRET_77";
    let server = TestServer::start_in_thread();
    server
        .reply(Reply::status(500))
        .reply(Reply::json(403, json!({"errors": []})));
    let traces = Traces::capture();
    let client = BlockingClient::builder()
        .base_url(server.url())
        .bearer_auth(TOKEN)
        .retry(fast())
        .build()
        .unwrap();
    let err = get("user_31337").send_blocking(&client).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    let text = traces.text();
    assert_eq!(traces.retries().len(), 1, "{text}");
    assert!(text.contains(r#"path="/things/<id>""#), "{text}");
    assert!(!text.contains("TOPSECRET"), "{text}");
    assert!(!text.contains("user_31337"), "{text}");
    for shown in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains("TOPSECRET"), "{shown}");
    }
}
