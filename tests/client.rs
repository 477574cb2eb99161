//! The `Client`: base URL prefix, authentication, default headers, user agent, `Debug`, the ways
//! to send, and hand-written endpoints.

mod support;

use restruct::http::header::{HeaderName, HeaderValue};
use restruct::http::Method;
use restruct::{endpoint, Client, Endpoint, InvalidBody, RequestWriter};
use serde::Deserialize;
use support::{Reply, TestServer};

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
    first_name: String,
}

#[endpoint(GET, "/users/<user_id>", response = User)]
#[derive(Debug, Clone)]
struct GetUser {
    user_id: String,
    #[header("X-Tenant")]
    tenant: Option<String>,
}

fn get_user(user_id: &str) -> GetUser {
    GetUser {
        user_id: user_id.into(),
        tenant: None,
    }
}

fn user_reply() -> Reply {
    Reply::json(
        200,
        serde_json::json!({"id": "user_1", "first_name": "Ada"}),
    )
}

#[tokio::test]
async fn base_url_path_prefix_is_kept_with_or_without_trailing_slash() {
    let server = TestServer::start().await;
    let url = server.url();
    let bases = [
        (format!("{url}/v1"), "/v1/users/user_1"),
        (format!("{url}/v1/"), "/v1/users/user_1"),
        (format!("{url}/api/v2/"), "/api/v2/users/user_1"),
        (url.clone(), "/users/user_1"),
        (format!("{url}/"), "/users/user_1"),
    ];
    for (base, _) in &bases {
        server.reply(user_reply());
        let client = Client::new(base.as_str()).unwrap();
        let user = get_user("user_1").send(&client).await.unwrap();
        assert_eq!(user.id, "user_1");
    }
    let targets: Vec<_> = server.requests().into_iter().map(|r| r.target).collect();
    let expected: Vec<_> = bases.iter().map(|(_, t)| *t).collect();
    assert_eq!(targets, expected);
}

#[tokio::test]
async fn bearer_auth_default_headers_and_user_agent_are_sent() {
    let server = TestServer::start().await;
    server.reply(user_reply());
    let client = Client::builder()
        .base_url(format!("{}/v1", server.url()))
        .bearer_auth("sk_test_abc123")
        .default_header("Clerk-API-Version", "2025-04-10")
        .build()
        .unwrap();
    get_user("user_1").send(&client).await.unwrap();
    let req = server.single_request();
    assert_eq!(req.header("authorization"), Some("Bearer sk_test_abc123"));
    assert_eq!(req.header("clerk-api-version"), Some("2025-04-10"));
    assert_eq!(
        req.header("user-agent"),
        Some(concat!("restruct/", env!("CARGO_PKG_VERSION")))
    );
}

#[tokio::test]
async fn custom_user_agent_replaces_the_default() {
    let server = TestServer::start().await;
    server.reply(user_reply());
    let client = Client::builder()
        .base_url(server.url())
        .user_agent("clerk-sdk-rs/0.3 (+https://example.test)")
        .build()
        .unwrap();
    get_user("user_1").send(&client).await.unwrap();
    let req = server.single_request();
    let agents: Vec<_> = req.headers.get_all("user-agent").iter().collect();
    assert_eq!(agents, ["clerk-sdk-rs/0.3 (+https://example.test)"]);
}

#[tokio::test]
async fn an_endpoint_header_wins_over_a_default_header() {
    let server = TestServer::start().await;
    server.reply(user_reply()).reply(user_reply());
    let client = Client::builder()
        .base_url(server.url())
        .default_header("X-Tenant", "default-tenant")
        .build()
        .unwrap();
    let mut req = get_user("user_1");
    req.tenant = Some("acme".into());
    req.send(&client).await.unwrap();
    get_user("user_1").send(&client).await.unwrap();
    let reqs = server.requests();
    let tenants = |i: usize| -> Vec<String> {
        reqs[i]
            .headers
            .get_all("x-tenant")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(tenants(0), ["acme"]);
    assert_eq!(tenants(1), ["default-tenant"]);
}

#[test]
fn debug_never_shows_the_token() {
    let builder = Client::builder()
        .base_url("https://api.clerk.com/v1")
        .bearer_auth("sk_live_SECRET_TOKEN");
    let builder_shown = format!("{builder:?} {builder:#?}");
    let client = builder
        .default_header("Clerk-API-Version", "2025-04-10")
        .build()
        .unwrap();
    let clone = client.clone();
    let shown = format!("{client:?} {client:#?} {clone:?} {builder_shown}");
    assert!(!shown.contains("SECRET_TOKEN"), "{shown}");
    assert!(shown.contains("https://api.clerk.com/v1"), "{shown}");
    // Headers that are not secret are still shown, to help debugging.
    assert!(shown.contains("2025-04-10"), "{shown}");
    // Credentials in the base URL would be dropped by the transport and shown by `Debug`.
    let err = Client::new("https://user:SECRET_TOKEN@api.clerk.com/v1").unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SECRET_TOKEN"), "{shown}");
}

#[tokio::test]
async fn errors_never_show_the_token() {
    let server = TestServer::start().await;
    server.reply(Reply::status(401).body("unauthorized"));
    let client = Client::builder()
        .base_url(server.url())
        .bearer_auth("sk_live_SECRET_TOKEN")
        .build()
        .unwrap();
    let err = get_user("user_1").send(&client).await.unwrap_err();
    assert!(err.is_api());
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SECRET_TOKEN"), "{shown}");
    // It was sent, though.
    assert_eq!(
        server.single_request().header("authorization"),
        Some("Bearer sk_live_SECRET_TOKEN")
    );
}

#[tokio::test]
async fn client_send_and_send_full_give_status_headers_and_typed_body() {
    let server = TestServer::start().await;
    server
        .reply(user_reply())
        .reply(
            Reply::json(
                201,
                serde_json::json!({"id": "user_2", "first_name": "Grace"}),
            )
            .header("x-request-id", "req_1")
            .header("x-ratelimit-remaining", "99"),
        )
        .reply(user_reply().header("x-request-id", "req_2"));
    let client = Client::new(server.url()).unwrap();

    let user: User = client.send(&get_user("user_1")).await.unwrap();
    assert_eq!(user.first_name, "Ada");

    let response = client.call(&get_user("user_2")).full().await.unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(response.headers["x-request-id"], "req_1");
    assert_eq!(response.headers["x-ratelimit-remaining"], "99");
    assert_eq!(response.headers["content-type"], "application/json");
    assert_eq!(
        response.body,
        User {
            id: "user_2".into(),
            first_name: "Grace".into()
        }
    );

    let response = client.call(&get_user("user_3")).full().await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.headers["x-request-id"], "req_2");
    assert_eq!(response.into_body().id, "user_1");

    let targets: Vec<_> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/users/user_1", "/users/user_2", "/users/user_3"]);
}

#[tokio::test]
async fn a_given_reqwest_client_is_the_one_used() {
    let server = TestServer::start().await;
    server.reply(user_reply());
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-reqwest", "yes".parse().unwrap());
    restruct::install_crypto_provider();
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.url())
        .http_client(http)
        .bearer_auth("sk")
        .build()
        .unwrap();
    get_user("user_1").send(&client).await.unwrap();
    let req = server.single_request();
    assert_eq!(req.header("x-from-reqwest"), Some("yes"));
    assert_eq!(req.header("authorization"), Some("Bearer sk"));
}

#[tokio::test]
async fn clones_share_one_client_across_tasks() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync::<Client>();

    let server = TestServer::start().await;
    for _ in 0..8 {
        server.reply(user_reply());
    }
    let client = Client::builder()
        .base_url(format!("{}/v1", server.url()))
        .bearer_auth("sk_shared")
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            // `tokio::spawn` needs the futures of `send` to be `Send`.
            tokio::spawn(async move { get_user(&format!("user_{i}")).send(&client).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let mut targets: Vec<_> = server.requests().into_iter().map(|r| r.target).collect();
    targets.sort();
    let mut expected: Vec<_> = (0..8).map(|i| format!("/v1/users/user_{i}")).collect();
    expected.sort();
    assert_eq!(targets, expected);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer sk_shared")));
}

#[tokio::test]
async fn request_builds_without_sending() {
    let server = TestServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/v1/", server.url()))
        .bearer_auth("sk_build")
        .default_header("Clerk-API-Version", "2025-04-10")
        .build()
        .unwrap();
    let endpoint = GetUser {
        user_id: "user 1".into(),
        tenant: Some("acme".into()),
    };
    let request = client.call(&endpoint).to_request().unwrap();
    assert_eq!(request.method(), Method::GET);
    assert_eq!(
        request.uri().to_string(),
        format!("{}/v1/users/user%201", server.url())
    );
    assert_eq!(request.headers()["authorization"], "Bearer sk_build");
    assert_eq!(request.headers()["clerk-api-version"], "2025-04-10");
    assert_eq!(request.headers()["x-tenant"], "acme");
    assert!(request.body().is_empty());
    // The endpoint alone knows nothing of the client.
    let bare = endpoint.to_request("https://api.test").unwrap();
    assert_eq!(bare.uri(), "https://api.test/users/user%201");
    assert!(!bare.headers().contains_key("authorization"));
    assert!(server.requests().is_empty());
}

// ---- hand-written endpoints -----------------------------------------------------------------

/// Returns raw bytes: a body the macro's JSON decoding would not accept.
struct GetInvoicePdf {
    id: String,
}

impl Endpoint for GetInvoicePdf {
    type Response = Vec<u8>;
    type Error = serde_json::Value;
    const METHOD: Method = Method::GET;
    const PATH: &'static str = "/invoices/<id>.pdf";

    fn write_request(&self, req: &mut RequestWriter<'_>) {
        req.path_literal("/invoices/");
        req.path_param("id", &self.id);
        req.path_literal(".pdf");
        req.header(
            "accept",
            HeaderName::from_static("accept"),
            "application/pdf",
        );
    }

    fn decode_response(body: &[u8]) -> Result<Vec<u8>, InvalidBody> {
        if body.starts_with(b"%PDF") {
            Ok(body.to_vec())
        } else {
            Err(InvalidBody::new("not a PDF"))
        }
    }
}

/// Sends a raw body with its own content type.
struct UploadCsv {
    rows: &'static str,
}

impl Endpoint for UploadCsv {
    type Response = serde_json::Value;
    type Error = serde_json::Value;
    const METHOD: Method = Method::PUT;
    const PATH: &'static str = "/imports";

    fn write_request(&self, req: &mut RequestWriter<'_>) {
        req.path_literal("/imports");
        req.query("format", "format", "csv");
        req.raw_body(
            HeaderValue::from_static("text/csv"),
            self.rows.as_bytes().to_vec(),
        );
    }
}

#[tokio::test]
async fn hand_written_endpoints_are_sent_by_the_same_client() {
    let server = TestServer::start().await;
    let pdf = b"%PDF-1.7 \xff\x00 binary".to_vec();
    server
        .reply(
            Reply::status(200)
                .header("content-type", "application/pdf")
                .body(pdf.clone()),
        )
        .reply(Reply::status(200).body("<html>"))
        .reply(Reply::json(200, serde_json::json!({"imported": 2})));
    let client = Client::builder()
        .base_url(format!("{}/v1", server.url()))
        .bearer_auth("sk")
        .build()
        .unwrap();

    let body = client
        .send(&GetInvoicePdf { id: "in/1".into() })
        .await
        .unwrap();
    assert_eq!(body, pdf);
    let err = client
        .send(&GetInvoicePdf { id: "in_2".into() })
        .await
        .unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert!(err.to_string().contains("not a PDF"), "{err}");
    let imported = client
        .send(&UploadCsv {
            rows: "id,name\n1,Ada\n",
        })
        .await
        .unwrap();
    assert_eq!(imported, serde_json::json!({"imported": 2}));

    let reqs = server.requests();
    assert_eq!(reqs[0].target, "/v1/invoices/in%2F1.pdf");
    assert_eq!(reqs[0].header("accept"), Some("application/pdf"));
    assert_eq!(reqs[0].header("authorization"), Some("Bearer sk"));
    assert_eq!(reqs[2].method, "PUT");
    assert_eq!(reqs[2].target, "/v1/imports?format=csv");
    assert_eq!(reqs[2].header("content-type"), Some("text/csv"));
    assert_eq!(&reqs[2].body[..], b"id,name\n1,Ada\n");
}

// ---- tracing --------------------------------------------------------------------------------

#[tokio::test]
async fn the_span_never_shows_path_or_header_values() {
    // `#[tokio::test]` runs on this thread, so a thread-local subscriber sees the whole call.
    let traces = support::Traces::capture();
    let server = TestServer::start().await;
    server.reply(user_reply());
    let client = Client::builder()
        .base_url(server.url())
        .bearer_auth("sk_live_SECRET_TOKEN")
        .build()
        .unwrap();
    GetUser {
        user_id: "user_PRIVATE_ID".into(),
        tenant: Some("tenant_PRIVATE".into()),
    }
    .send(&client)
    .await
    .unwrap();

    let logs = traces.text();
    assert!(logs.contains(r#"path="/users/<user_id>""#), "{logs}");
    assert!(logs.contains("method=GET"), "{logs}");
    assert!(logs.contains("status=200"), "{logs}");
    for secret in ["SECRET_TOKEN", "PRIVATE_ID", "tenant_PRIVATE"] {
        assert!(!logs.contains(secret), "{secret} in {logs}");
    }
}

#[tokio::test]
async fn an_at_sign_in_the_base_path_is_not_taken_for_credentials() {
    let server = TestServer::start().await;
    server.reply(user_reply());
    let client = Client::new(format!("{}/@acme/v1", server.url())).unwrap();
    get_user("user_1").send(&client).await.unwrap();
    assert_eq!(server.single_request().target, "/@acme/v1/users/user_1");
}
