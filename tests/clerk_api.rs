//! One test per operation of the Clerk SDK in `examples/clerk-sdk`, each against the embedded
//! mini Clerk of `examples/clerk-server` over real HTTP on 127.0.0.1.

use clerk_sdk as api;
use clerk_server as server;

use api::*;
use restruct::{Client, Endpoint, Error, FilePart, Nullable};
use serde_json::json;
use server::MiniClerk;

fn client(server: &MiniClerk) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer_auth(server::SECRET_KEY)
        .build()
        .unwrap()
}

/// The violations of a request refused before sending; fails the test otherwise.
fn violations<T: std::fmt::Debug>(
    result: Result<T, Error<ClerkErrors>>,
) -> Vec<(String, &'static str)> {
    match result {
        Err(Error::Validation(errors)) => errors
            .violations()
            .iter()
            .map(|v| (v.field.clone(), v.rule))
            .collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// The parsed `ClerkErrors` of an API error with `status`; fails the test otherwise.
fn clerk_errors<T: std::fmt::Debug>(
    result: Result<T, Error<ClerkErrors>>,
    status: u16,
) -> ClerkErrors {
    match result {
        Err(Error::Api(api)) if api.status.as_u16() == status => {
            let parsed = api.parsed.expect("the body parses as ClerkErrors");
            assert!(parsed.clerk_trace_id.is_some());
            parsed
        }
        other => panic!("expected a {status} API error, got {other:?}"),
    }
}

#[tokio::test]
async fn create_session_token_from_template() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: server::SESSION_ID.into(),
        template_name: server::TEMPLATE.into(),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(300),
        }),
    };
    let token = req.send(&client).await.unwrap();
    assert_eq!(token.object, "token");
    assert_eq!(token.jwt.split('.').count(), 3);
    let claims = jwt_claims(&token.jwt).unwrap();
    assert_eq!(claims["sid"], server::SESSION_ID);
    assert_eq!(
        claims["https://hasura.io/jwt/claims"]["x-hasura-user-id"],
        "user_2alice"
    );
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        300
    );

    let unknown = CreateSessionTokenFromTemplateRequest {
        session_id: "sess_nope".into(),
        ..req.clone()
    };
    let errors = clerk_errors(unknown.send(&client).await, 404);
    assert!(errors.has_code("resource_not_found"));

    let too_short = CreateSessionTokenFromTemplateRequest {
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(29),
        }),
        ..req.clone()
    };
    // Clerk's bound is checked before sending: nothing reaches the server.
    let seen = server.requests().len();
    assert_eq!(
        violations(too_short.send(&client).await),
        [("request_body.expires_in_seconds".to_owned(), "range")]
    );
    assert_eq!(server.requests().len(), seen);

    let wrong_key = Client::builder()
        .base_url(server.base_url())
        .bearer_auth("sk_test_wrong")
        .build()
        .unwrap();
    let errors = clerk_errors(req.send(&wrong_key).await, 401);
    assert!(errors.has_code("authentication_invalid"));

    // Refused before sending: the server sees nothing more.
    let seen = server.requests().len();
    let invalid = CreateSessionTokenFromTemplateRequest {
        session_id: String::new(),
        template_name: "..".into(),
        request_body: None,
    };
    let err = invalid.send(&client).await.unwrap_err();
    let violations = err.validation().unwrap();
    assert!(violations.has("session_id") && violations.has("template_name"));
    assert_eq!(server.requests().len(), seen);
    server.shutdown().await;
}

#[tokio::test]
async fn create_session_token() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let lifetime = |token: &Token| {
        let claims = jwt_claims(&token.jwt).unwrap();
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap()
    };
    let mut req = CreateSessionToken {
        session_id: server::SESSION_ID.into(),
        expires_in_seconds: Nullable::Unset,
    };
    // Unset: `{}` is sent and the default lifetime applies; `null` asks for it explicitly.
    assert_eq!(client.call(&req).to_request().unwrap().body(), b"{}");
    assert_eq!(lifetime(&req.send(&client).await.unwrap()), 60);
    req.expires_in_seconds = Nullable::Null;
    assert_eq!(
        client.call(&req).to_request().unwrap().body(),
        br#"{"expires_in_seconds":null}"#
    );
    assert_eq!(lifetime(&req.send(&client).await.unwrap()), 60);
    req.expires_in_seconds = Nullable::Value(315_360_000);
    let token = req.send(&client).await.unwrap();
    assert_eq!(lifetime(&token), 315_360_000);
    assert!(jwt_claims(&token.jwt)
        .unwrap()
        .get("https://hasura.io/jwt/claims")
        .is_none());
    req.expires_in_seconds = Nullable::Value(315_360_001);
    assert_eq!(
        violations(req.send(&client).await),
        [("expires_in_seconds".to_owned(), "range")]
    );
    let seen = server.requests();
    assert_eq!(
        seen.last().unwrap().api_version.as_deref(),
        Some(API_VERSION)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn get_user_list() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = GetUserList {
        email_address: vec!["bob@example.com".into(), "CAROL@example.com".into()],
        order_by: Some("-first_name".into()),
        ..GetUserList::default()
    };
    let users = req.send(&client).await.unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["user_2carol", "user_2bob"]);
    assert_eq!(users[0].primary_email(), Some("carol@example.com"));
    // Filters combine: any value of one filter, all filters given.
    let req = GetUserList {
        email_address: vec!["bob@example.com".into(), "alice@example.com".into()],
        organization_id: vec!["org_2globex".into()],
        ..GetUserList::default()
    };
    let users = req.send(&client).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id, "user_2alice");
    let last = server.requests().pop().unwrap();
    assert_eq!(
        last.target,
        "/v1/users?email_address=bob%40example.com&email_address=alice%40example.com&organization_id=org_2globex"
    );
    // Search, window and order.
    let req = GetUserList {
        query: Some("example.com".into()),
        order_by: Some("created_at".into()),
        limit: Some(2),
        offset: Some(1),
        ..GetUserList::default()
    };
    let users = req.send(&client).await.unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["user_2bob", "user_2carol"]);
    // Clerk's bounds on limit and order_by.
    let req = GetUserList {
        limit: Some(501),
        ..GetUserList::default()
    };
    assert_eq!(
        violations(req.send(&client).await),
        [("limit".to_owned(), "range")]
    );
    let req = GetUserList {
        order_by: Some("password".into()),
        ..GetUserList::default()
    };
    clerk_errors(req.send(&client).await, 422);
    server.shutdown().await;
}

#[tokio::test]
async fn get_users_count() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let all = GetUsersCount::default().send(&client).await.unwrap();
    assert_eq!((all.object.as_str(), all.total_count), ("total_count", 12));
    let req = GetUsersCount {
        username: vec!["alice".into(), "bob".into(), "nobody".into()],
        ..GetUsersCount::default()
    };
    assert_eq!(req.send(&client).await.unwrap().total_count, 2);
    let req = GetUsersCount {
        query: Some("work.example".into()),
        ..GetUsersCount::default()
    };
    assert_eq!(req.send(&client).await.unwrap().total_count, 3);
    server.shutdown().await;
}

#[tokio::test]
async fn get_user() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let user = GetUser {
        user_id: "user_2dave".into(),
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(user.object, "user");
    assert_eq!(user.first_name.as_deref(), Some("Dave"));
    assert_eq!(user.external_id.as_deref(), Some("ext_dave"));
    assert_eq!(user.phone_numbers.len(), 1);
    // A hostile id stays one path segment and is simply not found.
    let req = GetUser {
        user_id: "../instance".into(),
    };
    assert_eq!(
        req.to_request("http://x/v1").unwrap().uri(),
        "http://x/v1/users/..%2Finstance"
    );
    assert!(clerk_errors(req.send(&client).await, 404).has_code("resource_not_found"));
    server.shutdown().await;
}

#[tokio::test]
async fn update_user() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = UpdateUser {
        user_id: "user_2erin".into(),
        first_name: "Erin Jr.".into(),
        last_name: Nullable::Null,
        public_metadata: Nullable::Value(json!({"tier": 2})),
        ..UpdateUser::default()
    };
    // Unset fields are left out, null clears, values replace.
    assert_eq!(
        String::from_utf8(client.call(&req).to_request().unwrap().into_body()).unwrap(),
        r#"{"first_name":"Erin Jr.","last_name":null,"public_metadata":{"tier":2}}"#
    );
    let user = req.send(&client).await.unwrap();
    assert_eq!(user.first_name.as_deref(), Some("Erin Jr."));
    assert_eq!(user.last_name, None);
    assert_eq!(
        user.username.as_deref(),
        Some("erin"),
        "unset keeps the stored value"
    );
    assert_eq!(user.public_metadata, json!({"tier": 2}));
    assert!(user.updated_at > user.created_at);
    // Metadata set to null is cleared to an empty object.
    let req = UpdateUser {
        user_id: "user_2erin".into(),
        public_metadata: Nullable::Null,
        ..UpdateUser::default()
    };
    assert_eq!(req.send(&client).await.unwrap().public_metadata, json!({}));
    // A taken username is refused, and nothing else changes.
    let req = UpdateUser {
        user_id: "user_2erin".into(),
        username: "bob".into(),
        first_name: "Changed".into(),
        ..UpdateUser::default()
    };
    assert!(clerk_errors(req.send(&client).await, 422).has_code("form_identifier_exists"));
    let req = UpdateUser {
        user_id: "user_2nobody".into(),
        ..UpdateUser::default()
    };
    clerk_errors(req.send(&client).await, 404);
    server.shutdown().await;
}

#[tokio::test]
async fn delete_user() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = DeleteUser {
        user_id: "user_2oscar".into(),
    };
    let deleted = req.send(&client).await.unwrap();
    assert_eq!(
        (
            deleted.object.as_str(),
            deleted.id.as_deref(),
            deleted.deleted
        ),
        ("user", Some("user_2oscar"), true)
    );
    clerk_errors(req.send(&client).await, 404);
    let count = GetUsersCount::default().send(&client).await.unwrap();
    assert_eq!(count.total_count, 11);
    server.shutdown().await;
}

#[tokio::test]
async fn merge_user_metadata() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let merge = |public: serde_json::Value| MergeUserMetadata {
        user_id: "user_2frank".into(),
        public_metadata: Some(public),
        ..MergeUserMetadata::default()
    };
    merge(json!({"plan": "pro", "limits": {"seats": 5, "projects": 3}}))
        .send(&client)
        .await
        .unwrap();
    // Deep merge: nested objects merge, null removes a key, other keys stay.
    let user = merge(json!({"limits": {"seats": 10, "projects": null}}))
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        user.public_metadata,
        json!({"plan": "pro", "limits": {"seats": 10}})
    );
    assert_eq!(user.private_metadata, json!({}), "untouched");
    let req = MergeUserMetadata {
        user_id: "user_2frank".into(),
        private_metadata: Some(json!("not an object")),
        ..MergeUserMetadata::default()
    };
    clerk_errors(req.send(&client).await, 422);
    server.shutdown().await;
}

#[tokio::test]
async fn list_organizations() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = ListOrganizations {
        include_members_count: Some(true),
        order_by: Some("-members_count".into()),
        limit: Some(2),
        ..ListOrganizations::default()
    };
    let page = req.send(&client).await.unwrap();
    assert_eq!(page.total_count, 8);
    let names: Vec<_> = page
        .data
        .iter()
        .map(|o| (o.slug.as_str(), o.members_count))
        .collect();
    assert_eq!(names[0], ("acme", Some(3)));
    assert_eq!(page.data.len(), 2);
    let req = ListOrganizations {
        query: Some("industries".into()),
        ..ListOrganizations::default()
    };
    let page = req.send(&client).await.unwrap();
    assert_eq!(page.total_count, 2);
    assert!(page.data.iter().all(|o| o.members_count.is_none()));
    server.shutdown().await;
}

#[tokio::test]
async fn update_organization_membership() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = UpdateOrganizationMembership {
        organization_id: "org_2initech".into(),
        user_id: "user_2frank".into(),
        role: "org:admin".into(),
    };
    let m = req.send(&client).await.unwrap();
    assert_eq!(m.object, "organization_membership");
    assert_eq!(m.role, "org:admin");
    assert_eq!(m.organization.id, "org_2initech");
    assert_eq!(m.identifier(), Some("frank@example.com"));
    let bad_role = UpdateOrganizationMembership {
        role: "owner".into(),
        ..req.clone()
    };
    clerk_errors(bad_role.send(&client).await, 422);
    let not_member = UpdateOrganizationMembership {
        user_id: "user_2judy".into(),
        ..req.clone()
    };
    clerk_errors(not_member.send(&client).await, 404);
    server.shutdown().await;
}

#[tokio::test]
async fn delete_organization_membership() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = DeleteOrganizationMembership {
        organization_id: "org_2globex".into(),
        user_id: "user_2dave".into(),
    };
    let m = req.send(&client).await.unwrap();
    assert_eq!(
        (
            m.role.as_str(),
            m.public_user_data.as_ref().map(|p| p.user_id.as_str())
        ),
        ("org:admin", Some("user_2dave"))
    );
    clerk_errors(req.send(&client).await, 404);
    let members = GetUsersCount {
        organization_id: vec!["org_2globex".into()],
        ..GetUsersCount::default()
    };
    assert_eq!(members.send(&client).await.unwrap().total_count, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn update_instance() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = UpdateInstance {
        hibp: Nullable::Value(false),
        support_email: Nullable::Null,
        development_origin: "http://localhost:5173".into(),
        ..UpdateInstance::default()
    };
    let response = client.call(&req).full().await.unwrap();
    assert_eq!(response.status, 204);
    let instance = server.instance();
    assert_eq!(instance["hibp"], false);
    assert_eq!(instance["support_email"], serde_json::Value::Null);
    assert_eq!(instance["development_origin"], "http://localhost:5173");
    assert_eq!(instance["clerk_js_version"], "5", "unset fields are kept");
    // An empty update is `{}` and still a 204.
    UpdateInstance::default().send(&client).await.unwrap();
    server.shutdown().await;
}

#[tokio::test]
async fn upload_profile_image() {
    let server = MiniClerk::start().await.unwrap();
    let client = client(&server);
    let req = UploadProfileImage {
        user_id: "user_2grace".into(),
        file: Some(
            FilePart::new(vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3])
                .file_name("grace.png")
                .content_type("image/png"),
        ),
    };
    let user = client.send(&req).await.unwrap();
    assert!(user.has_image);
    assert_eq!(
        user.image_url.as_deref(),
        Some("https://img.clerk.com/local/user_2grace/8-grace.png")
    );
    // A quote in the file name is escaped (`%22`), so it cannot end the parameter early.
    let quoted = UploadProfileImage {
        file: req.file.clone().map(|f| f.file_name("a\"b.png")),
        ..req.clone()
    };
    let user = client.send(&quoted).await.unwrap();
    assert_eq!(
        user.image_url.as_deref(),
        Some("https://img.clerk.com/local/user_2grace/8-a%22b.png")
    );
    let hostile = UploadProfileImage {
        file: req
            .file
            .clone()
            .map(|f| f.content_type("image/png\r\nX-Injected: 1")),
        ..req
    };
    assert!(client.send(&hostile).await.unwrap_err().is_validation());
    server.shutdown().await;
}
