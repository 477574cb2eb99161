//! A local stand-in for Clerk's Backend API on 127.0.0.1, for the `clerk` example and the tests.
//!
//! It answers like Clerk for the operations the example uses: bearer secret key (401 otherwise),
//! `ClerkErrors` bodies with a `clerk_trace_id`, 404 for unknown ids, 422 for out-of-range
//! values. Tokens are signed-looking JWTs: the signature is a hash, not a key, so no verifier
//! should ever trust one.
#![allow(dead_code)] // the example and each test use a different part

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The secret key the local server accepts.
pub const SECRET_KEY: &str = "sk_test_local_mini_clerk_0000000000";
/// An active session of the seeded user `user_2alice`.
pub const SESSION_ID: &str = "sess_2alice7Gm4Qx1Lr9Zc0Vb3Nw";
/// A JWT template of the seeded instance.
pub const TEMPLATE: &str = "custom_hasura";

/// Clerk's bounds for `expires_in_seconds`.
const EXPIRES_MIN: u64 = 30;
const EXPIRES_MAX: u64 = 315_360_000;
/// Lifetime of a token when the request does not say (Clerk's session tokens live 60 s).
const DEFAULT_LIFETIME: u64 = 60;

/// A running local server; stop it with [`MiniClerk::shutdown`].
pub struct MiniClerk {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

struct Shared {
    secret: String,
    data: Mutex<Data>,
    trace: AtomicU64,
    /// `METHOD /target` of every request received, in order.
    log: Mutex<Vec<String>>,
}

struct Data {
    sessions: HashMap<String, Session>,
    templates: HashMap<String, Value>,
}

struct Session {
    user_id: String,
}

impl MiniClerk {
    /// Starts the server on an ephemeral port of 127.0.0.1 with the seeded instance.
    pub async fn start() -> std::io::Result<MiniClerk> {
        let shared = Arc::new(Shared {
            secret: SECRET_KEY.to_owned(),
            data: Mutex::new(Data::seed()),
            trace: AtomicU64::new(1),
            log: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route(
                "/v1/sessions/{session_id}/tokens/{template_name}",
                post(create_token_from_template),
            )
            .route("/v1/sessions/{session_id}/tokens", post(create_token))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(
                Arc::clone(&shared),
                authorize,
            ))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                eprintln!("mini clerk stopped: {e}");
            }
        });
        Ok(MiniClerk {
            addr,
            shared,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/v1`, the counterpart of `https://api.clerk.com/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// `METHOD /target` of every request received so far, in order.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.shared.log).clone()
    }

    /// Stops accepting, lets requests in flight finish, and waits (at most 5 s) for the server.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(mut task) = self.task.take() {
            // A client that keeps an idle connection open must not keep the example running.
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for MiniClerk {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked leaves data that is still usable for a test server.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Data {
    fn seed() -> Data {
        let sessions = HashMap::from([(
            SESSION_ID.to_owned(),
            Session {
                user_id: "user_2alice".to_owned(),
            },
        )]);
        let templates = HashMap::from([
            (
                TEMPLATE.to_owned(),
                json!({
                    "https://hasura.io/jwt/claims": {
                        "x-hasura-default-role": "user",
                        "x-hasura-allowed-roles": ["user"],
                        "x-hasura-user-id": "{{user.id}}"
                    }
                }),
            ),
            (
                "supabase".to_owned(),
                json!({"aud": "authenticated", "role": "authenticated", "email": "{{user.primary_email_address}}"}),
            ),
        ]);
        Data {
            sessions,
            templates,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors, in Clerk's shape

fn clerk_error(
    shared: &Shared,
    status: StatusCode,
    code: &str,
    message: &str,
    long_message: &str,
    meta: Option<Value>,
) -> Response {
    let mut error = json!({"message": message, "long_message": long_message, "code": code});
    if let Some(meta) = meta {
        error["meta"] = meta;
    }
    let trace = shared.trace.fetch_add(1, Ordering::Relaxed);
    let body = json!({"errors": [error], "clerk_trace_id": format!("{trace:032x}")});
    (status, Json(body)).into_response()
}

fn not_found_error(shared: &Shared, what: &str) -> Response {
    clerk_error(
        shared,
        StatusCode::NOT_FOUND,
        "resource_not_found",
        "not found",
        &format!("{what} not found"),
        None,
    )
}

fn invalid_param(shared: &Shared, param: &str, long_message: &str) -> Response {
    clerk_error(
        shared,
        StatusCode::UNPROCESSABLE_ENTITY,
        "form_param_value_invalid",
        "is invalid",
        long_message,
        Some(json!({"param_name": param})),
    )
}

async fn not_found(State(shared): State<Arc<Shared>>) -> Response {
    not_found_error(&shared, "Resource")
}

/// Logs the request and checks the bearer secret key, as Clerk does before anything else.
async fn authorize(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(String::new, |pq| pq.as_str().to_owned());
    lock(&shared.log).push(format!("{} {target}", request.method()));
    let expected = format!("Bearer {}", shared.secret);
    let given = request.headers().get(header::AUTHORIZATION);
    if given.is_none_or(|value| value.as_bytes() != expected.as_bytes()) {
        return clerk_error(
            &shared,
            StatusCode::UNAUTHORIZED,
            "authentication_invalid",
            "Invalid authentication",
            "Unable to authenticate the request, you need to supply an active API key",
            None,
        );
    }
    next.run(request).await
}

// ---------------------------------------------------------------------------------------------
// Sessions: tokens

async fn create_token_from_template(
    State(shared): State<Arc<Shared>>,
    Path((session_id, template_name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    mint(&shared, &session_id, Some(&template_name), &body)
}

async fn create_token(
    State(shared): State<Arc<Shared>>,
    Path(session_id): Path<String>,
    body: Bytes,
) -> Response {
    mint(&shared, &session_id, None, &body)
}

fn mint(shared: &Shared, session_id: &str, template: Option<&str>, body: &[u8]) -> Response {
    let lifetime = match expires_in_seconds(body) {
        Ok(lifetime) => lifetime.unwrap_or(DEFAULT_LIFETIME),
        Err(long_message) => return invalid_param(shared, "expires_in_seconds", &long_message),
    };
    let data = lock(&shared.data);
    let Some(session) = data.sessions.get(session_id) else {
        return not_found_error(shared, "Session");
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut claims = json!({
        "azp": "http://localhost:3000",
        "exp": now + lifetime,
        "iat": now,
        "iss": "https://clerk.local.test",
        "nbf": now.saturating_sub(5),
        "sid": session_id,
        "sub": session.user_id,
    });
    if let Some(name) = template {
        let Some(custom) = data.templates.get(name) else {
            return not_found_error(shared, "JWT template");
        };
        let custom = custom
            .to_string()
            .replace("{{user.id}}", &session.user_id)
            .replace("{{user.primary_email_address}}", "alice@example.com");
        if let (Value::Object(claims), Ok(Value::Object(custom))) =
            (&mut claims, serde_json::from_str(&custom))
        {
            claims.extend(custom);
        }
    }
    let jwt = sign(&shared.secret, &claims);
    Json(json!({"object": "token", "jwt": jwt})).into_response()
}

/// `expires_in_seconds` of an optional JSON body: absent or `null` is `None`.
fn expires_in_seconds(body: &[u8]) -> Result<Option<u64>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let body: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    match body.get("expires_in_seconds") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_u64() {
            Some(n) if (EXPIRES_MIN..=EXPIRES_MAX).contains(&n) => Ok(Some(n)),
            _ => Err(format!(
                "expires_in_seconds must be an integer between {EXPIRES_MIN} and {EXPIRES_MAX}, got {value}"
            )),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// JWT shape, no crypto

/// `header.payload.signature`, base64url without padding, as an RS256 JWT looks. The signature
/// is 256 bytes of SipHash output keyed by the secret: the right shape and stable for a given
/// input, and worthless as a proof of anything.
fn sign(secret: &str, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "kid": "ins_local_mini_clerk", "typ": "JWT"});
    let signing_input = format!(
        "{}.{}",
        base64url(header.to_string().as_bytes()),
        base64url(claims.to_string().as_bytes())
    );
    let mut signature = Vec::with_capacity(256);
    for block in 0u64..32 {
        let mut h = DefaultHasher::new();
        secret.hash(&mut h);
        signing_input.hash(&mut h);
        block.hash(&mut h);
        signature.extend_from_slice(&h.finish().to_be_bytes());
    }
    format!("{signing_input}.{}", base64url(&signature))
}

/// RFC 4648 §5 base64url, no padding (as JWTs use it).
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        // 1, 2 or 3 bytes make 2, 3 or 4 characters.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}
