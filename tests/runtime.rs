//! Retries, per-call options, full responses, limits and tracing, against a real server on
//! 127.0.0.1. Waits are kept short with small intervals and caps, and retries that would wait
//! long or are bounded by time run on a [`TestClock`]; assertions are on attempt counts,
//! outcomes and what was traced, never on how long something took. Every scenario runs against
//! the async client and, with the `blocking` feature, the blocking one (`both_clients!`).

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use restruct::{endpoint, CallOptions, Client, RetryPolicy};
use serde::{Serialize, Serializer};
use serde_json::json;
use support::things::{fast, get, thing, CreateThing, CreateThingIdempotently, TestClock, Thing};
use support::{Reply, TestServer, Traces};

/// A body that counts how often it is serialized.
pub struct Counting(&'static AtomicUsize);

impl Serialize for Counting {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.fetch_add(1, Ordering::SeqCst);
        serializer.serialize_str("counted")
    }
}

#[endpoint(PUT, "/counted")]
pub struct PutCounted {
    #[body]
    pub body: Counting,
}

/// A scenario run against both clients, from one definition: `mod name { async_client,
/// blocking_client }` (the second with the `blocking` feature). In the body, `Client` is the
/// client type, `client(..)`, `make_client(..)` and `client_on(..)` build one, `start!()` starts
/// the server and `send!(call)` sends a call (`.await` or `.send()`).
macro_rules! both_clients {
    (fn $name:ident() $body:block) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn async_client() {
                #[allow(unused_macros)]
                macro_rules! start {
                    () => {
                        TestServer::start().await
                    };
                }
                macro_rules! send {
                    ($call:expr) => {
                        $call.await
                    };
                }
                clients!();
                $body
            }

            #[cfg(feature = "blocking")]
            #[test]
            fn blocking_client() {
                use restruct::BlockingClient as Client;
                #[allow(unused_macros)]
                macro_rules! start {
                    () => {
                        TestServer::start_in_thread()
                    };
                }
                macro_rules! send {
                    ($call:expr) => {
                        $call.send()
                    };
                }
                clients!();
                $body
            }
        }
    };
}

/// The client builders of a scenario, for whichever `Client` is in scope.
macro_rules! clients {
    () => {
        #[allow(dead_code)]
        fn client(server: &TestServer, policy: RetryPolicy) -> Client {
            Client::builder()
                .base_url(server.url())
                .retry(policy)
                .build()
                .unwrap()
        }
        #[allow(dead_code)]
        fn make_client(server: &TestServer, policy: RetryPolicy) -> Client {
            client(server, policy)
        }
        /// A client whose retries wait on `clock`.
        #[allow(dead_code)]
        fn client_on(server: &TestServer, policy: RetryPolicy, clock: &TestClock) -> Client {
            Client::builder()
                .base_url(server.url())
                .retry(policy)
                .retry_clock(clock.clone())
                .build()
                .unwrap()
        }
    };
}

#[test]
fn calls_are_send_futures() {
    fn assert_send<F: std::future::Future + Send>(_: F) {}
    let client = Client::new("http://127.0.0.1:1").unwrap();
    let req = get("a");
    assert_send(req.send(&client));
    assert_send(std::future::IntoFuture::into_future(client.call(&req)));
    assert_send(std::future::IntoFuture::into_future(
        client.call(&req).full(),
    ));
}

both_clients! {
    fn retries_are_off_by_default() {
        let server = start!();
        server.reply(Reply::status(503)).reply(thing("a"));
        let client = Client::new(server.url()).unwrap();
        assert!(!client.retry_policy().is_enabled());
        let err = send!(client.call(&get("a"))).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.requests().len(), 1);
    }
}

both_clients! {
    fn service_unavailable_twice_then_ok_on_the_third_attempt() {
        let server = start!();
        server
            .reply(Reply::status(503).header("x-attempt", "1"))
            .reply(Reply::status(503).header("x-attempt", "2"))
            .reply(thing("a").header("x-attempt", "3"));
        let traces = Traces::capture();
        let client = client(&server, fast());
        let response = send!(client.call(&get("a")).full()).unwrap();
        assert_eq!(response.body, Thing { id: "a".into() });
        // The status and headers are the last attempt's.
        assert_eq!(response.status, 200);
        assert_eq!(response.headers["x-attempt"], "3");
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert!(requests.iter().all(|r| r.target == "/things/a"));

        let retries = traces.retries();
        assert_eq!(retries.len(), 2, "{retries:#?}");
        assert!(retries[0].contains("attempt=1") && retries[0].contains("reason=status 503"));
        assert!(retries[1].contains("attempt=2") && retries[1].contains("delay_ms=1"));
        let text = traces.text();
        let close = text.lines().find(|l| l.contains("close")).unwrap();
        assert!(
            close.contains("attempt=3") && close.contains("status=200"),
            "{close}"
        );
    }
}

both_clients! {
    fn the_api_error_is_the_last_attempts() {
        let server = start!();
        server
            .reply(Reply::json(503, json!({"n": 1})).header("x-attempt", "1"))
            .reply(Reply::json(502, json!({"n": 2})).header("x-attempt", "2"));
        let client = client(&server, fast().max_attempts(2));
        let err = send!(client.call(&get("a"))).unwrap_err();
        let api = err.api().unwrap();
        assert_eq!(api.status, 502);
        assert_eq!(api.headers["x-attempt"], "2");
        assert_eq!(api.parsed, Some(json!({"n": 2})));
        assert_eq!(server.requests().len(), 2);
    }
}

both_clients! {
    fn too_many_requests_waits_for_retry_after() {
        let server = start!();
        server
            .reply(Reply::status(429).header("retry-after", "1"))
            .reply(thing("a"));
        let traces = Traces::capture();
        // The backoff alone would wait 1 ms: a 1 s wait can only come from `Retry-After`.
        let clock = TestClock::new();
        let client = client_on(&server, fast(), &clock);
        send!(client.call(&get("a"))).unwrap();
        assert_eq!(clock.waited(), Duration::from_secs(1));
        assert_eq!(server.requests().len(), 2);
        let retries = traces.retries();
        assert_eq!(retries.len(), 1, "{retries:#?}");
        assert!(retries[0].contains("reason=status 429"), "{}", retries[0]);
        assert!(retries[0].contains("delay_ms=1000"), "{}", retries[0]);
    }
}

both_clients! {
    fn retry_after_is_capped_by_the_max_interval() {
        let server = start!();
        server
            .reply(Reply::status(429).header("retry-after", "3600"))
            .reply(Reply::status(503).header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"))
            .reply(thing("a"));
        let traces = Traces::capture();
        let client = client(&server, fast().max_interval(Duration::from_millis(20)));
        send!(client.call(&get("a"))).unwrap();
        assert_eq!(server.requests().len(), 3);
        let retries = traces.retries();
        assert!(retries[0].contains("delay_ms=20"), "{}", retries[0]);
        // An HTTP date in the past: no wait.
        assert!(retries[1].contains("delay_ms=0"), "{}", retries[1]);
    }
}

both_clients! {
    fn a_post_is_retried_only_when_idempotent() {
        let server = start!();
        let client = client(&server, fast());

        server.reply(Reply::status(503)).reply(thing("a"));
        let traces = Traces::capture();
        let err = send!(client.call(&CreateThing { name: "x".into() }))
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.requests().len(), 1);
        assert!(traces
            .text()
            .contains("not retrying: the endpoint is not idempotent"));
        drop(traces);

        // The queued 200 is still waiting; a 503 goes first for the idempotent endpoint.
        let server = start!();
        let client = make_client(&server, fast());
        server.reply(Reply::status(503)).reply(thing("b"));
        let made = send!(client.call(&CreateThingIdempotently { name: "x".into() }))
            .unwrap();
        assert_eq!(made.id, "b");
        assert_eq!(server.requests().len(), 2);

        // The policy may opt in for endpoints that are not marked.
        let server = start!();
        let client = make_client(&server, fast().retry_non_idempotent(true));
        server.reply(Reply::status(503)).reply(thing("c"));
        let made = send!(client.call(&CreateThing { name: "x".into() }))
            .unwrap();
        assert_eq!(made.id, "c");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].body, requests[1].body);
    }
}

both_clients! {
    fn the_body_is_serialized_once_for_every_attempt() {
        static SERIALIZED: AtomicUsize = AtomicUsize::new(0);
        let server = start!();
        server
            .reply(Reply::status(500))
            .reply(Reply::status(500))
            .reply(Reply::status(204));
        let client = client(&server, fast());
        send!(client.call(&PutCounted {
            body: Counting(&SERIALIZED),
        }))
        .unwrap();
        assert_eq!(SERIALIZED.load(Ordering::SeqCst), 1);
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert!(requests.iter().all(|r| &r.body[..] == br#""counted""#));
    }
}

both_clients! {
    fn max_elapsed_time_stops_retrying() {
        let server = start!();
        server
            .reply(Reply::status(503).header("retry-after", "1"))
            .reply(thing("a"));
        let traces = Traces::capture();
        let policy = fast().max_elapsed_time(Duration::from_millis(300));
        let clock = TestClock::new();
        let err = send!(client_on(&server, policy, &clock).call(&get("a")))
            .unwrap_err();
        // A 1 s wait does not fit in 300 ms: the 503 is the answer, after one attempt.
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.requests().len(), 1);
        assert!(traces.text().contains("not retrying"), "{}", traces.text());

        // With plain backoff, attempts stop well before `max_attempts` once time runs out.
        let server = start!();
        for _ in 0..50 {
            server.reply(Reply::status(503));
        }
        let clock = TestClock::new();
        let policy = fast()
            .initial_interval(Duration::from_millis(100))
            .factor(1.0)
            .max_attempts(50)
            .max_elapsed_time(Duration::from_millis(350));
        let err = send!(client_on(&server, policy, &clock).call(&get("a")))
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        // Waits are at least 100 ms, so a 5th attempt would start after 400 ms: never.
        let attempts = server.requests().len();
        assert!((1..=4).contains(&attempts), "{attempts} attempts");
    }
}

both_clients! {
    fn connection_errors_are_retried() {
        // A port that was just free: connecting is refused.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let traces = Traces::capture();
        let client = Client::builder()
            .base_url(url)
            .retry(fast().max_attempts(3))
            .build()
            .unwrap();
        let err = send!(client.call(&get("a"))).unwrap_err();
        assert!(err.is_transport(), "{err:?}");
        let retries = traces.retries();
        assert_eq!(retries.len(), 2, "{retries:#?}");
        assert!(retries
            .iter()
            .all(|r| r.contains("reason=connection error")));

        // And not with `retry_transport_errors(false)`.
        let traces = Traces::capture();
        let client = Client::builder()
            .base_url(client.base_url())
            .retry(fast().retry_transport_errors(false))
            .build()
            .unwrap();
        assert!(send!(client.call(&get("a"))).unwrap_err().is_transport());
        assert!(traces.retries().is_empty());
    }
}

both_clients! {
    fn a_timeout_is_retried_for_an_idempotent_call() {
        let server = start!();
        server
            .reply(thing("slow").delay(Duration::from_secs(10)))
            .reply(thing("a"));
        let client = Client::builder()
            .base_url(server.url())
            .timeout(Duration::from_millis(500))
            .retry(fast())
            .build()
            .unwrap();
        assert_eq!(send!(client.call(&get("a"))).unwrap().id, "a");
        assert_eq!(server.requests().len(), 2);
    }
}

both_clients! {
    fn a_per_call_timeout_beats_the_clients() {
        let server = start!();
        server.reply(thing("a").delay(Duration::from_millis(500)));
        let client = Client::builder()
            .base_url(server.url())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let options = CallOptions::new().timeout(Duration::from_millis(50));
        // With the client's 30 s this call would succeed after 500 ms.
        let err = send!(client.call(&get("a")).options(&options)).unwrap_err();
        assert!(err.is_timeout(), "{err:?}");

        // And the other way round: a longer per-call timeout lets a slow call finish.
        server.reply(thing("b").delay(Duration::from_millis(300)));
        let client = Client::builder()
            .base_url(server.url())
            .timeout(Duration::from_millis(50))
            .build()
            .unwrap();
        let options = CallOptions::new().timeout(Duration::from_secs(30));
        let thing = send!(client.call(&get("b")).options(&options)).unwrap();
        assert_eq!(thing.id, "b");
    }
}

both_clients! {
    fn per_call_headers_base_url_and_retry_policy() {
        let server = start!();
        let other = start!();
        let client = Client::builder()
            .base_url(format!("{}/v1", server.url()))
            .bearer_auth("sk_client")
            .default_header("x-team", "blue")
            .retry(fast())
            .build()
            .unwrap();

        let options = CallOptions::new()
            .header("x-team", "red")
            .header("idempotency-key", "k1")
            .bearer_auth("sk_call")
            .base_url(format!("{}/v2/", other.url()));
        other.reply(thing("a"));
        let built = client
            .call(&get("a"))
            .options(&options)
            .to_request()
            .unwrap();
        assert_eq!(
            built.uri().to_string(),
            format!("{}/v2/things/a", other.url())
        );
        send!(client.call(&get("a")).options(&options)).unwrap();
        assert!(server.requests().is_empty());
        let sent = other.single_request();
        assert_eq!(sent.target, "/v2/things/a");
        assert_eq!(sent.header("x-team"), Some("red"));
        assert_eq!(sent.header("idempotency-key"), Some("k1"));
        assert_eq!(sent.header("authorization"), Some("Bearer sk_call"));

        // A per-call policy replaces the client's: no retry here.
        server.reply(Reply::status(503));
        let options = CallOptions::new().retry(RetryPolicy::none());
        assert!(send!(client.call(&get("a")).options(&options)).is_err());
        assert_eq!(server.requests().len(), 1);
        assert_eq!(server.requests()[0].header("x-team"), Some("blue"));
    }
}

both_clients! {
    fn mistakes_in_call_options_are_validation_errors() {
        let server = start!();
        let client = Client::new(server.url()).unwrap();
        let options = CallOptions::new()
            .header("x-bad", "a\nb")
            .base_url("ftp://nowhere");
        let err = send!(client.call(&get("")).options(&options)).unwrap_err();
        let violations = err.validation().unwrap();
        assert!(violations.has("x-bad"), "{violations}");
        assert!(violations.has("base_url"), "{violations}");
        assert!(violations.has("id"), "{violations}");
        assert!(server.requests().is_empty());
    }
}

both_clients! {
    fn a_too_large_body_is_an_error_and_not_retried() {
        let server = start!();
        server.reply(Reply::status(503).body(vec![b'x'; 4096]));
        let client = Client::builder()
            .base_url(server.url())
            .max_response_size(1024)
            .retry(fast())
            .build()
            .unwrap();
        let err = send!(client.call(&get("a"))).unwrap_err();
        assert!(
            matches!(err, restruct::Error::TooLarge { limit: 1024, .. }),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 1);

        // No Content-Length: the limit is enforced while reading.
        let client = Client::builder()
            .base_url(support::serve_chunked(8, 1024))
            .max_response_size(1024)
            .build()
            .unwrap();
        let err = send!(client.call(&get("a"))).unwrap_err();
        assert!(
            matches!(err, restruct::Error::TooLarge { limit: 1024, .. }),
            "{err:?}"
        );
    }
}

both_clients! {
    fn the_token_and_the_filled_in_path_never_reach_traces_or_errors() {
        const TOKEN: &str = "sk_live_TOPSECRET_4f9a";
        let server = start!();
        server
            .reply(Reply::json(503, json!({"errors": []})))
            .reply(Reply::json(503, json!({"errors": []})))
            .reply(
                Reply::json(401, json!({"errors": [{"code": "unauthorized"}]}))
                    .header("set-cookie", "__session=COOKIESECRET; HttpOnly"),
            );
        let traces = Traces::capture();
        let client = Client::builder()
            .base_url(server.url())
            .bearer_auth(TOKEN)
            .retry(fast())
            .build()
            .unwrap();
        let err = send!(client.call(&get("user_31337"))).unwrap_err();
        assert_eq!(server.requests().len(), 3);
        assert_eq!(
            server.requests()[2].header("authorization"),
            Some(&*format!("Bearer {TOKEN}"))
        );

        let text = traces.text();
        // The capture worked: the retries and the template are there.
        assert_eq!(traces.retries().len(), 2, "{text}");
        assert!(text.contains(r#"path="/things/<id>""#), "{text}");
        assert!(text.contains("status=401"), "{text}");
        assert!(!text.contains("TOPSECRET"), "{text}");
        assert!(!text.contains("user_31337"), "{text}");

        for shown in [
            format!("{err}"),
            format!("{err:?}"),
            format!("{err:#?}"),
            format!("{client:?}"),
        ] {
            assert!(!shown.contains("TOPSECRET"), "{shown}");
            assert!(!shown.contains("COOKIESECRET"), "{shown}");
        }
        // Marked sensitive for `Debug` only: the value is still there for the caller.
        let cookie = &err.api().unwrap().headers["set-cookie"];
        assert!(cookie.to_str().unwrap().contains("COOKIESECRET"));
        let options = CallOptions::new().bearer_auth(TOKEN);
        assert!(!format!("{options:?}").contains("TOPSECRET"));
    }
}
