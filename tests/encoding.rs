//! Hostile values in path and query parameters, checked from the raw request target the server
//! received: a value never changes the shape of the URL it is put in.

mod support;

use std::sync::OnceLock;

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use restruct::{endpoint, Client, Endpoint as _};
use support::TestServer;

#[endpoint(GET, "/items/<id>/raw")]
struct GetItem {
    id: String,
}

#[endpoint(GET, "/search")]
struct Search {
    #[query]
    q: String,
    #[query("tag")]
    tags: Vec<String>,
}

/// The path segment between `/items/` and `/raw`, as received.
fn raw_segment(target: &str) -> &str {
    target
        .strip_prefix("/items/")
        .and_then(|rest| rest.strip_suffix("/raw"))
        .unwrap_or_else(|| panic!("unexpected target {target:?}"))
}

fn decode(raw: &str) -> String {
    percent_decode_str(raw)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("{raw:?} is not percent-encoded UTF-8: {e}"))
        .into_owned()
}

/// The query as a server's form decoder reads it.
fn decode_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

#[tokio::test]
async fn hostile_path_values_stay_inside_one_segment() {
    let cases = [
        ("a/b", "a%2Fb"),
        ("/", "%2F"),
        ("a?b=c", "a%3Fb%3Dc"),
        ("a#frag", "a%23frag"),
        ("100%", "100%25"),
        ("%2F", "%252F"),
        ("%2e%2e", "%252e%252e"),
        ("a b", "a%20b"),
        ("a+b", "a%2Bb"),
        ("a/../b", "a%2F..%2Fb"),
        ("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd"),
        ("./x", ".%2Fx"),
        ("...", "..."),
        ("é", "%C3%A9"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("🦀", "%F0%9F%A6%80"),
        ("a\r\nHost: evil.test", "a%0D%0AHost%3A%20evil.test"),
        ("\0", "%00"),
        ("a;b,c@d:e", "a%3Bb%2Cc%40d%3Ae"),
        ("a\\b", "a%5Cb"),
        ("~user_name-1.0", "~user_name-1.0"),
    ];
    let server = TestServer::start().await;
    let client = Client::new(format!("{}/", server.url())).unwrap();
    for (value, _) in cases {
        GetItem { id: value.into() }.send(&client).await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), cases.len());
    for ((value, expected), req) in cases.iter().zip(&requests) {
        assert_eq!(req.query(), None, "{value:?} -> {}", req.target);
        let raw = raw_segment(&req.target);
        assert_eq!(raw, *expected, "{value:?} -> {}", req.target);
        assert_eq!(
            req.path().split('/').count(),
            4,
            "{value:?} -> {}",
            req.target
        );
        assert_eq!(decode(raw), *value);
    }
}

#[tokio::test]
async fn hostile_query_values_stay_inside_their_pair() {
    let server = TestServer::start().await;
    let client = Client::new(server.url()).unwrap();
    let q = "a&admin=true#x?y=%20+/\r\n";
    Search {
        q: q.into(),
        tags: vec!["t=1&t=2".into(), "é ü".into()],
    }
    .send(&client)
    .await
    .unwrap();
    let req = server.single_request();
    assert_eq!(req.path(), "/search");
    let query = req.query().unwrap();
    assert!(!query.contains(['#', '?', '/', '\r', '\n', ' ']), "{query}");
    assert_eq!(
        decode_query(query),
        [
            ("q".to_owned(), q.to_owned()),
            ("tag".to_owned(), "t=1&t=2".to_owned()),
            ("tag".to_owned(), "é ü".to_owned()),
        ]
    );
}

/// A runtime with a server and a client that outlive one proptest case.
struct Fixture {
    rt: tokio::runtime::Runtime,
    server: TestServer,
    client: Client,
}

impl Fixture {
    fn get(cell: &'static OnceLock<Fixture>) -> &'static Fixture {
        cell.get_or_init(|| {
            let rt = tokio::runtime::Runtime::new().unwrap();
            let server = rt.block_on(TestServer::start());
            let client = Client::new(format!("{}/base", server.url())).unwrap();
            Fixture { rt, server, client }
        })
    }
}

/// Any characters, with the ones that matter for URLs made likely.
fn hostile_string() -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        '/', '?', '#', '%', ' ', '.', '+', '&', '=', ';', '\r', '\n', '\0', '\\', 'é', '🦀',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), interesting], 0..24)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_path_value_round_trips_as_one_segment(value in hostile_string()) {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        let f = Fixture::get(&FIXTURE);
        let before = f.server.requests().len();
        let result = f.rt.block_on(GetItem { id: value.clone() }.send(&f.client));
        let requests = f.server.requests();
        if matches!(value.as_str(), "" | "." | "..") {
            prop_assert!(result.unwrap_err().is_validation());
            prop_assert_eq!(requests.len(), before);
            return Ok(());
        }
        prop_assert!(result.is_ok(), "{:?}", result);
        prop_assert_eq!(requests.len(), before + 1);
        let target = &requests[before].target;
        let raw = target
            .strip_prefix("/base/items/")
            .and_then(|rest| rest.strip_suffix("/raw"));
        prop_assert!(raw.is_some(), "{}", target);
        let raw = raw.unwrap();
        prop_assert!(!raw.contains(['/', '?', '#']), "{}", raw);
        prop_assert!(
            raw.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "{}",
            raw
        );
        prop_assert_eq!(decode(raw), value);
    }

    #[test]
    fn any_query_value_round_trips(q in hostile_string(), tags in prop::collection::vec(hostile_string(), 0..3)) {
        static FIXTURE: OnceLock<Fixture> = OnceLock::new();
        let f = Fixture::get(&FIXTURE);
        let before = f.server.requests().len();
        let result = f.rt.block_on(Search { q: q.clone(), tags: tags.clone() }.send(&f.client));
        prop_assert!(result.is_ok(), "{:?}", result);
        let requests = f.server.requests();
        prop_assert_eq!(requests.len(), before + 1);
        let req = &requests[before];
        prop_assert_eq!(req.path(), "/base/search");
        let query = req.query().unwrap_or("");
        prop_assert!(!query.contains('#'), "{}", query);
        let mut expected = vec![("q".to_owned(), q)];
        expected.extend(tags.into_iter().map(|t| ("tag".to_owned(), t)));
        prop_assert_eq!(decode_query(query), expected);
    }
}

#[endpoint(GET, "/items/<id>/raw")]
struct WithHeader {
    id: String,
    #[header("X-Trace")]
    trace: String,
    #[header("X-Api-Key")]
    key: String,
}

proptest! {
    // Sans-IO (no socket), so that 10,000 cases stay quick in CI; the socket round trips above
    // prove that what `to_request` builds is what arrives.
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn path_and_header_values_are_refused_or_kept_exactly(
        id in hostile_string(),
        trace in hostile_string(),
        key in hostile_string(),
    ) {
        let req = WithHeader { id: id.clone(), trace: trace.clone(), key: key.clone() };
        match req.to_request("http://api.test/v1") {
            Ok(request) => {
                let path = request.uri().path();
                let segment = path
                    .strip_prefix("/v1/items/")
                    .and_then(|rest| rest.strip_suffix("/raw"))
                    .expect("the value stays inside its segment");
                prop_assert!(!segment.contains('/'));
                prop_assert_eq!(decode(segment), id);
                let headers = request.headers();
                prop_assert_eq!(headers["x-trace"].as_bytes(), trace.as_bytes());
                prop_assert_eq!(headers["x-api-key"].as_bytes(), key.as_bytes());
                prop_assert!(headers["x-api-key"].is_sensitive());
                prop_assert_eq!(format!("{:?}", headers["x-api-key"]), "Sensitive");
            }
            Err(errors) => {
                for violation in errors.violations() {
                    prop_assert!(["id", "trace", "key"].contains(&violation.field.as_str()));
                    // Header values are never repeated in an error: they may be secrets.
                    prop_assert!(violation.rule != "header" || violation.value.is_none());
                }
            }
        }
    }
}
