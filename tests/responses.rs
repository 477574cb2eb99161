//! The response shapes that live in the client: compressed bodies, streamed downloads, NDJSON
//! items one by one, `304 Not Modified` as an outcome; and the credentials the client carries
//! (basic auth, API keys in a header or the query, cookies). Each against a real local server,
//! checked from the raw request it received.

mod support;

use std::io::Write as _;

use futures_util::StreamExt as _;
use restruct::{endpoint, Client, Conditional, Error};
use serde::Deserialize;
use support::{Reply, TestServer};

#[derive(Debug, Deserialize, PartialEq)]
struct Event {
    seq: u32,
    kind: String,
}

#[endpoint(GET, "/events", response = Vec<Event>)]
struct ListEvents {}

#[endpoint(GET, "/files/<name>", response = serde_json::Value)]
struct GetFile {
    name: String,
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn compressed_responses_are_decoded_and_accept_encoding_is_sent() {
    let server = TestServer::start().await;
    let body = br#"[{"seq":1,"kind":"created"},{"seq":2,"kind":"deleted"}]"#;
    server.reply(
        Reply::status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(gzip(body)),
    );
    let client = Client::new(server.url()).unwrap();
    let events = ListEvents {}.send(&client).await.unwrap();
    assert_eq!(
        events[1],
        Event {
            seq: 2,
            kind: "deleted".into()
        }
    );
    let sent = server.single_request();
    let accepted = sent.header("accept-encoding").unwrap();
    for encoding in ["gzip", "br", "deflate", "zstd"] {
        assert!(accepted.contains(encoding), "{accepted}");
    }
}

#[tokio::test]
async fn a_download_streams_past_the_size_limit() {
    let server = TestServer::start().await;
    let big: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    server.reply(Reply::status(200).body(big.clone()));
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(64 * 1024)
        .build()
        .unwrap();
    let file = GetFile {
        name: "big.bin".into(),
    };
    let response = client.call(&file).bytes_stream().await.unwrap();
    assert_eq!(response.status, 200);
    let mut chunks = response.body;
    let mut got = Vec::new();
    while let Some(chunk) = chunks.next().await {
        got.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(got.len(), big.len());
    assert!(got == big);

    // A non-2xx is still the endpoint's error, read under the limit.
    server.reply(Reply::json(
        404,
        serde_json::json!({"error": "no such file"}),
    ));
    let err = client.call(&file).bytes_stream().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn ndjson_items_come_one_by_one_and_a_bad_line_is_a_decode_error() {
    let server = TestServer::start().await;
    server.reply(
        Reply::status(200)
            .header("content-type", "application/x-ndjson")
            .body("{\"seq\":1,\"kind\":\"a\"}\n\n{\"seq\":2,\"kind\":\"b\"}\r\n{\"seq\":\"x\"}\n"),
    );
    let client = Client::new(server.url()).unwrap();
    let mut items = client.call(&ListEvents {}).ndjson::<Event>().await.unwrap();
    assert_eq!(items.next().await.unwrap().unwrap().seq, 1);
    assert_eq!(items.next().await.unwrap().unwrap().kind, "b");
    let err = items.next().await.unwrap().unwrap_err();
    let decode = err.decode().expect("Decode");
    assert_eq!(&decode.body[..], b"{\"seq\":\"x\"}\n");
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn not_modified_is_an_outcome_of_a_conditional_call() {
    let server = TestServer::start().await;
    server.reply(Reply::json(200, serde_json::json!({"v": 1})).header("etag", "\"v1\""));
    server.reply(Reply::status(304).header("etag", "\"v1\""));
    let client = Client::new(server.url()).unwrap();
    let file = GetFile {
        name: "a.json".into(),
    };
    let Conditional::Modified(first) = client.call(&file).conditional().await.unwrap() else {
        panic!("the first call has no condition");
    };
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    let again = client
        .call(&file)
        .header("If-None-Match", &etag)
        .conditional()
        .await;
    let Ok(Conditional::NotModified(headers)) = again else {
        panic!("304 is NotModified, not {again:?}");
    };
    assert_eq!(headers["etag"], "\"v1\"");
    assert_eq!(server.requests()[1].header("if-none-match"), Some("\"v1\""));

    // Without `conditional`, a 304 is what it always was: not a 2xx.
    server.reply(Reply::status(304));
    let err = client.call(&file).await.unwrap_err();
    assert!(
        matches!(err, Error::Api(ref api) if api.status == 304),
        "{err:?}"
    );
}

#[tokio::test]
async fn basic_auth_and_api_keys_reach_the_server_and_no_debug() {
    let server = TestServer::start().await;
    for _ in 0..3 {
        server.reply(Reply::json(200, serde_json::json!({})));
    }
    let client = Client::builder()
        .base_url(server.url())
        .basic_auth("user_1", Some("pa55word"))
        .api_key_header("X-Api-Key", "key_live_1")
        .api_key_query("api_key", "q_live_1")
        .build()
        .unwrap();
    let file = GetFile { name: "a".into() };
    file.send(&client).await.unwrap();
    client
        .call(&file)
        .basic_auth("other", None::<&str>)
        .await
        .unwrap();
    let requests = server.requests();
    // base64("user_1:pa55word"), base64("other:")
    assert_eq!(
        requests[0].header("authorization"),
        Some("Basic dXNlcl8xOnBhNTV3b3Jk")
    );
    assert_eq!(requests[1].header("authorization"), Some("Basic b3RoZXI6"));
    assert_eq!(requests[0].header("x-api-key"), Some("key_live_1"));
    assert_eq!(requests[0].target, "/files/a?api_key=q_live_1");
    let shown = format!("{client:?}");
    for secret in ["pa55word", "dXNlcl8xOnBhNTV3b3Jk", "key_live_1", "q_live_1"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[cfg(feature = "cookies")]
#[tokio::test]
async fn the_cookie_store_sends_back_what_the_server_set() {
    let server = TestServer::start().await;
    server
        .reply(Reply::json(200, serde_json::json!({})).header("set-cookie", "session=s_1; Path=/"));
    server.reply(Reply::json(200, serde_json::json!({})));
    let client = Client::builder()
        .base_url(server.url())
        .cookie_store(true)
        .build()
        .unwrap();
    let file = GetFile { name: "a".into() };
    file.send(&client).await.unwrap();
    file.send(&client).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header("cookie"), None);
    assert_eq!(requests[1].header("cookie"), Some("session=s_1"));
}
