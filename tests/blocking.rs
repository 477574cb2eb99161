//! What only the blocking client has (`send_blocking`, its timeout default, its size limit on
//! a body read in full). The scenarios both clients share (retries, per-call options, limits,
//! tracing, secrets) are defined once in `tests/runtime.rs` and run against both.
#![cfg(feature = "blocking")]

mod support;

use std::time::Duration;

use restruct::{endpoint, BlockingClient};
use support::things::{get, thing, Thing};
use support::TestServer;

/// A crate that re-exports restruct, as an SDK would: `send_blocking` is generated through the
/// re-export too.
mod sdk {
    pub use restruct as rt;
}

#[endpoint(GET, "/things/<id>", response = Thing, crate = crate::sdk::rt)]
pub struct GetThingReexported {
    pub id: String,
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
