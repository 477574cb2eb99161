//! What `#[endpoint]` generates, checked on the request it builds and on a real local server.

use restruct::{endpoint, Endpoint};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Token {
    pub object: String,
    pub jwt: String,
}

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = Token)]
#[derive(Debug, Clone)]
pub struct CreateToken {
    pub session_id: String,
    pub template_name: String,
    #[body]
    pub request_body: Option<Body>,
}

#[endpoint(PATCH, "/users/<user_id>")]
pub struct UpdateUser {
    pub user_id: String,
    #[serde(rename = "first")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    pub last_name: String,
    #[query]
    pub dry: Option<bool>,
    #[header("X-Req")]
    pub req: Option<String>,
    #[skip]
    pub note: u8,
}

#[test]
fn smoke() {
    let r = CreateToken {
        session_id: "s/1".into(),
        template_name: "t".into(),
        request_body: Some(Body {
            expires_in_seconds: Some(60),
        }),
    }
    .to_request("http://x/v1")
    .unwrap();
    assert_eq!(r.uri(), "http://x/v1/sessions/s%2F1/tokens/t");
    assert_eq!(r.body(), br#"{"expires_in_seconds":60}"#);
    let r = UpdateUser {
        user_id: "u".into(),
        first_name: None,
        last_name: "L".into(),
        dry: Some(true),
        req: Some("abc".into()),
        note: 1,
    }
    .to_request("http://x")
    .unwrap();
    assert_eq!(r.uri(), "http://x/users/u?dry=true");
    assert_eq!(r.body(), br#"{"last_name":"L"}"#);
    assert_eq!(r.headers()["x-req"], "abc");
}

mod support;

#[tokio::test]
async fn smoke_server() {
    let server = support::TestServer::start().await;
    server.reply(support::Reply::json(
        200,
        serde_json::json!({"object":"token","jwt":"a.b.c"}),
    ));
    let client = restruct::Client::builder()
        .base_url(format!("{}/v1", server.url()))
        .bearer_auth("sk")
        .build()
        .unwrap();
    let token = CreateToken {
        session_id: "s 1".into(),
        template_name: "t".into(),
        request_body: None,
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(token.jwt, "a.b.c");
    let req = server.single_request();
    assert_eq!(req.target, "/v1/sessions/s%201/tokens/t");
    assert_eq!(req.header("authorization"), Some("Bearer sk"));
    assert!(req.body.is_empty());
}

#[endpoint(GET, "/users/count", headers("Clerk-API-Version: 2025-04-10", "X-Two:  b "), response = serde_json::Value)]
pub struct CountUsers {}

#[test]
fn static_headers() {
    let r = CountUsers {}.to_request("http://x").unwrap();
    assert_eq!(r.headers()["clerk-api-version"], "2025-04-10");
    assert_eq!(r.headers()["x-two"], "b");
}

#[endpoint(PUT, "/items/<id>", response = ())]
pub struct PutItem<'a, T: Serialize> {
    pub id: &'a str,
    pub value: T,
    #[query]
    pub tags: &'a [&'a str],
}

#[test]
fn generic_endpoint() {
    let r = PutItem {
        id: "a b",
        value: 5u8,
        tags: &["x", "y"],
    }
    .to_request("http://x")
    .unwrap();
    assert_eq!(r.uri(), "http://x/items/a%20b?tags=x&tags=y");
    assert_eq!(r.body(), br#"{"value":5}"#);
}
