//! Custom endpoints: (a) endpoints written by hand through the `Endpoint` trait and sent with
//! the same client as generated ones, (b) a second API (Stripe-style, form-encoded) with its own
//! base URL and auth in the same program, (c) per-endpoint default headers.

use clerk_sdk as api;
use clerk_server as server;
mod support;

use api::{ClerkErrors, CreateSessionTokenFromTemplateRequest, GetUser, UploadProfileImage, User};
use restruct::http::Method;
use restruct::{endpoint, Client, Endpoint, RequestWriter};
use serde::Deserialize;
use server::MiniClerk;
use support::{Reply, TestServer};

fn clerk(server: &MiniClerk) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer_auth(server::SECRET_KEY)
        .build()
        .unwrap()
}

// (a) -----------------------------------------------------------------------------------------

/// `GET /users` with filters chosen at run time: query keys the SDK does not model (yet) cannot
/// be struct fields, so this endpoint writes its query by hand.
struct SearchUsers {
    filters: Vec<(&'static str, String)>,
}

impl Endpoint for SearchUsers {
    type Response = Vec<User>;
    type Error = ClerkErrors;
    const METHOD: Method = Method::GET;
    const PATH: &'static str = "/users";

    fn write_request(&self, req: &mut RequestWriter<'_>) {
        req.path_literal("/users");
        for (key, value) in &self.filters {
            req.query(key, key, value);
        }
    }
}

#[tokio::test]
async fn hand_written_endpoints_share_the_client() {
    let server = MiniClerk::start().await.unwrap();
    let client = clerk(&server);

    let search = SearchUsers {
        filters: vec![
            ("username", "heidi".into()),
            ("username", "ivan".into()),
            ("order_by", "username".into()),
        ],
    };
    let users = client.send(&search).await.unwrap();
    let names: Vec<_> = users.iter().filter_map(|u| u.username.as_deref()).collect();
    assert_eq!(names, ["heidi", "ivan"]);

    // The SDK's multipart upload (a declared `multipart` endpoint) follows on the same client,
    // and a generated endpoint after it sees its effect.
    let upload = UploadProfileImage {
        user_id: "user_2ivan".into(),
        file: Some(
            restruct::FilePart::new(b"\xff\xd8\xff\xe0 jpeg bytes".to_vec())
                .file_name("ivan.jpg")
                .content_type("image/jpeg"),
        ),
    };
    let request = client.call(&upload).to_request().unwrap();
    let content_type = request.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    assert_eq!(
        request.headers()["authorization"],
        "Bearer sk_test_local_mini_clerk_0000000000"
    );
    client.send(&upload).await.unwrap();
    let ivan = GetUser {
        user_id: "user_2ivan".into(),
    }
    .send(&client)
    .await
    .unwrap();
    assert!(ivan.has_image);

    let targets: Vec<_> = server.requests().into_iter().map(|s| s.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/users?username=heidi&username=ivan&order_by=username",
            "/v1/users/user_2ivan/profile_image",
            "/v1/users/user_2ivan",
        ]
    );
    // Hand-written and declared endpoints fail the same typed way.
    let missing = UploadProfileImage {
        user_id: "user_2nobody".into(),
        ..upload
    };
    let err = client.send(&missing).await.unwrap_err();
    assert!(err
        .api()
        .unwrap()
        .parsed
        .as_ref()
        .unwrap()
        .has_code("resource_not_found"));
    server.shutdown().await;
}

// (b) -----------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct Customer {
    id: String,
    object: String,
    email: Option<String>,
    name: Option<String>,
}

/// Stripe's error body: `{"error": {"type", "code"?, "message", "param"?}}`.
#[derive(Debug, Deserialize)]
struct StripeError {
    error: StripeErrorBody,
}

#[derive(Debug, Deserialize)]
struct StripeErrorBody {
    r#type: String,
    message: String,
    param: Option<String>,
}

/// Stripe's `POST /v1/customers`: a form-encoded body, not JSON.
#[endpoint(POST, "/v1/customers", response = Customer, error = StripeError, form)]
struct CreateCustomer {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    /// Stripe's retry safety for POSTs.
    #[header("Idempotency-Key")]
    idempotency_key: Option<String>,
}

#[tokio::test]
async fn a_second_api_with_its_own_base_url_and_auth() {
    let clerk_server = MiniClerk::start().await.unwrap();
    let clerk = clerk(&clerk_server);
    // Stands in for https://api.stripe.com: the paths carry `/v1` themselves.
    let stripe_server = TestServer::start().await;
    let stripe = Client::builder()
        .base_url(stripe_server.url())
        .bearer_auth("sk_test_stripe_4242")
        .default_header("Stripe-Version", "2024-06-20")
        .build()
        .unwrap();

    stripe_server.reply(Reply::json(
        200,
        serde_json::json!({"id": "cus_NffrFeUfNV2Hib", "object": "customer",
                           "email": "jenny.rosen@example.com", "name": "Jenny Rosen"}),
    ));
    let customer = CreateCustomer {
        email: Some("jenny.rosen@example.com".into()),
        name: Some("Jenny Rosen".into()),
        description: None,
        idempotency_key: Some("order-1138".into()),
    }
    .send(&stripe)
    .await
    .unwrap();
    assert_eq!(
        (customer.id.as_str(), customer.object.as_str()),
        ("cus_NffrFeUfNV2Hib", "customer")
    );
    assert_eq!(customer.email.as_deref(), Some("jenny.rosen@example.com"));
    assert_eq!(customer.name.as_deref(), Some("Jenny Rosen"));

    // Clerk, in the same program, with its own client.
    let user = GetUser {
        user_id: "user_2judy".into(),
    }
    .send(&clerk)
    .await
    .unwrap();
    assert_eq!(user.first_name.as_deref(), Some("Judy"));

    stripe_server.reply(Reply::json(
        400,
        serde_json::json!({"error": {"type": "invalid_request_error",
                                     "message": "Invalid email address: not-an-email",
                                     "param": "email"}}),
    ));
    let err = CreateCustomer {
        email: Some("not-an-email".into()),
        name: None,
        description: Some("a & b = c".into()),
        idempotency_key: None,
    }
    .send(&stripe)
    .await
    .unwrap_err();
    let api = err.api().unwrap();
    let parsed = api.parsed.as_ref().unwrap();
    assert_eq!(parsed.error.r#type, "invalid_request_error");
    assert_eq!(parsed.error.param.as_deref(), Some("email"));
    assert!(parsed.error.message.starts_with("Invalid email"));

    // On the wire: form bodies, Stripe's key and version, never Clerk's key.
    let sent = stripe_server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].target, "/v1/customers");
    assert_eq!(
        sent[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        &sent[0].body[..],
        b"email=jenny.rosen%40example.com&name=Jenny+Rosen"
    );
    assert_eq!(sent[0].header("idempotency-key"), Some("order-1138"));
    assert_eq!(
        &sent[1].body[..],
        b"email=not-an-email&description=a+%26+b+%3D+c"
    );
    assert_eq!(sent[1].header("idempotency-key"), None);
    for request in &sent {
        assert_eq!(
            request.header("authorization"),
            Some("Bearer sk_test_stripe_4242")
        );
        assert_eq!(request.header("stripe-version"), Some("2024-06-20"));
        assert_eq!(request.header("clerk-api-version"), None);
    }
    let clerk_seen = clerk_server.requests();
    assert_eq!(clerk_seen.len(), 1, "Stripe calls never reach Clerk");
    clerk_server.shutdown().await;
}

// (c) -----------------------------------------------------------------------------------------

/// The same operation as `api::GetUser`, with the version chosen per request by a header field
/// instead of fixed on the endpoint with `headers("Clerk-API-Version: ...")`.
#[endpoint(GET, "/users/<user_id>", response = User, error = ClerkErrors)]
struct GetUserAtVersion {
    user_id: String,
    #[header("Clerk-API-Version")]
    version: Option<String>,
}

#[tokio::test]
async fn per_endpoint_default_headers() {
    let server = MiniClerk::start().await.unwrap();
    // A client-wide default, which endpoints that set the header themselves override.
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_auth(server::SECRET_KEY)
        .default_header("Clerk-API-Version", "2021-02-05")
        .build()
        .unwrap();

    // `headers("Clerk-API-Version: 2025-04-10")` on the SDK's endpoints.
    let get_user = GetUser {
        user_id: "user_2alice".into(),
    };
    let request = client.call(&get_user).to_request().unwrap();
    let versions: Vec<_> = request
        .headers()
        .get_all("clerk-api-version")
        .iter()
        .collect();
    assert_eq!(
        versions,
        ["2025-04-10"],
        "the endpoint's header replaces the client default"
    );
    GetUser {
        user_id: "user_2alice".into(),
    }
    .send(&client)
    .await
    .unwrap();

    // The seed request sets none: the client default goes out.
    CreateSessionTokenFromTemplateRequest {
        session_id: server::SESSION_ID.into(),
        template_name: server::TEMPLATE.into(),
        request_body: None,
    }
    .send(&client)
    .await
    .unwrap();

    // A header field: per request, `None` falls back to the client default.
    for version in [Some("2025-04-10"), None] {
        GetUserAtVersion {
            user_id: "user_2alice".into(),
            version: version.map(str::to_owned),
        }
        .send(&client)
        .await
        .unwrap();
    }
    let err = GetUserAtVersion {
        user_id: "user_2alice".into(),
        version: Some("1999-01-01".into()),
    }
    .send(&client)
    .await
    .unwrap_err();
    assert!(err
        .api()
        .unwrap()
        .parsed
        .as_ref()
        .unwrap()
        .has_code("api_version_invalid"));

    let versions: Vec<_> = server
        .requests()
        .into_iter()
        .map(|s| s.api_version.unwrap_or_default())
        .collect();
    assert_eq!(
        versions,
        [
            "2025-04-10",
            "2021-02-05",
            "2025-04-10",
            "2021-02-05",
            "1999-01-01"
        ]
    );
    server.shutdown().await;
}
