//! The sans-IO boundary in both directions: endpoints sent through a transport written here,
//! with no socket, give back every `Error` variant; `from_response` decodes exactly as `send`
//! does; and a tower layer sits in front of reqwest against a real local server.

mod support;

#[cfg(feature = "tower")]
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use restruct::transport::{full_body, Body, BoxError, BoxFuture, Transport};
use restruct::{endpoint, Client, Endpoint, Error, TransportErrorKind, DEFAULT_MAX_RESPONSE_SIZE};
use serde::{Deserialize, Serialize};

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

fn token_request(session_id: &str) -> CreateSessionTokenFromTemplateRequest {
    CreateSessionTokenFromTemplateRequest {
        session_id: session_id.into(),
        template_name: "custom_hasura".into(),
        request_body: None,
    }
}

/// What the fake answers: a status and body, or a transport failure.
#[derive(Clone)]
enum Script {
    Answer(u16, &'static str),
    Refused,
}

/// A transport with no socket: it records each request and answers from a script.
#[derive(Clone)]
struct Fake {
    script: Script,
    seen: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl Fake {
    fn new(script: Script) -> Self {
        Fake {
            script,
            seen: Arc::default(),
        }
    }
}

impl Transport for Fake {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Body>, BoxError>> {
        self.seen.lock().unwrap().push(request);
        let script = self.script.clone();
        Box::pin(async move {
            match script {
                Script::Answer(status, body) => Ok(http::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(full_body(body))?),
                Script::Refused => {
                    Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused).into())
                }
            }
        })
    }
}

fn client(fake: &Fake, max_response_size: usize) -> Client {
    Client::builder()
        .base_url("https://api.clerk.test/v1")
        .bearer_auth("sk_test_fake")
        .max_response_size(max_response_size)
        .transport(fake.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_transport_without_sockets_gives_the_typed_body() {
    let fake = Fake::new(Script::Answer(200, r#"{"object":"token","jwt":"eyJ.x.y"}"#));
    let token = token_request("sess_123")
        .send(&client(&fake, 1024))
        .await
        .unwrap();
    assert_eq!(
        (token.object.as_str(), token.jwt.as_str()),
        ("token", "eyJ.x.y")
    );
    let seen = fake.seen.lock().unwrap();
    let sent = &seen[0];
    assert_eq!(sent.method(), http::Method::POST);
    assert_eq!(
        sent.uri(),
        "https://api.clerk.test/v1/sessions/sess_123/tokens/custom_hasura"
    );
    assert_eq!(sent.headers()["authorization"], "Bearer sk_test_fake");
    assert!(sent.headers()["authorization"].is_sensitive());
}

#[tokio::test]
async fn a_transport_without_sockets_gives_every_error_variant() {
    let errors = Fake::new(Script::Answer(
        404,
        r#"{"errors":[{"message":"not found","long_message":"No session","code":"resource_not_found"}]}"#,
    ));
    let err = token_request("sess_1")
        .send(&client(&errors, 1024))
        .await
        .unwrap_err();
    let api = err.api().expect("Api");
    assert_eq!(
        api.parsed.as_ref().unwrap().errors[0].code,
        "resource_not_found"
    );
    assert_eq!(
        err.to_string(),
        "POST /sessions/<session_id>/tokens/<template_name>: the server answered 404 Not Found: \
         {\"errors\":[{\"message\":\"not found\",\"long_message\":\"No session\",\"code\":\"resource_not_found\"}]}"
    );

    let wrong = Fake::new(Script::Answer(200, r#"{"object":"token"}"#));
    let err = token_request("sess_1")
        .send(&client(&wrong, 1024))
        .await
        .unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert!(err.to_string().contains("missing field `jwt`"), "{err}");

    let big = Fake::new(Script::Answer(
        200,
        r#"{"object":"token","jwt":"a-long-jwt"}"#,
    ));
    let err = token_request("sess_1")
        .send(&client(&big, 8))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 8, .. }), "{err:?}");

    let refused = Fake::new(Script::Refused);
    let err = token_request("sess_1")
        .send(&client(&refused, 1024))
        .await
        .unwrap_err();
    assert_eq!(
        err.transport().map(|t| t.kind()),
        Some(TransportErrorKind::Refused)
    );
    assert_eq!(
        err.to_string(),
        "POST /sessions/<session_id>/tokens/<template_name>: connection refused"
    );

    let err = token_request("")
        .send(&client(&refused, 1024))
        .await
        .unwrap_err();
    assert!(err.is_validation());
    assert_eq!(
        refused.seen.lock().unwrap().len(),
        1,
        "nothing sent for a refused request"
    );
}

#[test]
fn from_response_decodes_exactly_as_send_does() {
    type Req = CreateSessionTokenFromTemplateRequest;
    let answer = |status: u16, body: &'static str| {
        http::Response::builder()
            .status(status)
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    };
    let ok = Req::from_response(answer(200, r#"{"object":"token","jwt":"j"}"#)).unwrap();
    assert_eq!((ok.status.as_u16(), ok.body.jwt.as_str()), (200, "j"));
    let api = Req::from_response(answer(422, r#"{"errors":[]}"#)).unwrap_err();
    assert!(api.api().unwrap().parsed.is_some());
    let decode = Req::from_response(answer(200, "<html>")).unwrap_err();
    assert!(decode.is_decode());
    let too_large = restruct::from_response::<Req>(answer(200, "{}"), 1).unwrap_err();
    assert!(too_large.is_too_large());
    // The request half: built without I/O, sent by anyone.
    let request = token_request("sess_1")
        .to_request("https://api.clerk.com/v1")
        .unwrap();
    assert_eq!(
        request.uri().path(),
        "/v1/sessions/sess_1/tokens/custom_hasura"
    );
    let _ = DEFAULT_MAX_RESPONSE_SIZE;
}

/// A tower layer that adds a header and counts the calls through it.
#[cfg(feature = "tower")]
#[derive(Clone)]
struct Tagging<S> {
    inner: S,
    calls: Arc<AtomicUsize>,
}

#[cfg(feature = "tower")]
impl<S, B> tower::Service<http::Request<B>> for Tagging<S>
where
    S: tower::Service<http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        self.calls.fetch_add(1, Ordering::SeqCst);
        request
            .headers_mut()
            .insert("x-layer", http::HeaderValue::from_static("tagged"));
        self.inner.call(request)
    }
}

#[cfg(feature = "tower")]
#[tokio::test]
async fn a_tower_layer_runs_in_front_of_reqwest_against_a_real_server() {
    use restruct::transport::{ReqwestService, TowerTransport};
    use support::{Reply, TestServer};

    let server = TestServer::start().await;
    server.reply(Reply::json(
        200,
        serde_json::json!({"object":"token","jwt":"j1"}),
    ));
    server.reply(Reply::status(503));
    server.reply(Reply::json(
        200,
        serde_json::json!({"object":"token","jwt":"j2"}),
    ));
    let calls = Arc::new(AtomicUsize::new(0));
    let service = tower::ServiceBuilder::new()
        .layer_fn(|inner| Tagging {
            inner,
            calls: Arc::clone(&calls),
        })
        .service(ReqwestService::new().unwrap());
    let client = Client::builder()
        .base_url(server.url())
        .bearer_auth("sk_test_layer")
        .retry(
            restruct::RetryPolicy::exponential()
                .initial_interval(std::time::Duration::from_millis(1))
                .retry_non_idempotent(true),
        )
        .transport(TowerTransport::new(service))
        .build()
        .unwrap();
    assert_eq!(
        token_request("sess_1").send(&client).await.unwrap().jwt,
        "j1"
    );
    // Retries happen above the transport: the layer sees each attempt.
    assert_eq!(
        token_request("sess_2").send(&client).await.unwrap().jwt,
        "j2"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.header("x-layer"), Some("tagged"));
        assert_eq!(
            request.header("authorization"),
            Some("Bearer sk_test_layer")
        );
    }
    assert_eq!(requests[2].path(), "/sessions/sess_2/tokens/custom_hasura");
}
