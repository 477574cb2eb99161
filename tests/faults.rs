//! The fault matrix: real local servers (raw TCP where a well-behaved server would not do it)
//! that misbehave in every way RELIABILITY.md lists. Each fault gives its documented variant,
//! with no panic, no hang (every case is bounded by a short timeout) and no secret in any output:
//! `Display`, `Debug`, the source chain, or the traces.

mod support;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use restruct::{endpoint, Client, Error, RedirectPolicy, TransportErrorKind};
use serde::Deserialize;
use support::{refused_url, Reply, TestServer, Traces};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

const SECRETS: [&str; 4] = ["sk_live_SECRET", "key_SECRET", "tok_SECRET", "q_SECRET"];

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    id: String,
    count: u32,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ApiErrors {
    errors: Vec<String>,
}

#[endpoint(POST, "/items/<id>", response = Item, error = ApiErrors)]
struct PutItem {
    id: String,
    #[header("X-Session-Token")]
    token: String,
    note: String,
}

fn put() -> PutItem {
    PutItem {
        id: "it_1".into(),
        token: "tok_SECRET".into(),
        note: "body".into(),
    }
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_auth("sk_live_SECRET")
        .sensitive_header("X-Api-Key", "key_SECRET")
        .api_key_query("api_key", "q_SECRET")
        .timeout(Duration::from_millis(300))
        .max_response_size(64 * 1024)
        .build()
        .unwrap()
}

/// Sends the request and checks that nothing it printed, traced or chained holds a secret.
async fn call(base_url: &str) -> Error<ApiErrors> {
    let traces = Traces::capture();
    let client = client(base_url);
    let err = put()
        .send(&client)
        .await
        .expect_err("the fault is an error");
    let mut shown = format!("{err}\n{err:?}\n{client:?}\n{}", traces.text());
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        shown.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{secret} shown in:\n{shown}");
    }
    err
}

fn kind(err: &Error<ApiErrors>) -> TransportErrorKind {
    err.transport()
        .unwrap_or_else(|| panic!("a transport error, not {err:?}"))
        .kind()
}

/// A TCP server that hands each connection, after reading the request, to `script`.
async fn raw<F, Fut>(script: F) -> String
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let script = Arc::new(script);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let script = Arc::clone(&script);
            tokio::spawn(async move {
                read_request(&mut stream).await;
                script(stream).await;
            });
        }
    });
    format!("http://{addr}")
}

async fn read_request(stream: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

async fn write(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
    let _ = stream.flush().await;
}

/// Closes with a TCP reset instead of a FIN (linger 0; dropping it then does not block).
fn reset(stream: TcpStream) {
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

const HEAD_200: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";

fn reply(status_and_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status_and_headers}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

// ---- connecting and the connection -----------------------------------------------------------

#[tokio::test]
async fn refused() {
    let err = call(&refused_url()).await;
    assert_eq!(kind(&err), TransportErrorKind::Refused);
    assert_eq!(err.to_string(), "POST /items/<id>: connection refused");
}

#[tokio::test]
async fn closed_without_an_answer() {
    let url = raw(|stream| async move { drop(stream) }).await;
    let err = call(&url).await;
    assert_eq!(kind(&err), TransportErrorKind::Closed, "{err:?}");
}

#[tokio::test]
async fn reset_mid_headers() {
    let url = raw(|mut stream| async move {
        write(&mut stream, b"HTTP/1.1 200 OK\r\ncontent-ty").await;
        reset(stream);
    })
    .await;
    let err = call(&url).await;
    assert!(
        matches!(
            kind(&err),
            TransportErrorKind::Reset | TransportErrorKind::Closed
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn reset_mid_body() {
    let url = raw(|mut stream| async move {
        write(&mut stream, HEAD_200).await;
        write(&mut stream, b"content-length: 100\r\n\r\n{\"id\":").await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        reset(stream);
    })
    .await;
    let err = call(&url).await;
    assert!(
        matches!(
            kind(&err),
            TransportErrorKind::Reset | TransportErrorKind::Closed
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn short_body() {
    let url = raw(|mut stream| async move {
        write(&mut stream, HEAD_200).await;
        write(&mut stream, b"content-length: 100\r\n\r\n{\"id\":\"a\"}").await;
    })
    .await;
    let err = call(&url).await;
    assert_eq!(kind(&err), TransportErrorKind::Closed, "{err:?}");
    assert_eq!(
        err.to_string(),
        "POST /items/<id>: the server closed the connection before the response was complete"
    );
}

#[tokio::test]
async fn broken_chunked_encoding() {
    let url = raw(|mut stream| async move {
        write(&mut stream, HEAD_200).await;
        write(
            &mut stream,
            b"transfer-encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n",
        )
        .await;
    })
    .await;
    let err = call(&url).await;
    assert_eq!(kind(&err), TransportErrorKind::InvalidResponse, "{err:?}");
}

#[tokio::test]
async fn bad_status_line() {
    let url = raw(|mut stream| async move {
        write(&mut stream, b"HTTP/1.1 two hundred OK\r\n\r\n").await;
    })
    .await;
    let err = call(&url).await;
    assert_eq!(kind(&err), TransportErrorKind::InvalidResponse, "{err:?}");
    assert_eq!(
        err.to_string(),
        "POST /items/<id>: invalid response from the server"
    );
}

#[tokio::test]
async fn huge_headers() {
    let url = raw(|mut stream| async move {
        write(&mut stream, HEAD_200).await;
        let filler = format!("x-filler: {}\r\n", "a".repeat(8 * 1024));
        for _ in 0..128 {
            write(&mut stream, filler.as_bytes()).await;
        }
        write(&mut stream, b"content-length: 2\r\n\r\n{}").await;
    })
    .await;
    let err = call(&url).await;
    assert_eq!(kind(&err), TransportErrorKind::InvalidResponse, "{err:?}");
}

#[tokio::test]
async fn slow_headers_past_the_timeout() {
    let url = raw(|mut stream| async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        write(&mut stream, &reply("200 OK", "{}")).await;
    })
    .await;
    let err = call(&url).await;
    assert_eq!(
        kind(&err),
        TransportErrorKind::TimedOut(Some(Duration::from_millis(300)))
    );
    assert_eq!(err.to_string(), "POST /items/<id>: timed out after 300 ms");
    assert!(err.is_timeout());
}

#[tokio::test]
async fn slow_body_past_the_timeout() {
    let url = raw(|mut stream| async move {
        write(&mut stream, HEAD_200).await;
        write(&mut stream, b"content-length: 30\r\n\r\n{\"id\":").await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        write(&mut stream, b"\"a\",\"count\":1}").await;
    })
    .await;
    let err = call(&url).await;
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn an_informational_response_before_the_answer_is_skipped() {
    let url = raw(|mut stream| async move {
        write(
            &mut stream,
            b"HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n",
        )
        .await;
        write(&mut stream, &reply("200 OK", r#"{"id":"it_1","count":3}"#)).await;
    })
    .await;
    let item = put().send(&client(&url)).await.unwrap();
    assert_eq!((item.id.as_str(), item.count), ("it_1", 3));
}

// ---- bodies ------------------------------------------------------------------------------------

async fn answer_2xx(body: &'static str) -> Error<ApiErrors> {
    let url = raw(move |mut stream| async move {
        write(&mut stream, &reply("200 OK", body)).await;
    })
    .await;
    call(&url).await
}

#[tokio::test]
async fn bad_2xx_bodies_are_decode_errors_that_say_where() {
    let invalid = answer_2xx(r#"{"id": "a", "count": tru}"#).await;
    let decode = invalid.decode().expect("Decode");
    assert_eq!((decode.path.as_str(), decode.offset), ("", Some(24)));
    assert!(invalid.to_string().contains("at byte 24"), "{invalid}");
    assert!(!invalid.to_string().contains('?'), "{invalid}");

    let truncated = answer_2xx(r#"{"id": "a", "cou"#).await;
    assert!(
        truncated.to_string().contains("EOF while parsing"),
        "{truncated}"
    );

    let wrong_type = answer_2xx(r#"{"id": "a", "count": "3"}"#).await;
    assert_eq!(wrong_type.decode().unwrap().path, "count");
    assert!(
        wrong_type
            .to_string()
            .starts_with("POST /items/<id>: could not decode the 200 OK response at `count`"),
        "{wrong_type}"
    );

    let html = answer_2xx("<html><body>Bad gateway</body></html>").await;
    assert!(
        html.is_decode() && html.to_string().contains("<html>"),
        "{html}"
    );

    let empty = answer_2xx("").await;
    assert!(empty.is_decode(), "{empty:?}");
}

#[tokio::test]
async fn bodies_over_the_limit_with_and_without_a_length() {
    let big = "x".repeat(200 * 1024);
    let declared = reply("200 OK", &big);
    let url = raw(move |mut stream| {
        let declared = declared.clone();
        async move { write(&mut stream, &declared).await }
    })
    .await;
    assert!(call(&url).await.is_too_large());

    let url = raw(|mut stream| async move {
        write(&mut stream, HEAD_200).await;
        write(&mut stream, b"transfer-encoding: chunked\r\n\r\n").await;
        let chunk = format!("4000\r\n{}\r\n", "y".repeat(0x4000));
        // Endless: the client must stop reading at the limit, not buffer it all.
        for _ in 0..1000 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await;
    let err = call(&url).await;
    assert!(
        matches!(err, Error::TooLarge { limit: 65536, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn error_bodies_that_are_not_utf8_or_not_the_error_type_are_kept_raw() {
    let url = raw(|mut stream| async move {
        write(
            &mut stream,
            b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\n\r\n\xff\xfe\x00\x01",
        )
        .await;
    })
    .await;
    let err = call(&url).await;
    let api = err.api().expect("Api");
    assert_eq!(
        (&api.body[..], api.parsed.is_none()),
        (&b"\xff\xfe\x00\x01"[..], true)
    );

    let url = raw(|mut stream| async move {
        write(
            &mut stream,
            &reply("422 Unprocessable Entity", r#"{"message":"other shape"}"#),
        )
        .await;
    })
    .await;
    let err = call(&url).await;
    assert!(err.api().unwrap().parsed.is_none());
    assert!(err.to_string().contains("other shape"), "{err}");
}

// ---- redirects ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_redirect_to_another_origin_carries_no_credential_and_no_body() {
    let other = TestServer::start().await;
    let origin = TestServer::start().await;
    let target = format!("{}/steal", other.url());
    origin.reply(Reply::status(307).header("location", &target));
    let err = call(&origin.url()).await;
    let api = err.api().expect("the 307 is the answer");
    assert_eq!(api.status, 307);
    assert_eq!(api.headers["location"], target.as_str());
    assert!(
        other.requests().is_empty(),
        "nothing reached the other origin"
    );
    assert_eq!(origin.requests().len(), 1);
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_body_on_307() {
    let server = TestServer::start().await;
    server.reply(Reply::status(307).header("location", "/items/moved"));
    server.reply(Reply::json(
        200,
        serde_json::json!({"id": "moved", "count": 1}),
    ));
    let item = put().send(&client(&server.url())).await.unwrap();
    assert_eq!(item.id, "moved");
    let requests = server.requests();
    assert_eq!(requests[1].path(), "/items/moved");
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].json()["note"], "body");
    assert_eq!(requests[1].header("x-api-key"), Some("key_SECRET"));
}

#[tokio::test]
async fn a_redirect_loop_stops_at_the_limit() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    let url = raw(move |mut stream| {
        counted.fetch_add(1, Ordering::SeqCst);
        async move {
            write(
                &mut stream,
                b"HTTP/1.1 302 Found\r\nlocation: /items/it_1\r\ncontent-length: 0\r\n\r\n",
            )
            .await;
        }
    })
    .await;
    let err = call(&url).await;
    assert_eq!(kind(&err), TransportErrorKind::TooManyRedirects(10));
    assert_eq!(
        err.to_string(),
        "POST /items/<id>: too many redirects (more than 10)"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 11);

    let none = Client::builder()
        .base_url(&url)
        .redirects(RedirectPolicy::none())
        .build()
        .unwrap();
    let err = put().send(&none).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
}
