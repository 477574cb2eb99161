//! A local stand-in for Clerk's Backend API on 127.0.0.1, for the `clerk` example and the tests.
//!
//! It answers like Clerk for the operations of `api.rs`: bearer secret key (401 otherwise),
//! `ClerkErrors` bodies with a `clerk_trace_id`, 404 for unknown ids, 422 for values out of
//! range; repeated-key filters, limit/offset pages, `PATCH /instance` answering 204. Tokens are
//! signed-looking JWTs: the signature is a hash, not a key, so no verifier should trust one.
#![allow(dead_code)]
// the example and each test use a different part
// `Result<_, Response>` is axum's idiom for a handler step that answers early; one per request.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
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
/// The `Clerk-API-Version` values the server knows.
const API_VERSIONS: [&str; 2] = ["2021-02-05", "2025-04-10"];
/// 2023-11-14T22:13:20Z in milliseconds: when the seeded instance was created.
const SEED_TIME: i64 = 1_700_000_000_000;
const DAY_MS: i64 = 86_400_000;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query, still percent-encoded.
    pub target: String,
    pub api_version: Option<String>,
}

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
    /// Every request received, in order.
    log: Mutex<Vec<Seen>>,
}

struct Data {
    sessions: HashMap<String, Session>,
    templates: HashMap<String, Value>,
    /// In creation order.
    users: Vec<Value>,
    organizations: Vec<Value>,
    memberships: Vec<Membership>,
    instance: Map<String, Value>,
}

struct Membership {
    id: String,
    organization_id: String,
    user_id: String,
    role: String,
    created_at: i64,
    updated_at: i64,
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
            .route("/v1/users", get(list_users))
            .route("/v1/users/count", get(count_users))
            .route(
                "/v1/users/{user_id}",
                get(get_user).patch(update_user).delete(delete_user),
            )
            .route("/v1/users/{user_id}/metadata", patch(merge_metadata))
            .route("/v1/users/{user_id}/profile_image", post(upload_image))
            .route("/v1/organizations", get(list_organizations))
            .route(
                "/v1/organizations/{organization_id}/memberships/{user_id}",
                patch(update_membership).delete(delete_membership),
            )
            .route("/v1/instance", patch(update_instance))
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

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Seen> {
        lock(&self.shared.log).clone()
    }

    /// The instance settings as `PATCH /instance` left them.
    pub fn instance(&self) -> Value {
        Value::Object(lock(&self.shared.data).instance.clone())
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
        const PEOPLE: [(&str, &str, &str); 12] = [
            ("alice", "Alice", "Anders"),
            ("bob", "Bob", "Baker"),
            ("carol", "Carol", "Chen"),
            ("dave", "Dave", "Diaz"),
            ("erin", "Erin", "Evans"),
            ("frank", "Frank", "Fischer"),
            ("grace", "Grace", "Gupta"),
            ("heidi", "Heidi", "Hansen"),
            ("ivan", "Ivan", "Ivanov"),
            ("judy", "Judy", "Jones"),
            ("mallory", "Mallory", "Moss"),
            ("oscar", "Oscar", "Olsen"),
        ];
        let users = PEOPLE
            .iter()
            .enumerate()
            .map(|(i, (handle, first, last))| {
                let id = format!("user_2{handle}");
                let created = SEED_TIME + i as i64 * DAY_MS;
                let mut emails = vec![json!({
                    "object": "email_address",
                    "id": format!("idn_{handle}_1"),
                    "email_address": format!("{handle}@example.com"),
                })];
                if i % 4 == 0 {
                    emails.push(json!({
                        "object": "email_address",
                        "id": format!("idn_{handle}_2"),
                        "email_address": format!("{handle}@work.example"),
                    }));
                }
                json!({
                    "object": "user",
                    "id": id,
                    "external_id": (i % 3 == 0).then(|| format!("ext_{handle}")),
                    "username": handle,
                    "first_name": first,
                    "last_name": last,
                    "primary_email_address_id": format!("idn_{handle}_1"),
                    "email_addresses": emails,
                    "phone_numbers": [{
                        "object": "phone_number",
                        "id": format!("idn_{handle}_p"),
                        "phone_number": format!("+1555555{:04}", 100 + i),
                    }],
                    "public_metadata": {},
                    "private_metadata": {},
                    "unsafe_metadata": {},
                    "has_image": false,
                    "image_url": format!("https://img.clerk.com/local/{id}/default.png"),
                    "created_at": created,
                    "updated_at": created,
                })
            })
            .collect();
        const ORGS: [(&str, &str); 8] = [
            ("acme", "Acme Corp"),
            ("globex", "Globex"),
            ("initech", "Initech"),
            ("umbrella", "Umbrella"),
            ("hooli", "Hooli"),
            ("stark", "Stark Industries"),
            ("wayne", "Wayne Enterprises"),
            ("wonka", "Wonka Industries"),
        ];
        let organizations = ORGS
            .iter()
            .enumerate()
            .map(|(i, (slug, name))| {
                let created = SEED_TIME + (i as i64 * 7 + 3) * DAY_MS;
                json!({
                    "object": "organization",
                    "id": format!("org_2{slug}"),
                    "name": name,
                    "slug": slug,
                    "public_metadata": {},
                    "created_at": created,
                    "updated_at": created,
                })
            })
            .collect();
        let memberships = [
            ("acme", "alice", "org:admin"),
            ("acme", "bob", "org:member"),
            ("acme", "carol", "org:member"),
            ("globex", "alice", "org:member"),
            ("globex", "dave", "org:admin"),
            ("initech", "erin", "org:admin"),
            ("initech", "frank", "org:member"),
            ("hooli", "grace", "org:admin"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (org, user, role))| Membership {
            id: format!("orgmem_2{org}{user}"),
            organization_id: format!("org_2{org}"),
            user_id: format!("user_2{user}"),
            role: (*role).to_owned(),
            created_at: SEED_TIME + (60 + i as i64) * DAY_MS,
            updated_at: SEED_TIME + (60 + i as i64) * DAY_MS,
        })
        .collect();
        let instance = json!({
            "test_mode": true,
            "hibp": true,
            "enhanced_email_deliverability": false,
            "support_email": "support@example.com",
            "clerk_js_version": "5",
            "development_origin": null,
            "allowed_origins": [],
            "url_based_session_syncing": false,
        });
        Data {
            sessions,
            templates,
            users,
            organizations,
            memberships,
            instance: match instance {
                Value::Object(map) => map,
                _ => Map::new(),
            },
        }
    }

    fn user(&self, id: &str) -> Option<&Value> {
        self.users.iter().find(|u| u["id"] == id)
    }

    fn user_mut(&mut self, id: &str) -> Option<&mut Value> {
        self.users.iter_mut().find(|u| u["id"] == id)
    }

    fn organization(&self, id: &str) -> Option<&Value> {
        self.organizations.iter().find(|o| o["id"] == id)
    }

    fn members_count(&self, organization_id: &str) -> usize {
        self.memberships
            .iter()
            .filter(|m| m.organization_id == organization_id)
            .count()
    }

    fn membership_json(&self, m: &Membership) -> Value {
        let user = self.user(&m.user_id).cloned().unwrap_or(Value::Null);
        let identifier = primary_email(&user).unwrap_or_default();
        json!({
            "object": "organization_membership",
            "id": m.id,
            "role": m.role,
            "organization": self.organization(&m.organization_id),
            "public_user_data": {
                "user_id": m.user_id,
                "first_name": user["first_name"],
                "last_name": user["last_name"],
                "identifier": identifier,
            },
            "created_at": m.created_at,
            "updated_at": m.updated_at,
        })
    }
}

fn primary_email(user: &Value) -> Option<String> {
    let primary = user["primary_email_address_id"].as_str()?;
    user["email_addresses"]
        .as_array()?
        .iter()
        .find(|e| e["id"] == primary)
        .and_then(|e| e["email_address"].as_str())
        .map(str::to_owned)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
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
    // Unique per response and shaped like Clerk's 32 hex digits.
    let trace = shared.trace.fetch_add(1, Ordering::Relaxed);
    let mut h = DefaultHasher::new();
    (shared.secret.as_str(), trace).hash(&mut h);
    let body =
        json!({"errors": [error], "clerk_trace_id": format!("{:016x}{trace:016x}", h.finish())});
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
    let api_version = request
        .headers()
        .get("clerk-api-version")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    lock(&shared.log).push(Seen {
        method: request.method().to_string(),
        target,
        api_version: api_version.clone(),
    });
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
    if let Some(version) = api_version {
        if !API_VERSIONS.contains(&version.as_str()) {
            return clerk_error(
                &shared,
                StatusCode::BAD_REQUEST,
                "api_version_invalid",
                "Invalid API version",
                &format!("`{version}` is not a Clerk API version; known: {API_VERSIONS:?}"),
                None,
            );
        }
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
// Query strings, pages, bodies

/// Every `key=value` pair of a query string, repeated keys kept.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<String>) -> Params {
        let raw = raw.unwrap_or_default();
        Params(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn one(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `(offset, limit)`, with Clerk's bounds (limit 1..=500, 10 by default).
fn window(shared: &Shared, params: &Params) -> Result<(usize, usize), Response> {
    let limit = match params.one("limit") {
        None => 10,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=500).contains(&n) => n,
            _ => {
                return Err(invalid_param(
                    shared,
                    "limit",
                    &format!("limit must be an integer between 1 and 500, got {v:?}"),
                ))
            }
        },
    };
    let offset = match params.one("offset") {
        None => 0,
        Some(v) => v.parse::<usize>().map_err(|_| {
            invalid_param(
                shared,
                "offset",
                &format!("offset must be a non-negative integer, got {v:?}"),
            )
        })?,
    };
    Ok((offset, limit))
}

/// Sorts by `order_by` (`field` or `-field`), or refuses a field outside `allowed`.
fn sort_by(
    shared: &Shared,
    items: &mut [Value],
    order_by: Option<&str>,
    allowed: &[&str],
) -> Result<(), Response> {
    let order_by = order_by.unwrap_or("-created_at");
    let (descending, field) = match order_by.strip_prefix('-') {
        Some(field) => (true, field),
        None => (false, order_by.strip_prefix('+').unwrap_or(order_by)),
    };
    if !allowed.contains(&field) {
        return Err(invalid_param(
            shared,
            "order_by",
            &format!("order_by must be one of {allowed:?}, optionally prefixed with + or -"),
        ));
    }
    let key = |v: &Value| -> (Option<i64>, Option<String>) {
        let value = if field == "email_address" {
            primary_email(v).map(Value::String).unwrap_or(Value::Null)
        } else {
            v[field].clone()
        };
        (value.as_i64(), value.as_str().map(str::to_lowercase))
    };
    items.sort_by(|a, b| {
        let order = key(a).cmp(&key(b));
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    Ok(())
}

fn page(items: Vec<Value>, offset: usize, limit: usize) -> Vec<Value> {
    items.into_iter().skip(offset).take(limit).collect()
}

/// The body as a JSON object; an empty body is an empty object.
fn json_object(shared: &Shared, body: &[u8]) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(clerk_error(
            shared,
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
            "is invalid",
            "the request body must be a JSON object",
            None,
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Users

fn user_matches(data: &Data, user: &Value, params: &Params) -> bool {
    let strings = |key: &str, field: &str| -> Vec<String> {
        user[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[field].as_str().map(str::to_owned))
            .collect()
    };
    let single =
        |key: &str| -> Vec<String> { user[key].as_str().map(str::to_owned).into_iter().collect() };
    let id = user["id"].as_str().unwrap_or_default();
    let organizations: Vec<String> = data
        .memberships
        .iter()
        .filter(|m| m.user_id == id)
        .map(|m| m.organization_id.clone())
        .collect();
    let emails = strings("email_addresses", "email_address");
    let phones = strings("phone_numbers", "phone_number");
    let filters = [
        ("email_address", emails.clone()),
        ("phone_number", phones.clone()),
        ("external_id", single("external_id")),
        ("username", single("username")),
        ("user_id", single("id")),
        ("organization_id", organizations),
    ];
    // Each filter matches any of its values; all the filters given must match.
    let filtered = filters.iter().all(|(key, values)| {
        let wanted = params.all(key);
        wanted.is_empty()
            || wanted
                .iter()
                .any(|w| values.iter().any(|v| v.eq_ignore_ascii_case(w)))
    });
    let queried = params.one("query").is_none_or(|q| {
        let q = q.to_lowercase();
        let mut haystack = emails;
        haystack.extend(phones);
        for key in ["username", "first_name", "last_name", "id"] {
            haystack.extend(single(key));
        }
        haystack.iter().any(|h| h.to_lowercase().contains(&q))
    });
    filtered && queried
}

async fn list_users(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw);
    let (offset, limit) = match window(&shared, &params) {
        Ok(window) => window,
        Err(response) => return response,
    };
    let data = lock(&shared.data);
    let mut users: Vec<Value> = data
        .users
        .iter()
        .filter(|u| user_matches(&data, u, &params))
        .cloned()
        .collect();
    let allowed = [
        "created_at",
        "updated_at",
        "email_address",
        "first_name",
        "last_name",
        "username",
    ];
    if let Err(response) = sort_by(&shared, &mut users, params.one("order_by"), &allowed) {
        return response;
    }
    Json(page(users, offset, limit)).into_response()
}

async fn count_users(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw);
    let data = lock(&shared.data);
    let count = data
        .users
        .iter()
        .filter(|u| user_matches(&data, u, &params))
        .count();
    Json(json!({"object": "total_count", "total_count": count})).into_response()
}

async fn get_user(State(shared): State<Arc<Shared>>, Path(user_id): Path<String>) -> Response {
    match lock(&shared.data).user(&user_id) {
        Some(user) => Json(user.clone()).into_response(),
        None => not_found_error(&shared, "User"),
    }
}

async fn update_user(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    let mut data = lock(&shared.data);
    let Some(user) = data.user(&user_id) else {
        return not_found_error(&shared, "User");
    };
    // Check everything first, so that a refused update changes nothing.
    for (key, value) in &changes {
        let ok = match key.as_str() {
            "external_id" | "first_name" | "last_name" | "username" => {
                value.is_string() || value.is_null()
            }
            "primary_email_address_id" => value.as_str().is_some_and(|id| {
                user["email_addresses"]
                    .as_array()
                    .is_some_and(|emails| emails.iter().any(|e| e["id"] == id))
            }),
            "public_metadata" | "private_metadata" | "unsafe_metadata" => {
                value.is_object() || value.is_null()
            }
            _ => {
                return clerk_error(
                    &shared,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "form_param_unknown",
                    "is unknown",
                    &format!("{key} is not a valid parameter for this request"),
                    Some(json!({"param_name": key})),
                )
            }
        };
        if !ok {
            return invalid_param(
                &shared,
                key,
                &format!("{key} has an invalid value: {value}"),
            );
        }
    }
    if let Some(Value::String(username)) = changes.get("username") {
        let taken = data
            .users
            .iter()
            .any(|u| u["id"] != user_id.as_str() && u["username"] == username.as_str());
        if taken {
            return clerk_error(
                &shared,
                StatusCode::UNPROCESSABLE_ENTITY,
                "form_identifier_exists",
                "That username is taken. Please try another.",
                "That username is taken. Please try another.",
                Some(json!({"param_name": "username"})),
            );
        }
    }
    let Some(user) = data.user_mut(&user_id) else {
        return not_found_error(&shared, "User");
    };
    for (key, value) in changes {
        // Metadata is never null: clearing it leaves an empty object.
        let value = match (key.ends_with("_metadata"), value) {
            (true, Value::Null) => json!({}),
            (_, value) => value,
        };
        user[key.as_str()] = value;
    }
    user["updated_at"] = json!(now_ms());
    Json(user.clone()).into_response()
}

async fn delete_user(State(shared): State<Arc<Shared>>, Path(user_id): Path<String>) -> Response {
    let mut data = lock(&shared.data);
    let Some(at) = data.users.iter().position(|u| u["id"] == user_id.as_str()) else {
        return not_found_error(&shared, "User");
    };
    data.users.remove(at);
    data.memberships.retain(|m| m.user_id != user_id);
    data.sessions.retain(|_, s| s.user_id != user_id);
    Json(json!({"object": "user", "id": user_id, "deleted": true})).into_response()
}

/// Clerk's metadata merge: objects merge recursively, `null` removes a key, anything else
/// replaces.
fn deep_merge(target: &mut Value, patch: &Value) {
    let (Value::Object(target), Value::Object(patch)) = (target, patch) else {
        return;
    };
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Object(_) if target.get(key).is_some_and(Value::is_object) => {
                if let Some(inner) = target.get_mut(key) {
                    deep_merge(inner, value);
                }
            }
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

async fn merge_metadata(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    for (key, value) in &changes {
        let known = matches!(
            key.as_str(),
            "public_metadata" | "private_metadata" | "unsafe_metadata"
        );
        if !known || !(value.is_object() || value.is_null()) {
            return invalid_param(&shared, key, &format!("{key} must be a metadata object"));
        }
    }
    let mut data = lock(&shared.data);
    let Some(user) = data.user_mut(&user_id) else {
        return not_found_error(&shared, "User");
    };
    for (key, patch) in &changes {
        deep_merge(&mut user[key.as_str()], patch);
    }
    user["updated_at"] = json!(now_ms());
    Json(user.clone()).into_response()
}

/// The first `name="file"` part of a `multipart/form-data` body: `(filename, bytes)`.
fn multipart_file<'b>(headers: &HeaderMap, body: &'b [u8]) -> Option<(String, &'b [u8])> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let boundary = content_type
        .strip_prefix("multipart/form-data")?
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut rest = body;
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        rest = &rest[at + delimiter.len()..];
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        let content = &rest[head_end + 4..];
        let end = find(content, format!("\r\n{delimiter}").as_bytes())?;
        if head.contains("name=\"file\"") {
            let filename = head
                .split("filename=\"")
                .nth(1)
                .and_then(|f| f.split('"').next())
                .unwrap_or("file")
                .to_owned();
            return Some((filename, &content[..end]));
        }
        rest = &content[end..];
    }
    None
}

async fn upload_image(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((filename, file)) = multipart_file(&headers, &body) else {
        return clerk_error(
            &shared,
            StatusCode::BAD_REQUEST,
            "form_param_missing",
            "is missing",
            "a multipart/form-data body with a `file` part is required",
            Some(json!({"param_name": "file"})),
        );
    };
    if file.is_empty() {
        return invalid_param(&shared, "file", "the file is empty");
    }
    let len = file.len();
    let mut data = lock(&shared.data);
    let Some(user) = data.user_mut(&user_id) else {
        return not_found_error(&shared, "User");
    };
    user["has_image"] = json!(true);
    user["image_url"] = json!(format!(
        "https://img.clerk.com/local/{user_id}/{len}-{filename}"
    ));
    user["updated_at"] = json!(now_ms());
    Json(user.clone()).into_response()
}

// ---------------------------------------------------------------------------------------------
// Organizations

async fn list_organizations(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = Params::parse(raw);
    let (offset, limit) = match window(&shared, &params) {
        Ok(window) => window,
        Err(response) => return response,
    };
    let data = lock(&shared.data);
    let query = params.one("query").map(str::to_lowercase);
    let mut organizations: Vec<Value> = data
        .organizations
        .iter()
        .filter(|o| {
            query.as_deref().is_none_or(|q| {
                ["name", "slug", "id"]
                    .iter()
                    .any(|k| o[*k].as_str().is_some_and(|v| v.to_lowercase().contains(q)))
            })
        })
        .map(|o| {
            let mut o = o.clone();
            let id = o["id"].as_str().unwrap_or_default().to_owned();
            o["members_count"] = json!(data.members_count(&id));
            o
        })
        .collect();
    let allowed = ["name", "created_at", "members_count"];
    if let Err(response) = sort_by(
        &shared,
        &mut organizations,
        params.one("order_by"),
        &allowed,
    ) {
        return response;
    }
    let total_count = organizations.len();
    let include_count = params.one("include_members_count") == Some("true");
    let data: Vec<Value> = page(organizations, offset, limit)
        .into_iter()
        .map(|mut o| {
            if !include_count {
                if let Value::Object(map) = &mut o {
                    map.remove("members_count");
                }
            }
            o
        })
        .collect();
    Json(json!({"data": data, "total_count": total_count})).into_response()
}

async fn update_membership(
    State(shared): State<Arc<Shared>>,
    Path((organization_id, user_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    let role = match changes.get("role") {
        None | Some(Value::Null) => {
            return clerk_error(
                &shared,
                StatusCode::UNPROCESSABLE_ENTITY,
                "form_param_missing",
                "is missing",
                "role must be included",
                Some(json!({"param_name": "role"})),
            )
        }
        Some(Value::String(role)) if ["org:admin", "org:member"].contains(&role.as_str()) => {
            role.clone()
        }
        Some(other) => {
            return invalid_param(
                &shared,
                "role",
                &format!("role must be org:admin or org:member, got {other}"),
            )
        }
    };
    let mut data = lock(&shared.data);
    if data.organization(&organization_id).is_none() {
        return not_found_error(&shared, "Organization");
    }
    let Some(m) = data
        .memberships
        .iter_mut()
        .find(|m| m.organization_id == organization_id && m.user_id == user_id)
    else {
        return not_found_error(&shared, "Organization membership");
    };
    m.role = role;
    m.updated_at = now_ms();
    let id = m.id.clone();
    let m = data.memberships.iter().find(|m| m.id == id);
    Json(m.map(|m| data.membership_json(m))).into_response()
}

async fn delete_membership(
    State(shared): State<Arc<Shared>>,
    Path((organization_id, user_id)): Path<(String, String)>,
) -> Response {
    let mut data = lock(&shared.data);
    if data.organization(&organization_id).is_none() {
        return not_found_error(&shared, "Organization");
    }
    let Some(at) = data
        .memberships
        .iter()
        .position(|m| m.organization_id == organization_id && m.user_id == user_id)
    else {
        return not_found_error(&shared, "Organization membership");
    };
    let body = data.membership_json(&data.memberships[at]);
    data.memberships.remove(at);
    Json(body).into_response()
}

// ---------------------------------------------------------------------------------------------
// Instance

async fn update_instance(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    for (key, value) in &changes {
        let ok = match key.as_str() {
            "test_mode"
            | "hibp"
            | "enhanced_email_deliverability"
            | "url_based_session_syncing" => value.is_boolean(),
            "support_email" | "clerk_js_version" | "development_origin" => {
                value.is_string() || value.is_null()
            }
            "allowed_origins" => value
                .as_array()
                .is_some_and(|origins| origins.iter().all(Value::is_string)),
            _ => false,
        };
        if !ok {
            return invalid_param(
                &shared,
                key,
                &format!("{key} has an invalid value: {value}"),
            );
        }
    }
    lock(&shared.data).instance.extend(changes);
    StatusCode::NO_CONTENT.into_response()
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
