//! Each variant of `restruct::Error`, produced by a real exchange (or a real refusal to make one).

mod support;

use std::time::Duration;

use restruct::{endpoint, Client, Error};
use serde::{Deserialize, Serialize};
use support::{RawServer, Reply, TestServer};

#[derive(Debug, Clone, Default, Serialize)]
struct TokenBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct Token {
    jwt: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ClerkErrors {
    errors: Vec<ClerkError>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ClerkError {
    message: String,
    long_message: String,
    code: String,
}

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = Token, error = ClerkErrors)]
#[derive(Debug, Clone)]
struct CreateToken {
    session_id: String,
    template_name: String,
    #[header("X-Trace")]
    trace: Option<String>,
    #[body]
    request_body: Option<TokenBody>,
}

fn create_token(session_id: &str, template_name: &str) -> CreateToken {
    CreateToken {
        session_id: session_id.into(),
        template_name: template_name.into(),
        trace: None,
        request_body: None,
    }
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.url()))
        .bearer_auth("sk_test_errors")
        .build()
        .unwrap()
}

// ---- Validation -----------------------------------------------------------------------------

#[tokio::test]
async fn empty_and_dot_path_values_are_refused_and_nothing_is_sent() {
    let server = TestServer::start().await;
    let client = client(&server);
    for bad in ["", ".", ".."] {
        let err = create_token(bad, "t").send(&client).await.unwrap_err();
        assert!(err.is_validation(), "{bad:?}: {err:?}");
        assert_eq!(err.status(), None);
        let Error::Validation(errors) = &err else {
            unreachable!()
        };
        assert_eq!(errors.len(), 1, "{errors}");
        let v = &errors.violations()[0];
        assert_eq!(v.field, "session_id");
        assert_eq!(v.rule, "path");
        assert_eq!(v.value.as_deref(), Some(bad));
        let shown = err.to_string();
        assert!(
            shown.starts_with("invalid request: `session_id` must not be"),
            "{shown}"
        );
    }
    // The same refusal for the other placeholder.
    let err = create_token("sess_1", "..")
        .send(&client)
        .await
        .unwrap_err();
    assert!(err.validation().unwrap().has("template_name"));
    assert!(server.requests().is_empty(), "{:#?}", server.requests());
}

#[tokio::test]
async fn dots_inside_a_value_are_fine() {
    let server = TestServer::start().await;
    server.reply(Reply::json(200, serde_json::json!({"jwt": "j"})));
    create_token("...", "a.b")
        .send(&client(&server))
        .await
        .unwrap();
    assert_eq!(
        server.single_request().target,
        "/v1/sessions/.../tokens/a.b"
    );
}

#[tokio::test]
async fn header_value_with_a_newline_is_refused_without_showing_it() {
    let server = TestServer::start().await;
    let mut req = create_token("sess_1", "t");
    req.trace = Some("abc\r\nX-Injected: 1".into());
    let err = req.send(&client(&server)).await.unwrap_err();
    let errors = err.validation().expect("a validation error");
    assert_eq!(errors.len(), 1);
    let v = &errors.violations()[0];
    assert_eq!((v.field.as_str(), v.rule), ("trace", "header"));
    assert_eq!(v.value, None, "header values may be secrets");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("Injected"), "{shown}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn header_value_with_control_characters_is_refused() {
    let server = TestServer::start().await;
    let client = client(&server);
    for bad in ["a\0b", "a\x7fb", "a\rb", "\x1b[31m"] {
        let mut req = create_token("sess_1", "t");
        req.trace = Some(bad.into());
        let err = req.send(&client).await.unwrap_err();
        assert!(err.validation().unwrap().has("trace"), "{bad:?}: {err}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn every_violation_is_reported_at_once() {
    let server = TestServer::start().await;
    let req = CreateToken {
        session_id: String::new(),
        template_name: ".".into(),
        trace: Some("\n".into()),
        request_body: Some(TokenBody::default()),
    };
    let err = req.send(&client(&server)).await.unwrap_err();
    let errors = err.validation().unwrap();
    let fields: Vec<_> = errors
        .violations()
        .iter()
        .map(|v| (v.field.as_str(), v.rule))
        .collect();
    assert_eq!(
        fields,
        [
            ("session_id", "path"),
            ("template_name", "path"),
            ("trace", "header")
        ]
    );
    let shown = err.to_string();
    assert!(
        shown.starts_with("invalid request: 3 problems\n  - `session_id`"),
        "{shown}"
    );
    // `validate()` finds the same, without a client.
    assert_eq!(req.validate().unwrap_err(), errors.clone());
    assert!(server.requests().is_empty());
}

// ---- Api ------------------------------------------------------------------------------------

#[tokio::test]
async fn api_error_keeps_status_headers_raw_body_and_parses_the_error_type() {
    let server = TestServer::start().await;
    let body = r#"{"errors":[{"message":"not found","long_message":"Session not found","code":"resource_not_found"}]}"#;
    server.reply(
        Reply::status(404)
            .header("content-type", "application/json")
            .header("x-request-id", "req_42")
            .body(body),
    );
    let err = create_token("sess_missing", "t")
        .send(&client(&server))
        .await
        .unwrap_err();
    assert!(err.is_api(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let Error::Api(api) = &err else {
        unreachable!()
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.headers["x-request-id"], "req_42");
    assert_eq!(&api.body[..], body.as_bytes());
    assert_eq!(
        api.parsed,
        Some(ClerkErrors {
            errors: vec![ClerkError {
                message: "not found".into(),
                long_message: "Session not found".into(),
                code: "resource_not_found".into(),
            }]
        })
    );
    assert!(err.to_string().contains("404"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn api_error_with_an_html_body_keeps_it_raw_and_parses_nothing() {
    let server = TestServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    server.reply(
        Reply::status(502)
            .header("content-type", "text/html")
            .body(html),
    );
    let err = create_token("sess_1", "t")
        .send(&client(&server))
        .await
        .unwrap_err();
    let api = err.api().expect("an api error");
    assert_eq!(api.status, 502);
    assert_eq!(api.parsed, None);
    assert_eq!(api.body_text(), html);
    assert_eq!(api.headers["content-type"], "text/html");
    let shown = err.to_string();
    assert!(
        shown.contains("502") && shown.contains("Bad Gateway"),
        "{shown}"
    );
}

#[tokio::test]
async fn api_error_json_of_another_shape_or_empty_parses_nothing() {
    let server = TestServer::start().await;
    server
        .reply(Reply::json(422, serde_json::json!({"message": "nope"})))
        .reply(Reply::status(500))
        .reply(Reply::status(429).body(vec![0xff, 0xfe, b'{']));
    let client = client(&server);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let err = create_token("sess_1", "t").send(&client).await.unwrap_err();
        let api = err.api().expect("an api error");
        assert_eq!(api.parsed, None, "{api:?}");
        seen.push((api.status.as_u16(), api.body.len()));
    }
    assert_eq!(seen, [(422, 18), (500, 0), (429, 3)]);
}

#[endpoint(GET, "/health")]
struct Health {}

#[tokio::test]
async fn default_error_type_is_any_json() {
    let server = TestServer::start().await;
    server
        .reply(Reply::json(503, serde_json::json!({"status": "down"})))
        .reply(Reply::status(503).body("down"));
    let client = client(&server);
    let err = Health {}.send(&client).await.unwrap_err();
    assert_eq!(
        err.api().unwrap().parsed,
        Some(serde_json::json!({"status": "down"}))
    );
    let err = Health {}.send(&client).await.unwrap_err();
    assert_eq!(err.api().unwrap().parsed, None);
    assert_eq!(&err.api().unwrap().body[..], b"down");
}

// ---- Decode ---------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Page {
    data: Vec<Item>,
    total_count: u64,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
}

#[endpoint(GET, "/items", response = Page)]
struct ListItems {}

#[tokio::test]
async fn decode_error_names_the_json_path() {
    let server = TestServer::start().await;
    let body = r#"{"data":[{"id":"a"},{"id":7}],"total_count":2}"#;
    server.reply(
        Reply::status(200)
            .header("content-type", "application/json")
            .header("x-request-id", "req_7")
            .body(body),
    );
    let err = ListItems {}.send(&client(&server)).await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    let Error::Decode(decode) = &err else {
        unreachable!()
    };
    assert_eq!(decode.path, "data[1].id");
    assert_eq!(decode.status, 200);
    assert_eq!(decode.headers["x-request-id"], "req_7");
    assert_eq!(&decode.body[..], body.as_bytes());
    assert!(decode.snippet.contains(r#"{"id":7}"#), "{}", decode.snippet);
    let shown = err.to_string();
    assert!(shown.contains("at `data[1].id`"), "{shown}");
}

#[tokio::test]
async fn decode_snippet_is_bounded_and_near_the_failure() {
    let server = TestServer::start().await;
    let padding = "x".repeat(10_000);
    let body =
        format!(r#"{{"pad":"{padding}","data":[{{"id":"ok"}},{{"id":false}}],"total_count":2}}"#);
    server.reply(Reply::status(200).body(body.clone()));
    let err = ListItems {}.send(&client(&server)).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.path, "data[1].id");
    assert_eq!(decode.body.len(), body.len());
    let snippet = &decode.snippet;
    assert!(snippet.starts_with('…'), "{snippet}");
    assert!(snippet.contains(r#"{"id":false}"#), "{snippet}");
    let shown_bytes = snippet.trim_start_matches('…').trim_end_matches('…').len();
    assert!(shown_bytes <= 200, "{shown_bytes} bytes: {snippet}");
    assert!(err.to_string().len() < 600, "{err}");
}

#[tokio::test]
async fn decode_error_for_html_empty_and_missing_fields() {
    let server = TestServer::start().await;
    server
        .reply(Reply::status(200).body("<html>maintenance</html>"))
        .reply(Reply::status(200))
        .reply(Reply::json(200, serde_json::json!({"data": []})))
        .reply(Reply::status(200).body(r#"{"data":[],"total_count":0} trailing"#));
    let client = client(&server);
    let mut paths = Vec::new();
    for _ in 0..4 {
        let err = ListItems {}.send(&client).await.unwrap_err();
        let Error::Decode(decode) = err else {
            panic!("expected a decode error, got {err:?}")
        };
        paths.push(decode.path);
    }
    assert_eq!(paths, ["", "", "", ""]);
}

// ---- Transport ------------------------------------------------------------------------------

#[tokio::test]
async fn refused_connection_is_a_transport_error() {
    let client = Client::builder()
        .base_url(support::refused_url())
        .bearer_auth("sk_test_refused")
        .build()
        .unwrap();
    let err = create_token("sess_1", "t").send(&client).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    let Error::Transport(transport) = &err else {
        unreachable!()
    };
    assert!(transport.is_connect(), "{transport:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("sk_test_refused"), "{shown}");
    // The filled-in URL may hold values a user would not log; the error drops it.
    assert!(!shown.contains("sess_1"), "{shown}");
}

#[tokio::test]
async fn slow_reply_is_a_timeout() {
    let server = TestServer::start().await;
    server
        .reply(Reply::json(200, serde_json::json!({"jwt": "late"})).delay(Duration::from_secs(10)));
    let client = Client::builder()
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = create_token("sess_1", "t").send(&client).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert!(err.is_timeout(), "{err:?}");
    // The request did reach the server before the client gave up.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn connection_closed_without_a_reply_is_a_transport_error() {
    let server = RawServer::start(Vec::new()).await;
    let client = Client::new(server.url()).unwrap();
    let err = Health {}.send(&client).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert!(!err.is_timeout());
    assert_eq!(server.heads().len(), 1);
}

#[tokio::test]
async fn body_cut_short_is_a_transport_error() {
    let server = RawServer::start(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"jwt\":\"a.b",
    )
    .await;
    let client = Client::new(server.url()).unwrap();
    let err = create_token("sess_1", "t").send(&client).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    let server = RawServer::start("SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
    let client = Client::new(server.url()).unwrap();
    let err = Health {}.send(&client).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
}

// ---- TooLarge -------------------------------------------------------------------------------

#[tokio::test]
async fn declared_length_over_the_limit_is_too_large() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        200,
        serde_json::json!({"jwt": "x".repeat(1000)}),
    ));
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(64)
        .build()
        .unwrap();
    let err = create_token("sess_1", "t").send(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { limit: 64, status, .. } if status == 200),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(err.to_string().contains("64 bytes"), "{err}");
}

#[tokio::test]
async fn streamed_body_over_the_limit_is_too_large() {
    // Chunked, so the size is known only while reading.
    let mut response =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    for _ in 0..10 {
        response.extend_from_slice(b"20\r\n");
        response.extend_from_slice(&[b' '; 0x20]);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    let server = RawServer::start(response).await;
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(100)
        .build()
        .unwrap();
    let err = Health {}.send(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { limit: 100, status, .. } if status == 200),
        "{err:?}"
    );
}

#[tokio::test]
async fn body_exactly_at_the_limit_is_read() {
    let server = TestServer::start().await;
    let body = r#"{"jwt":"a.b.c"}"#;
    server.reply(Reply::status(200).body(body));
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(body.len())
        .build()
        .unwrap();
    let token = create_token("sess_1", "t").send(&client).await.unwrap();
    assert_eq!(token.jwt, "a.b.c");
}

#[tokio::test]
async fn error_body_over_the_limit_is_too_large_with_its_status() {
    let server = TestServer::start().await;
    server.reply(Reply::status(500).body(vec![b'e'; 4096]));
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(1024)
        .build()
        .unwrap();
    let err = create_token("sess_1", "t").send(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(
        matches!(err, Error::TooLarge { limit: 1024, .. }),
        "{err:?}"
    );
}

#[endpoint(HEAD, "/files/<name>")]
struct HeadFile {
    name: String,
}

#[tokio::test]
async fn head_response_declaring_a_large_body_is_not_too_large() {
    // A HEAD response carries the length of the body a GET would get, but no body.
    let server = RawServer::start("HTTP/1.1 200 OK\r\ncontent-length: 1000000000\r\n\r\n").await;
    let client = Client::builder()
        .base_url(server.url())
        .max_response_size(1024)
        .build()
        .unwrap();
    HeadFile {
        name: "big.iso".into(),
    }
    .send(&client)
    .await
    .unwrap();
    assert!(server.heads()[0].starts_with("HEAD /files/big.iso HTTP/1.1\r\n"));
}

// ---- values that do not serialize -----------------------------------------------------------

/// A struct in a query style that cannot carry it: its `Serialize` is not visible at compile
/// time (a known map type is a compile error, see `tests/ui/query-map-without-style.rs`).
#[derive(serde::Serialize)]
struct ReportFilter {
    a: String,
}

/// A form body carries nested maps and sequences (`tags[0]=x`), but not a map whose keys are
/// not strings.
#[endpoint(POST, "/reports", form)]
struct CreateReport {
    #[query]
    filters: ReportFilter,
    title: String,
    tags: std::collections::HashMap<(u8, u8), String>,
}

#[endpoint(POST, "/points")]
struct AddPoints {
    #[body]
    points: std::collections::HashMap<(u8, u8), u8>,
}

#[tokio::test]
async fn values_that_do_not_serialize_are_violations_and_nothing_is_sent() {
    let server = TestServer::start().await;
    let client = client(&server);
    let err = CreateReport {
        filters: ReportFilter { a: "b".into() },
        title: "t".into(),
        tags: [((1, 2), "x".into())].into(),
    }
    .send(&client)
    .await
    .unwrap_err();
    let rules: Vec<_> = err
        .validation()
        .expect("a validation error")
        .violations()
        .iter()
        .map(|v| (v.field.as_str(), v.rule))
        .collect();
    assert_eq!(rules, [("filters", "query"), ("body", "body")], "{err}");

    let err = AddPoints {
        points: [((1, 2), 3)].into(),
    }
    .send(&client)
    .await
    .unwrap_err();
    let errors = err.validation().expect("a validation error");
    assert_eq!(errors.violations()[0].rule, "body", "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn decode_snippet_cut_inside_a_multibyte_character_does_not_panic() {
    let server = TestServer::start().await;
    let client = client(&server);
    let mut starts = Vec::new();
    // Two-byte characters before the failure; one of the two alignments puts the snippet's
    // start inside one of them.
    for pad in ["", "x"] {
        let name = format!("{}{pad}", "é".repeat(300));
        let body = format!(r#"{{"data":[{{"id":"{name}"}},{{"id":[]}}],"total_count":2}}"#);
        server.reply(Reply::status(200).body(body));
        let err = ListItems {}.send(&client).await.unwrap_err();
        let Error::Decode(decode) = &err else {
            panic!("expected a decode error, got {err:?}")
        };
        assert_eq!(decode.path, "data[1].id");
        assert!(
            decode.snippet.contains(r#"{"id":[]}"#),
            "{}",
            decode.snippet
        );
        starts.push(decode.snippet.chars().nth(1).unwrap());
    }
    starts.sort();
    assert_eq!(starts, ['é', '\u{fffd}']);
}
