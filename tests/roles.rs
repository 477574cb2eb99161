//! Every field role of `#[endpoint]`: the request's shape checked on what
//! `client.call(&req).to_request()` builds, with no I/O, and a few round trips
//! (`placeholder_inside_a_segment`, `whole_body_some_is_json_with_content_type`,
//! `form_body_fields_are_url_encoded`, the response tests) proving that the wire carries the same.

mod support;

use restruct::{endpoint, Client, Endpoint as _};
use serde::{Deserialize, Serialize};
use support::{Recorded, Reply, TestServer};

fn client(server: &TestServer) -> Client {
    Client::new(server.url()).unwrap()
}

/// What the client would send for `req`, read like the server's record of a request.
fn shape<T: restruct::Endpoint>(req: &T) -> Recorded {
    let client = Client::new("http://api.test").unwrap();
    let Ok(request) = client.call(req).to_request() else {
        panic!("the request was refused")
    };
    let (parts, body) = request.into_parts();
    Recorded {
        method: parts.method,
        target: parts
            .uri
            .path_and_query()
            .map_or_else(String::new, |p| p.as_str().to_owned()),
        headers: parts.headers,
        body: body.into(),
    }
}

// ---- path placeholders ----------------------------------------------------------------------

#[endpoint(POST, "/v1/jobs/<name>:cancel")]
struct CancelJob {
    name: String,
}

#[endpoint(GET, "/files/<stem>.<ext>/v<version>")]
struct GetFile {
    stem: String,
    ext: &'static str,
    version: u32,
}

#[endpoint(GET, "/orgs/<org_id>/members/<user_id>")]
struct GetMember<'a> {
    org_id: &'a str,
    user_id: &'a str,
}

#[tokio::test]
async fn placeholder_inside_a_segment() {
    let server = TestServer::start().await;
    CancelJob {
        name: "nightly build".into(),
    }
    .send(&client(&server))
    .await
    .unwrap();
    let req = server.single_request();
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/v1/jobs/nightly%20build:cancel");
    assert!(req.body.is_empty());
    assert_eq!(req.header("content-type"), None);
}

#[test]
fn several_placeholders_in_one_segment_and_display_values() {
    let req = shape(&GetFile {
        stem: "report.final".into(),
        ext: "tar gz",
        version: 12,
    });
    assert_eq!(req.target, "/files/report.final.tar%20gz/v12");
}

#[test]
fn borrowed_path_values() {
    let org = String::from("org_1");
    let req = shape(&GetMember {
        org_id: &org,
        user_id: "user/2",
    });
    assert_eq!(req.target, "/orgs/org_1/members/user%2F2");
}

// ---- query ----------------------------------------------------------------------------------

#[derive(Debug, Serialize)]
enum OrderBy {
    #[serde(rename = "-created_at")]
    NewestFirst,
}

#[derive(Debug, Deserialize)]
struct User {
    id: String,
}

/// The shape of Clerk's `GET /users`.
#[endpoint(GET, "/users", response = Vec<User>)]
struct ListUsers {
    #[query("email_address")]
    email_addresses: Vec<String>,
    #[query("user_id")]
    user_ids: Option<Vec<String>>,
    #[query]
    limit: Option<u32>,
    #[query]
    offset: Option<u32>,
    #[query("order_by")]
    order: Option<OrderBy>,
    #[query]
    query: Option<String>,
    #[query]
    r#type: Option<&'static str>,
}

impl ListUsers {
    fn empty() -> Self {
        ListUsers {
            email_addresses: Vec::new(),
            user_ids: None,
            limit: None,
            offset: None,
            order: None,
            query: None,
            r#type: None,
        }
    }
}

#[tokio::test]
async fn query_wire_names_repeated_keys_and_omitted_options() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        200,
        serde_json::json!([{"id": "user_1"}, {"id": "user_2"}]),
    ));
    let users = ListUsers {
        email_addresses: vec!["a@x.io".into(), "b@x.io".into()],
        limit: Some(10),
        order: Some(OrderBy::NewestFirst),
        query: Some("a b&c=d".into()),
        r#type: Some("admin"),
        ..ListUsers::empty()
    }
    .send(&client(&server))
    .await
    .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[1].id, "user_2");
    let req = server.single_request();
    assert_eq!(req.method, "GET");
    assert_eq!(req.path(), "/users");
    assert_eq!(
        req.query(),
        Some(
            "email_address=a%40x.io&email_address=b%40x.io&limit=10&order_by=-created_at&query=a+b%26c%3Dd&type=admin"
        )
    );
    assert!(req.body.is_empty());
}

#[test]
fn nothing_to_query_means_no_question_mark() {
    assert_eq!(shape(&ListUsers::empty()).target, "/users");
}

#[test]
fn optional_sequence_repeats_the_key() {
    let req = shape(&ListUsers {
        user_ids: Some(vec!["u_1".into(), "u 2".into()]),
        ..ListUsers::empty()
    });
    assert_eq!(req.target, "/users?user_id=u_1&user_id=u+2");
}

// ---- headers --------------------------------------------------------------------------------

#[endpoint(GET, "/me")]
struct GetMe {
    #[header("Clerk-API-Version")]
    api_version: String,
    #[header("X-Attempt")]
    attempt: u8,
    #[header("Idempotency-Key")]
    idempotency_key: Option<String>,
}

#[test]
fn headers_plain_numeric_and_optional() {
    let reqs = [
        shape(&GetMe {
            api_version: "2025-04-10".into(),
            attempt: 2,
            idempotency_key: Some("key-1".into()),
        }),
        shape(&GetMe {
            api_version: "2025-04-10".into(),
            attempt: 3,
            idempotency_key: None,
        }),
    ];
    assert_eq!(reqs[0].target, "/me");
    assert_eq!(reqs[0].header("clerk-api-version"), Some("2025-04-10"));
    assert_eq!(reqs[0].header("x-attempt"), Some("2"));
    assert_eq!(reqs[0].header("idempotency-key"), Some("key-1"));
    assert_eq!(reqs[1].header("x-attempt"), Some("3"));
    assert_eq!(reqs[1].header("idempotency-key"), None);
}

// ---- #[body] --------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize)]
struct TokenBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_seconds: Option<u64>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Token {
    object: String,
    jwt: String,
}

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = Token)]
#[derive(Debug, Clone)]
struct CreateSessionTokenFromTemplateRequest {
    session_id: String,
    template_name: String,
    #[body]
    request_body: Option<TokenBody>,
}

#[endpoint(PUT, "/users/<user_id>/tags")]
struct ReplaceTags {
    user_id: String,
    #[body]
    tags: Vec<String>,
}

#[tokio::test]
async fn whole_body_some_is_json_with_content_type() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        200,
        serde_json::json!({"object": "token", "jwt": "a.b.c"}),
    ));
    let token = CreateSessionTokenFromTemplateRequest {
        session_id: "sess_123".into(),
        template_name: "custom_hasura".into(),
        request_body: Some(TokenBody {
            expires_in_seconds: Some(600),
        }),
    }
    .send(&client(&server))
    .await
    .unwrap();
    assert_eq!(
        token,
        Token {
            object: "token".into(),
            jwt: "a.b.c".into()
        }
    );
    let req = server.single_request();
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/sessions/sess_123/tokens/custom_hasura");
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(&req.body[..], br#"{"expires_in_seconds":600}"#);
}

#[test]
fn whole_body_some_honours_the_body_types_serde_attributes() {
    let req = shape(&CreateSessionTokenFromTemplateRequest {
        session_id: "sess_123".into(),
        template_name: "t".into(),
        request_body: Some(TokenBody::default()),
    });
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(&req.body[..], b"{}");
}

#[test]
fn whole_body_none_sends_no_body_and_no_content_type() {
    let req = shape(&CreateSessionTokenFromTemplateRequest {
        session_id: "sess_123".into(),
        template_name: "t".into(),
        request_body: None,
    });
    assert!(req.body.is_empty(), "{:?}", req.body);
    assert_eq!(req.header("content-type"), None);
}

#[test]
fn whole_body_of_any_serialize_type() {
    let req = shape(&ReplaceTags {
        user_id: "u_1".into(),
        tags: vec!["a".into(), "b\"c".into()],
    });
    assert_eq!(req.method, "PUT");
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.json(), serde_json::json!(["a", "b\"c"]));
}

// ---- unannotated body fields ----------------------------------------------------------------

/// Not `Serialize` itself: only the body fields are serialized, so `#[skip]` fields need not be.
struct NotSerialize;

#[endpoint(PATCH, "/users/<user_id>")]
struct UpdateUser {
    user_id: String,
    #[serde(rename = "first_name")]
    first: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", rename = "backup_codes")]
    codes: Vec<String>,
    public_metadata: serde_json::Value,
    r#type: &'static str,
    #[serde(skip)]
    _local_only: u8,
    #[query]
    dry_run: Option<bool>,
    #[skip]
    _handle: NotSerialize,
}

#[test]
fn body_fields_form_one_json_object_with_serde_attributes() {
    let req = shape(&UpdateUser {
        user_id: "user_1".into(),
        first: Some("Ada".into()),
        last_name: None,
        codes: Vec::new(),
        public_metadata: serde_json::json!({"plan": "pro"}),
        r#type: "person",
        _local_only: 7,
        dry_run: Some(true),
        _handle: NotSerialize,
    });
    assert_eq!(req.method, "PATCH");
    assert_eq!(req.target, "/users/user_1?dry_run=true");
    assert_eq!(req.header("content-type"), Some("application/json"));
    // Exactly these members: path, query, skipped and `skip_serializing_if` fields are absent.
    assert_eq!(
        req.json(),
        serde_json::json!({
            "first_name": "Ada",
            "public_metadata": {"plan": "pro"},
            "type": "person",
        })
    );
}

#[test]
fn body_fields_present_when_set() {
    let req = shape(&UpdateUser {
        user_id: "user_1".into(),
        first: None,
        last_name: Some("Lovelace".into()),
        codes: vec!["c1".into()],
        public_metadata: serde_json::Value::Null,
        r#type: "person",
        _local_only: 0,
        dry_run: None,
        _handle: NotSerialize,
    });
    assert_eq!(req.target, "/users/user_1");
    assert_eq!(
        req.json(),
        serde_json::json!({
            "first_name": null,
            "last_name": "Lovelace",
            "backup_codes": ["c1"],
            "public_metadata": null,
            "type": "person",
        })
    );
}

/// A struct that derives `Serialize` itself keeps its `#[serde]` attributes for that derive,
/// and the body still honours them.
#[endpoint(POST, "/invitations")]
#[derive(Debug, Serialize)]
struct CreateInvitation {
    #[serde(rename = "email_address")]
    email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<String>,
    #[header("X-Tenant")]
    #[serde(skip)]
    tenant: String,
}

#[test]
fn body_fields_of_a_struct_that_derives_serialize() {
    let invitation = CreateInvitation {
        email: "a@x.io".into(),
        redirect_url: None,
        tenant: "acme".into(),
    };
    // The user's own derive still works on the emitted struct.
    assert_eq!(
        serde_json::to_value(&invitation).unwrap(),
        serde_json::json!({"email_address": "a@x.io"})
    );
    let req = shape(&invitation);
    assert_eq!(req.header("x-tenant"), Some("acme"));
    assert_eq!(req.json(), serde_json::json!({"email_address": "a@x.io"}));
}

// ---- #[skip] --------------------------------------------------------------------------------

#[endpoint(POST, "/notes/<id>")]
struct AddNote {
    id: String,
    text: String,
    #[skip]
    local_secret: String,
    #[skip]
    #[allow(dead_code)]
    retries: u32,
}

#[test]
fn skipped_fields_are_never_sent() {
    let note = AddNote {
        id: "n1".into(),
        text: "hello".into(),
        local_secret: "SKIPPED-SECRET-VALUE".into(),
        retries: 4242,
    };
    let req = shape(&note);
    assert_eq!(note.local_secret, "SKIPPED-SECRET-VALUE");
    assert_eq!(req.json(), serde_json::json!({"text": "hello"}));
    let mut everything = format!("{} {:?}", req.target, req.headers);
    everything.push_str(&String::from_utf8_lossy(&req.body));
    assert!(!everything.contains("SKIPPED-SECRET-VALUE"), "{everything}");
    assert!(!everything.contains("4242"), "{everything}");
    assert!(!everything.contains("local_secret"), "{everything}");
}

// ---- form -----------------------------------------------------------------------------------

#[endpoint(POST, "/oauth/token", form)]
struct ExchangeCode {
    grant_type: &'static str,
    code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(rename = "redirect_uri")]
    redirect: String,
}

#[derive(Serialize)]
struct Credentials {
    username: String,
    password: String,
}

#[endpoint(POST, "/login", form)]
struct Login {
    #[body]
    credentials: Option<Credentials>,
}

#[tokio::test]
async fn form_body_fields_are_url_encoded() {
    let server = TestServer::start().await;
    ExchangeCode {
        grant_type: "authorization_code",
        code: "a+b c&d=é".into(),
        scope: None,
        redirect: "https://app.test/cb?x=1".into(),
    }
    .send(&client(&server))
    .await
    .unwrap();
    let req = server.single_request();
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        std::str::from_utf8(&req.body).unwrap(),
        "grant_type=authorization_code&code=a%2Bb+c%26d%3D%C3%A9&redirect_uri=https%3A%2F%2Fapp.test%2Fcb%3Fx%3D1"
    );
}

#[test]
fn form_whole_body_some_and_none() {
    let reqs = [
        shape(&Login {
            credentials: Some(Credentials {
                username: "ada".into(),
                password: "p@ss word".into(),
            }),
        }),
        shape(&Login { credentials: None }),
    ];
    assert_eq!(
        reqs[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(&reqs[0].body[..], b"username=ada&password=p%40ss+word");
    assert_eq!(reqs[1].header("content-type"), None);
    assert!(reqs[1].body.is_empty());
}

// ---- crate = path ---------------------------------------------------------------------------

/// What an SDK that re-exports restruct looks like.
mod sdk {
    pub use restruct as rt;
}

#[endpoint(POST, "/ping/<id>", response = serde_json::Value, crate = crate::sdk::rt)]
struct Ping {
    id: u64,
    #[query]
    verbose: bool,
    #[header("X-Ping")]
    tag: &'static str,
    message: String,
}

#[tokio::test]
async fn crate_path_of_a_re_export() {
    let server = TestServer::start().await;
    server.reply(Reply::json(200, serde_json::json!({"pong": true})));
    let client = sdk::rt::Client::new(server.url()).unwrap();
    let reply = Ping {
        id: 7,
        verbose: false,
        tag: "t",
        message: "hi".into(),
    }
    .send(&client)
    .await
    .unwrap();
    assert_eq!(reply, serde_json::json!({"pong": true}));
    let req = server.single_request();
    assert_eq!(req.target, "/ping/7?verbose=false");
    assert_eq!(req.header("x-ping"), Some("t"));
    assert_eq!(req.json(), serde_json::json!({"message": "hi"}));
}

// ---- response = () --------------------------------------------------------------------------

#[endpoint(DELETE, "/users/<user_id>")]
struct DeleteUser {
    user_id: String,
}

#[endpoint(POST, "/users/<user_id>/ban", response = ())]
struct BanUser {
    user_id: String,
}

#[tokio::test]
async fn unit_response_accepts_204() {
    let server = TestServer::start().await;
    server.reply(Reply::status(204));
    let () = DeleteUser {
        user_id: "u_1".into(),
    }
    .send(&client(&server))
    .await
    .unwrap();
    let req = server.single_request();
    assert_eq!(req.method, "DELETE");
    assert_eq!(req.target, "/users/u_1");
}

#[tokio::test]
async fn unit_response_accepts_any_body() {
    let server = TestServer::start().await;
    server
        .reply(
            Reply::status(200)
                .header("content-type", "text/html")
                .body("<html>not json</html>"),
        )
        .reply(Reply::json(200, serde_json::json!({"object": "user"})))
        .reply(Reply::status(202).body(vec![0xff, 0x00, 0xfe]));
    let client = client(&server);
    for _ in 0..3 {
        let ban = BanUser {
            user_id: "u_1".into(),
        };
        let response = client.call(&ban).full().await.unwrap();
        let () = response.body;
    }
    let statuses: Vec<_> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(statuses, ["/users/u_1/ban"; 3]);
}

// ---- methods --------------------------------------------------------------------------------

#[endpoint(HEAD, "/things/<id>")]
struct HeadThing {
    id: u8,
}

#[endpoint(OPTIONS, "/things")]
struct OptionsThings {}

#[tokio::test]
async fn head_and_options_arrive_as_written() {
    let server = TestServer::start().await;
    server.reply(Reply::status(200)).reply(Reply::status(204));
    let client = client(&server);
    HeadThing { id: 1 }.send(&client).await.unwrap();
    OptionsThings {}.send(&client).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].method, "HEAD");
    assert_eq!(reqs[0].target, "/things/1");
    assert_eq!(reqs[1].method, "OPTIONS");
    assert_eq!(reqs[1].target, "/things");
}

// ---- generics -------------------------------------------------------------------------------

#[endpoint(POST, "/search/<index>", response = Vec<T>)]
struct SearchIndex<'a, T, F>
where
    T: serde::de::DeserializeOwned,
    F: Serialize,
{
    index: &'a str,
    #[query]
    filter: F,
    text: &'a str,
    #[skip]
    _response: std::marker::PhantomData<fn() -> T>,
}

#[tokio::test]
async fn generic_endpoints() {
    let server = TestServer::start().await;
    server.reply(Reply::json(200, serde_json::json!([{"id": "u_1"}])));
    let found: Vec<User> = SearchIndex {
        index: "users",
        filter: ["active", "admin"],
        text: "ada",
        _response: std::marker::PhantomData,
    }
    .send(&client(&server))
    .await
    .unwrap();
    assert_eq!(found[0].id, "u_1");
    let req = server.single_request();
    assert_eq!(req.target, "/search/users?filter=active&filter=admin");
    assert_eq!(req.json(), serde_json::json!({"text": "ada"}));
}

#[endpoint(GET, "/users/<user_id>/maybe", response = Option<User>)]
struct FindUser {
    user_id: String,
}

#[tokio::test]
async fn optional_response_is_none_for_an_empty_body() {
    let server = TestServer::start().await;
    server
        .reply(Reply::status(204))
        .reply(Reply::json(200, serde_json::json!({"id": "u_1"})));
    let client = client(&server);
    let find = FindUser {
        user_id: "u_1".into(),
    };
    assert!(find.send(&client).await.unwrap().is_none());
    assert_eq!(find.send(&client).await.unwrap().unwrap().id, "u_1");
}

#[endpoint(GET, "/signed")]
struct Signed {
    #[header("X-Signature", sensitive = false)]
    signature: String,
    #[header("X-Tenant", sensitive)]
    tenant: String,
    #[header("Authorization")]
    authorization: String,
    #[header("X-Request-Id")]
    request_id: String,
}

#[test]
fn header_fields_are_sensitive_by_name_unless_they_say_otherwise() {
    let request = Signed {
        signature: "sig_1".into(),
        tenant: "acme".into(),
        authorization: "Bearer sk_1".into(),
        request_id: "req_1".into(),
    }
    .to_request("http://api.test")
    .unwrap();
    let sensitive = |name: &str| request.headers()[name].is_sensitive();
    assert!(!sensitive("x-signature"), "opted out");
    assert!(sensitive("x-tenant"), "opted in");
    assert!(sensitive("authorization"), "by name");
    assert!(!sensitive("x-request-id"));
    let shown = format!("{request:?}");
    assert!(
        !shown.contains("sk_1") && !shown.contains("acme"),
        "{shown}"
    );
}
