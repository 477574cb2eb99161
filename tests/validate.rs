//! Field rules and builders, checked end to end: the macros' generated code, the rules in
//! restruct-core, and a real server on 127.0.0.1 that must receive nothing invalid.

mod support;

use std::collections::BTreeMap;

use restruct::{endpoint, Client, Endpoint, Validate, Violation};
use serde::{Deserialize, Serialize};
use support::{Reply, TestServer};

/// Clerk's body for `POST /sessions/{session_id}/tokens/{template_name}`.
#[derive(Debug, Clone, Default, Serialize, Validate)]
pub struct CreateSessionTokenFromTemplateRequestBody {
    /// Clerk accepts 30..=315360000.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 30, max = 315360000))]
    pub expires_in_seconds: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Token {
    pub object: String,
    pub jwt: String,
}

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = Token)]
#[derive(Debug, Clone)]
pub struct CreateSessionTokenFromTemplateRequest {
    #[validate(with = session_id)]
    pub session_id: String,
    #[validate(non_empty, length(max = 64))]
    pub template_name: String,
    #[body]
    #[validate(nested)]
    pub request_body: Option<CreateSessionTokenFromTemplateRequestBody>,
}

fn session_id(id: &str) -> Result<(), String> {
    if id.starts_with("sess_") {
        Ok(())
    } else {
        Err("must start with `sess_`".to_owned())
    }
}

fn violations(errors: restruct::ValidationErrors) -> Vec<(String, &'static str, Option<String>)> {
    errors
        .into_iter()
        .map(|v: Violation| (v.field, v.rule, v.value))
        .collect()
}

fn request(expires: Option<u64>) -> CreateSessionTokenFromTemplateRequest {
    CreateSessionTokenFromTemplateRequest {
        session_id: "sess_123".into(),
        template_name: "custom_hasura".into(),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: expires,
        }),
    }
}

#[test]
fn clerk_expiry_bounds() {
    assert!(request(Some(30)).validate().is_ok());
    assert!(request(Some(315_360_000)).validate().is_ok());
    assert!(request(None).validate().is_ok());
    for bad in [29, 315_360_001, 10] {
        let errors = request(Some(bad)).validate().unwrap_err();
        assert_eq!(
            violations(errors),
            [(
                "request_body.expires_in_seconds".to_owned(),
                "range",
                Some(bad.to_string())
            )]
        );
    }
    let mut no_body = request(None);
    no_body.request_body = None;
    assert!(no_body.validate().is_ok());
}

#[test]
fn every_violation_at_once_with_field_paths() {
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: "user_1".into(),
        template_name: String::new(),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(10),
        }),
    };
    let errors = req.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "invalid request: 4 problems\n  \
         - `session_id` must start with `sess_`\n  \
         - `template_name` must not be empty\n  \
         - `request_body.expires_in_seconds` must be between 30 and 315360000 (got \"10\")\n  \
         - `template_name` must not be empty in a URL path (got \"\")"
    );
    // The derive alone checks the body the same way, without the prefix.
    let body = CreateSessionTokenFromTemplateRequestBody {
        expires_in_seconds: Some(10),
    };
    assert!(Validate::validate(&body)
        .unwrap_err()
        .has("expires_in_seconds"));
}

#[tokio::test]
async fn an_invalid_request_is_never_sent() {
    let server = TestServer::start().await;
    let client = Client::new(format!("{}/v1", server.url())).unwrap();
    let err = CreateSessionTokenFromTemplateRequest {
        session_id: "nope".into(),
        template_name: "x".repeat(65),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(10),
        }),
    }
    .send(&client)
    .await
    .unwrap_err();
    let restruct::Error::Validation(errors) = err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(
        violations(errors),
        [
            ("session_id".to_owned(), "with", None),
            (
                "template_name".to_owned(),
                "length",
                Some("x".repeat(64) + "…")
            ),
            (
                "request_body.expires_in_seconds".to_owned(),
                "range",
                Some("10".to_owned())
            ),
        ]
    );
    assert!(server.requests().is_empty());

    // The same request made valid goes through, with the body as written.
    server.reply(Reply::json(
        200,
        serde_json::json!({"object": "token", "jwt": "a.b.c"}),
    ));
    let token = request(Some(30)).send(&client).await.unwrap();
    assert_eq!(token.jwt, "a.b.c");
    let sent = server.single_request();
    assert_eq!(sent.target, "/v1/sessions/sess_123/tokens/custom_hasura");
    assert_eq!(sent.json(), serde_json::json!({"expires_in_seconds": 30}));
}

/// Every rule on required and optional fields of every role.
#[endpoint(PUT, "/things/<id>")]
pub struct PutThing {
    #[validate(length(min = 2, max = 4))]
    pub id: String,
    #[query]
    #[validate(range(min = 1, max = 100))]
    pub limit: Option<u32>,
    #[query]
    #[validate(non_empty)]
    pub tags: Vec<String>,
    #[header("X-Api-Key")]
    #[validate(length(min = 8))]
    pub api_key: Option<String>,
    #[validate(range(min = -1.5, max = 1.5))]
    pub score: f64,
    #[validate(length(max = 2))]
    pub labels: Option<BTreeMap<String, String>>,
    #[validate(with = even)]
    pub count: Option<i64>,
    #[validate(nested)]
    pub parts: Vec<Part>,
    #[skip]
    pub note: (),
}

fn even(n: &i64) -> Result<(), &'static str> {
    if n % 2 == 0 {
        Ok(())
    } else {
        Err("must be even")
    }
}

#[derive(Debug, Clone, Serialize, Validate)]
pub struct Part {
    #[validate(non_empty)]
    pub r#name: String,
    #[validate(nested)]
    pub inner: Option<Box<Inner>>,
}

#[derive(Debug, Clone, Serialize, Validate)]
pub struct Inner {
    #[validate(range(max = 9))]
    pub digit: u8,
}

fn thing() -> PutThing {
    PutThing {
        id: "ab".into(),
        limit: None,
        tags: vec!["t".into()],
        api_key: None,
        score: 0.0,
        labels: None,
        count: None,
        parts: Vec::new(),
        note: (),
    }
}

fn fields(thing: PutThing) -> Vec<String> {
    match thing.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|v| v.field).collect(),
    }
}

#[test]
fn rules_at_their_boundaries() {
    assert_eq!(
        fields(thing()),
        Vec::<String>::new(),
        "None passes every rule"
    );

    let id = |id: &str| {
        fields(PutThing {
            id: id.into(),
            ..thing()
        })
    };
    assert_eq!(id("a"), ["id"], "length min - 1");
    assert!(id("ab").is_empty(), "length min");
    assert!(id("abcd").is_empty(), "length max");
    assert_eq!(id("abcde"), ["id"], "length max + 1");

    let limit = |n| {
        fields(PutThing {
            limit: Some(n),
            ..thing()
        })
    };
    assert_eq!(limit(0), ["limit"]);
    assert!(limit(1).is_empty());
    assert!(limit(100).is_empty());
    assert_eq!(limit(101), ["limit"]);

    assert_eq!(
        fields(PutThing {
            tags: Vec::new(),
            ..thing()
        }),
        ["tags"]
    );

    let score = |s| {
        fields(PutThing {
            score: s,
            ..thing()
        })
    };
    assert_eq!(score(-1.6), ["score"]);
    assert!(score(-1.5).is_empty());
    assert!(score(1.5).is_empty());
    assert_eq!(score(1.6), ["score"]);
    assert_eq!(score(f64::NAN), ["score"]);

    let labels = |n: usize| {
        let labels = (0..n).map(|i| (i.to_string(), String::new())).collect();
        fields(PutThing {
            labels: Some(labels),
            ..thing()
        })
    };
    assert!(labels(2).is_empty());
    assert_eq!(labels(3), ["labels"]);

    assert!(fields(PutThing {
        count: Some(2),
        ..thing()
    })
    .is_empty());
    assert_eq!(
        fields(PutThing {
            count: Some(3),
            ..thing()
        }),
        ["count"]
    );
}

#[test]
fn header_values_are_never_shown() {
    let errors = PutThing {
        api_key: Some("sk_1".into()),
        ..thing()
    }
    .validate()
    .unwrap_err();
    let v = &errors.violations()[0];
    assert_eq!(
        (v.field.as_str(), v.rule, &v.value),
        ("api_key", "length", &None)
    );
    assert!(!errors.to_string().contains("sk_1"));
}

#[test]
fn nested_lists_and_options_name_the_path() {
    let part = |name: &str, digit: Option<u8>| Part {
        name: name.into(),
        inner: digit.map(|digit| Box::new(Inner { digit })),
    };
    let got = fields(PutThing {
        parts: vec![part("a", Some(9)), part("", None), part("c", Some(10))],
        ..thing()
    });
    assert_eq!(got, ["parts.1.name", "parts.2.inner.digit"]);
}

#[test]
fn the_builder_sets_required_fields_and_takes_inner_values() {
    let req = CreateSessionTokenFromTemplateRequest::builder()
        .session_id("sess_123")
        .template_name("custom_hasura")
        .request_body(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(60),
        })
        .build();
    assert!(req.validate().is_ok());
    let http = req.to_request("http://x/v1").unwrap();
    assert_eq!(
        http.uri(),
        "http://x/v1/sessions/sess_123/tokens/custom_hasura"
    );

    // Optional fields may be left out, or given as an `Option` with `maybe_`.
    let req = PutThing::builder()
        .id("ab")
        .tags(vec!["t".into()])
        .score(0.0)
        .parts(Vec::new())
        .note(())
        .maybe_limit(Some(5))
        .build();
    assert_eq!(req.limit, Some(5));
    assert_eq!(req.api_key, None);

    // `String` setters, required or optional, take anything `Into<String>`.
    let req = PutThing::builder()
        .id("ab")
        .api_key("sk_12345678")
        .tags(Vec::new())
        .score(0.0)
        .parts(Vec::new())
        .note(())
        .build();
    assert_eq!(req.api_key.as_deref(), Some("sk_12345678"));
    // The struct literal needs no builder: the builder only adds to the type.
    let literal = PutThing {
        api_key: None,
        ..req
    };
    assert_eq!(fields(literal), ["tags"]);
}

#[tokio::test]
async fn the_builder_can_send() {
    let server = TestServer::start().await;
    server.reply(Reply::json(
        200,
        serde_json::json!({"object": "token", "jwt": "j"}),
    ));
    let client = Client::new(server.url()).unwrap();
    let token = CreateSessionTokenFromTemplateRequest::builder()
        .session_id("sess_1")
        .template_name("t")
        .send(&client)
        .await
        .unwrap();
    assert_eq!(token.jwt, "j");
    let sent = server.single_request();
    assert_eq!(sent.target, "/sessions/sess_1/tokens/t");
    assert!(sent.body.is_empty());

    // Validation still runs before anything is sent.
    let err = CreateSessionTokenFromTemplateRequest::builder()
        .session_id("sess_1")
        .template_name("t")
        .request_body(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(1),
        })
        .send(&client)
        .await
        .unwrap_err();
    assert!(err.is_validation());
    assert_eq!(server.requests().len(), 1);
}

/// `Endpoint::validate_fields` is what the client runs; check it is the generated one.
#[test]
fn validate_fields_is_generated() {
    let mut errors = restruct::ValidationErrors::new();
    request(Some(1)).validate_fields(&mut errors);
    assert!(errors.has("request_body.expires_in_seconds"));
}

/// Borrowed and generic endpoints get the same builder and finisher.
#[endpoint(GET, "/users/<user_id>/things")]
pub struct ListThings<'a, T: Serialize> {
    #[validate(non_empty)]
    pub user_id: &'a str,
    #[query]
    pub filter: Option<T>,
}

#[tokio::test]
async fn borrowed_and_generic_builders_send() {
    let server = TestServer::start().await;
    let client = Client::new(server.url()).unwrap();
    let user = String::from("u 1");
    ListThings::builder()
        .user_id(&user)
        .filter(7u8)
        .send(&client)
        .await
        .unwrap();
    assert_eq!(
        server.single_request().target,
        "/users/u%201/things?filter=7"
    );
    let err = ListThings::<u8>::builder()
        .user_id("")
        .send(&client)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: 2 problems\n  \
         - `user_id` must not be empty\n  \
         - `user_id` must not be empty in a URL path (got \"\")"
    );
    assert_eq!(server.requests().len(), 1);
}

/// bon's own attributes pass through; a renamed finishing function means no `send` finisher.
#[endpoint(GET, "/search")]
#[builder(finish_fn = done)]
pub struct Search {
    #[query]
    pub q: String,
    #[query]
    #[builder(default = 20)]
    pub per_page: u32,
}

#[test]
fn bon_attributes_pass_through() {
    let search = Search::builder().q("rust").done();
    assert_eq!(search.per_page, 20);
    let http = search.to_request("http://x").unwrap();
    assert_eq!(http.uri(), "http://x/search?q=rust&per_page=20");
}

mod reexported {
    // A crate that re-exports restruct names it with `crate = path`.
    pub use restruct as api;

    #[derive(api::Validate)]
    #[validate(crate = self::api)]
    pub struct Page {
        #[validate(range(min = 1))]
        pub size: u32,
    }
}

#[test]
fn derive_through_a_reexport() {
    let errors = reexported::Page { size: 0 }.validate().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "invalid request: `size` must be at least 1 (got \"0\")"
    );
}
