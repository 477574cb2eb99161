//! What the benches share: the endpoints, the hand-written baseline of each, the local server,
//! and both sides' "build the request up to the `reqwest::Request` the send path uses".
//!
//! The baseline is what a careful person writes with reqwest and percent-encoding by hand: the
//! same escaping and refusals of path values as restruct, `RequestBuilder` for the rest.

#![allow(dead_code)] // each bench binary uses part of this

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use restruct::{endpoint, Client};
use serde::{Deserialize, Serialize};

pub const SECRET: &str = "sk_test_0123456789abcdefghijklmnopqrstuvwxyz";
pub const BASE: &str = "https://api.clerk.com/v1";

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

/// `GET /users?limit=..&offset=..&order_by=..`: the query case.
#[endpoint(GET, "/users", response = serde_json::Value, error = ClerkErrors)]
#[derive(Debug, Clone)]
pub struct ListUsersRequest {
    #[query]
    pub limit: Option<u32>,
    #[query]
    pub offset: Option<u32>,
    #[query]
    pub order_by: Option<String>,
}

// ---- inputs -----------------------------------------------------------------------------------

pub fn plain() -> CreateSessionTokenFromTemplateRequest {
    CreateSessionTokenFromTemplateRequest {
        session_id: "sess_2ZfSP1fmFqDPpVEyxUHX5T1ZRNb".into(),
        template_name: "custom_hasura".into(),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(600),
        }),
    }
}

/// Values where most characters need escaping.
pub fn escaped() -> CreateSessionTokenFromTemplateRequest {
    CreateSessionTokenFromTemplateRequest {
        session_id: "sess/2Zf SP1f?mFq#DPp%VEy".into(),
        template_name: "modèle d'équipe/été".into(),
        ..plain()
    }
}

pub fn list() -> ListUsersRequest {
    ListUsersRequest {
        limit: Some(20),
        offset: Some(40),
        order_by: Some("-created_at".into()),
    }
}

// ---- the hand-written baseline ----------------------------------------------------------------

/// RFC 3986 unreserved stays, everything else is escaped: what restruct does to a path value.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn baseline_url(base: &str, session_id: &str, template_name: &str) -> Result<String, String> {
    // The same refusals as restruct, so both do the same work.
    for value in [session_id, template_name] {
        if matches!(value, "" | "." | "..") {
            return Err(format!("invalid path value {value:?}"));
        }
    }
    Ok(format!(
        "{base}/sessions/{}/tokens/{}",
        utf8_percent_encode(session_id, SEGMENT),
        utf8_percent_encode(template_name, SEGMENT),
    ))
}

/// The token request as an `http::Request<Vec<u8>>` (what `Endpoint::to_request` gives).
pub fn baseline_build(
    base: &str,
    req: &CreateSessionTokenFromTemplateRequest,
) -> Result<http::Request<Vec<u8>>, String> {
    let url = baseline_url(base, &req.session_id, &req.template_name)?;
    let mut builder = http::Request::builder().method(http::Method::POST).uri(url);
    let body = match &req.request_body {
        Some(body) => {
            builder = builder.header(CONTENT_TYPE, "application/json");
            serde_json::to_vec(body).map_err(|e| e.to_string())?
        }
        None => Vec::new(),
    };
    builder.body(body).map_err(|e| e.to_string())
}

/// The token request as the `reqwest::Request` that `send` would execute.
pub fn baseline_token_request(
    http: &reqwest::Client,
    base: &str,
    req: &CreateSessionTokenFromTemplateRequest,
) -> Result<reqwest::Request, Box<dyn std::error::Error>> {
    let url = baseline_url(base, &req.session_id, &req.template_name)?;
    let mut builder = http.post(url).bearer_auth(SECRET);
    if let Some(body) = &req.request_body {
        builder = builder.json(body);
    }
    Ok(builder.build()?)
}

/// The list request as the `reqwest::Request` that `send` would execute.
pub fn baseline_list_request(
    http: &reqwest::Client,
    base: &str,
    req: &ListUsersRequest,
) -> Result<reqwest::Request, Box<dyn std::error::Error>> {
    #[derive(Serialize)]
    struct Query<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        offset: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        order_by: Option<&'a str>,
    }
    let query = Query {
        limit: req.limit,
        offset: req.offset,
        order_by: req.order_by.as_deref(),
    };
    Ok(http
        .get(format!("{base}/users"))
        .bearer_auth(SECRET)
        .query(&query)
        .build()?)
}

pub async fn baseline_send(
    http: &reqwest::Client,
    base: &str,
    req: &CreateSessionTokenFromTemplateRequest,
) -> Result<Token, Box<dyn std::error::Error>> {
    let request = baseline_token_request(http, base, req)?;
    let response = http.execute(request).await?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()).into());
    }
    Ok(response.json().await?)
}

// ---- restruct ---------------------------------------------------------------------------------

/// The client both sides' requests are compared through; `base` is its base URL.
pub fn clients(base: &str) -> (reqwest::Client, Client) {
    // Building a restruct client first installs the TLS crypto provider (rustls-ring).
    drop(Client::new(base).unwrap());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(base)
        .bearer_auth(SECRET)
        .http_client(http.clone())
        .build()
        .unwrap();
    (http, client)
}

/// What restruct's send path builds before the transport executes it: the endpoint written with
/// the client's defaults (`Call::to_request`), then turned into a `reqwest::Request` as the
/// reqwest transport does.
pub fn restruct_request<T: restruct::Endpoint>(
    client: &Client,
    req: &T,
) -> Result<reqwest::Request, Box<dyn std::error::Error>> {
    let request = client
        .call(req)
        .to_request()
        .map_err(|e| e.to_string())?
        .map(Bytes::from);
    restruct::transport::reqwest_request(request).map_err(|e| e.to_string().into())
}

/// Checks that both sides build the same request: method, URL, headers but the user agent, body.
pub fn assert_same(ours: &reqwest::Request, theirs: &reqwest::Request) {
    assert_eq!(ours.method(), theirs.method());
    assert_eq!(ours.url(), theirs.url());
    let mut headers = ours.headers().clone();
    headers.remove(http::header::USER_AGENT);
    assert_eq!(&headers, theirs.headers());
    // No body and an empty one go the same way on the wire.
    let body = |r: &reqwest::Request| r.body().and_then(|b| b.as_bytes()).unwrap_or(b"").to_vec();
    assert_eq!(body(ours), body(theirs));
}

/// A local server that answers like Clerk for the token endpoint (bearer checked, a fixed token).
pub async fn start_server() -> String {
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::IntoResponse;

    async fn token(headers: HeaderMap, body: axum::body::Bytes) -> axum::response::Response {
        let authorized = headers
            .get(AUTHORIZATION.as_str())
            .is_some_and(|v| v.as_bytes() == format!("Bearer {SECRET}").as_bytes());
        if !authorized || body.is_empty() {
            return (StatusCode::UNAUTHORIZED, "{\"errors\":[]}").into_response();
        }
        (
            [(CONTENT_TYPE.as_str(), "application/json")],
            r#"{"object":"token","jwt":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl"}"#,
        )
            .into_response()
    }

    let app = axum::Router::new().route(
        "/v1/sessions/{session_id}/tokens/{template_name}",
        axum::routing::post(token),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/v1")
}
