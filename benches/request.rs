//! Request building, sans-IO: what every call costs before any I/O.
//!
//! `cargo bench --bench request`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use restruct::{endpoint, Endpoint};
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct TokenBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<u64>,
}

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = serde_json::Value)]
pub struct CreateSessionToken {
    pub session_id: String,
    pub template_name: String,
    #[body]
    pub request_body: Option<TokenBody>,
}

#[endpoint(GET, "/users", response = serde_json::Value, headers("Clerk-API-Version: 2025-04-10"))]
pub struct ListUsers {
    #[query]
    pub email_address: Vec<String>,
    #[query]
    pub limit: Option<u64>,
    #[query]
    pub offset: Option<u64>,
    #[header("X-Request-Id")]
    pub request_id: Option<String>,
}

fn to_request(c: &mut Criterion) {
    let token = CreateSessionToken {
        session_id: "sess_2ZbYq0pX3Fh1b7".into(),
        template_name: "custom hasura/v2".into(),
        request_body: Some(TokenBody {
            expires_in_seconds: Some(3600),
        }),
    };
    c.bench_function("to_request: POST, two path params, JSON body", |b| {
        b.iter(|| black_box(&token).to_request(black_box("https://api.clerk.com/v1")))
    });

    let users = ListUsers {
        email_address: vec!["a@example.com".into(), "b@example.com".into()],
        limit: Some(100),
        offset: Some(200),
        request_id: Some("req_1".into()),
    };
    c.bench_function("to_request: GET, query list and numbers, headers", |b| {
        b.iter(|| black_box(&users).to_request(black_box("https://api.clerk.com/v1")))
    });
}

criterion_group!(benches, to_request);
criterion_main!(benches);
