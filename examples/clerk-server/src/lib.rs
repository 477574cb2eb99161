//! A local stand-in for Clerk's Backend API on 127.0.0.1, for the `clerk` example and the tests.
//!
//! It answers like Clerk for the operations of the `clerk-sdk` crate: bearer secret key (401 otherwise),
//! `ClerkErrors` bodies with a `clerk_trace_id`, 404 for unknown ids, 422 for values out of
//! range; repeated-key filters, limit/offset pages, `PATCH /instance` answering 204. Tokens are
//! signed-looking JWTs: the signature is a hash, not a key, so no verifier should trust one.
// `Result<_, Response>` is axum's idiom for a handler step that answers early; one per request.
#![allow(clippy::result_large_err)]

mod errors;
mod instance;
mod jwt;
mod organizations;
mod params;
mod sessions;
mod users;

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

use errors::*;
use instance::*;
use jwt::*;
use organizations::*;
use params::*;
use sessions::*;
use users::*;

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
