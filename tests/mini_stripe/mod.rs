//! A mini Stripe on 127.0.0.1: customers and payment intents, with bodies parsed the way Stripe
//! (Rack) parses bracket-nested forms, cursor pagination, `Stripe-Version`, bearer auth, and
//! idempotency keys enforced as Stripe does: the same key and body answer the first response
//! again with no second effect; the same key with another body is a 400 `idempotency_error`.
//! `fail_after_effect(n)` makes the next `n` POSTs take effect and then answer 503, as a server
//! that fails after committing would: only the idempotency key keeps the retry from a second
//! effect.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

pub const SECRET_KEY: &str = "sk_test_mini_stripe";
pub const VERSION: &str = "2024-06-20";

#[derive(Default)]
pub struct Shared {
    customers: Mutex<BTreeMap<String, Value>>,
    intents: Mutex<Vec<Value>>,
    next_id: Mutex<u64>,
    idempotency: Mutex<HashMap<String, (String, StatusCode, Value)>>,
    fail_after_effect: Mutex<u32>,
    /// Every request as it arrived: method, path and query, headers, raw body.
    pub seen: Mutex<Vec<(Method, String, HeaderMap, String)>>,
}

pub struct MiniStripe {
    addr: SocketAddr,
    pub shared: Arc<Shared>,
}

impl MiniStripe {
    pub async fn start() -> MiniStripe {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/v1/customers", post(create_customer).get(list_customers))
            .route(
                "/v1/customers/{id}",
                get(get_customer)
                    .post(update_customer)
                    .delete(delete_customer),
            )
            .route("/v1/payment_intents", post(create_intent))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        MiniStripe { addr, shared }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The next `n` POSTs take effect, then answer 503.
    pub fn fail_after_effect(&self, n: u32) {
        *self.shared.fail_after_effect.lock().unwrap() = n;
    }

    pub fn customer_count(&self) -> usize {
        self.shared.customers.lock().unwrap().len()
    }

    pub fn intents(&self) -> Vec<Value> {
        self.shared.intents.lock().unwrap().clone()
    }

    /// The raw bodies of the requests to `path`, in order.
    pub fn bodies(&self, method: Method, path: &str) -> Vec<String> {
        let seen = self.shared.seen.lock().unwrap();
        seen.iter()
            .filter(|(m, target, ..)| *m == method && target.split('?').next() == Some(path))
            .map(|(.., body)| body.clone())
            .collect()
    }

    pub fn requests(&self) -> Vec<(Method, String, HeaderMap, String)> {
        self.shared.seen.lock().unwrap().clone()
    }
}

/// Parses `a[b][c]=1&d[]=x&d[]=y&e[0][f]=2` the way Rack does, into JSON (every leaf a string;
/// `key=` with nothing else is the empty string, which Stripe reads as "unset").
pub fn parse_nested(form: &str) -> Value {
    let mut root = Value::Object(Map::new());
    for (key, value) in form_urlencoded::parse(form.as_bytes()) {
        let (head, rest) = match key.find('[') {
            Some(i) => (&key[..i], &key[i..]),
            None => (&key[..], ""),
        };
        let mut path = vec![head.to_owned()];
        let mut rest = rest;
        while let Some(stripped) = rest.strip_prefix('[') {
            let Some(end) = stripped.find(']') else { break };
            path.push(stripped[..end].to_owned());
            rest = &stripped[end + 1..];
        }
        insert(&mut root, &path, Value::String(value.into_owned()));
    }
    root
}

/// Rack's `normalize_params`: `[n]` is the n-th element, `[]` appends a scalar, and
/// `[][child]` fills the last element unless it already has `child` (then starts a new one).
fn insert(node: &mut Value, path: &[String], value: Value) {
    let (first, rest) = path.split_first().expect("a key has a name");
    let index = if first.is_empty() {
        Some(None)
    } else {
        first.parse::<usize>().ok().map(Some)
    };
    if let Some(index) = index {
        if !node.is_array() {
            *node = Value::Array(Vec::new());
        }
        let items = node.as_array_mut().unwrap();
        let index = match index {
            Some(n) => n,
            None if rest.is_empty() => items.len(),
            None => {
                let child = &rest[0];
                match items.last() {
                    Some(Value::Object(last)) if !last.contains_key(child) => items.len() - 1,
                    _ => items.len(),
                }
            }
        };
        while items.len() <= index {
            items.push(if rest.is_empty() {
                Value::Null
            } else {
                Value::Object(Map::new())
            });
        }
        if rest.is_empty() {
            items[index] = value;
        } else {
            insert(&mut items[index], rest, value);
        }
        return;
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    let map = node.as_object_mut().unwrap();
    if rest.is_empty() {
        map.insert(first.clone(), value);
    } else {
        insert(map.entry(first.clone()).or_insert(Value::Null), rest, value);
    }
}

fn error(
    status: StatusCode,
    kind: &str,
    code: &str,
    message: &str,
    param: Option<&str>,
) -> Response {
    let body = json!({"error": {"type": kind, "code": code, "message": message, "param": param}});
    (status, Json(body)).into_response()
}

/// Auth, version, and the record of the request; `Some` is the refusal to answer with.
fn check(
    shared: &Shared,
    method: Method,
    target: String,
    headers: &HeaderMap,
    body: &str,
) -> Option<Response> {
    shared
        .seen
        .lock()
        .unwrap()
        .push((method, target, headers.clone(), body.to_owned()));
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    if auth != Some(&format!("Bearer {SECRET_KEY}")) {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "api_key_invalid",
            "Invalid API Key provided",
            None,
        ));
    }
    if headers.get("stripe-version").and_then(|v| v.to_str().ok()) != Some(VERSION) {
        return Some(error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "version_invalid",
            "Unknown Stripe-Version",
            None,
        ));
    }
    None
}

/// A form POST checked (see `check`) and parsed: its raw text and its nested tree.
fn read_form(
    shared: &Shared,
    target: String,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(String, Value), Box<Response>> {
    let body = String::from_utf8_lossy(body).into_owned();
    if let Some(refused) = check(shared, Method::POST, target, headers, &body) {
        return Err(Box::new(refused));
    }
    let form = parse_nested(&body);
    Ok((body, form))
}

/// Runs a POST's effect once per idempotency key, as Stripe does: the same key and body
/// answer the stored response again (`Idempotent-Replayed: true`); the same key with another
/// body is a 400 `idempotency_error`. Then, while `fail_after_effect` lasts, the answer is
/// replaced by a 503, whatever happened behind it.
fn idempotent(
    shared: &Shared,
    headers: &HeaderMap,
    body: &str,
    effect: impl FnOnce() -> (StatusCode, Value),
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let stored = key
        .as_ref()
        .and_then(|key| shared.idempotency.lock().unwrap().get(key).cloned());
    let answer = match stored {
        Some((first_body, ..)) if first_body != body => error(
            StatusCode::BAD_REQUEST,
            "idempotency_error",
            "idempotency_key_in_use",
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            None,
        ),
        Some((_, status, response)) => {
            let mut answer = (status, Json(response)).into_response();
            answer
                .headers_mut()
                .insert("idempotent-replayed", "true".parse().unwrap());
            answer
        }
        None => {
            let (status, response) = effect();
            if let Some(key) = key {
                shared
                    .idempotency
                    .lock()
                    .unwrap()
                    .insert(key, (body.to_owned(), status, response.clone()));
            }
            (status, Json(response)).into_response()
        }
    };
    let mut fail = shared.fail_after_effect.lock().unwrap();
    if *fail > 0 {
        *fail -= 1;
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "api_error",
            "unavailable",
            "try again",
            None,
        );
    }
    answer
}

fn next_id(shared: &Shared, prefix: &str) -> String {
    let mut next = shared.next_id.lock().unwrap();
    *next += 1;
    format!("{prefix}_{:04}", *next)
}

fn metadata(form: &Value) -> Option<Value> {
    match form.get("metadata")? {
        // `metadata=` clears it.
        Value::String(s) if s.is_empty() => Some(json!({})),
        other => Some(other.clone()),
    }
}

fn expanded(customer: &Value, expand: Option<&Value>) -> Value {
    let mut customer = customer.clone();
    let wants = |field: &str| {
        expand
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|v| v == field))
    };
    if wants("default_source") {
        customer["default_source"] = json!({"id": "card_1", "object": "card"});
    }
    customer
}

async fn create_customer(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (body, form) = match read_form(&shared, "/v1/customers".into(), &headers, &body) {
        Ok(read) => read,
        Err(refused) => return *refused,
    };
    idempotent(&shared, &headers, &body, || {
        let id = next_id(&shared, "cus");
        let customer = json!({
            "id": id,
            "object": "customer",
            "email": form.get("email"),
            "name": form.get("name"),
            "metadata": metadata(&form).unwrap_or(json!({})),
            "default_source": "card_1",
        });
        shared
            .customers
            .lock()
            .unwrap()
            .insert(id, customer.clone());
        (StatusCode::OK, expanded(&customer, form.get("expand")))
    })
}

async fn get_customer(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let target = format!("/v1/customers/{id}?{}", query.clone().unwrap_or_default());
    if let Some(answer) = check(&shared, Method::GET, target, &headers, "") {
        return answer;
    }
    let query = parse_nested(&query.unwrap_or_default());
    match shared.customers.lock().unwrap().get(&id) {
        Some(customer) => Json(expanded(customer, query.get("expand"))).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "resource_missing",
            &format!("No such customer: '{id}'"),
            Some("id"),
        ),
    }
}

async fn update_customer(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (body, form) = match read_form(&shared, format!("/v1/customers/{id}"), &headers, &body) {
        Ok(read) => read,
        Err(refused) => return *refused,
    };
    idempotent(&shared, &headers, &body, || {
        let mut customers = shared.customers.lock().unwrap();
        let Some(customer) = customers.get_mut(&id) else {
            let body = json!({"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such customer", "param": "id"}});
            return (StatusCode::NOT_FOUND, body);
        };
        for field in ["email", "name"] {
            if let Some(value) = form.get(field) {
                customer[field] = value.clone();
            }
        }
        match (form.get("metadata"), metadata(&form)) {
            (Some(Value::String(_)), Some(cleared)) => customer["metadata"] = cleared,
            (Some(Value::Object(update)), _) => {
                for (key, value) in update {
                    match value {
                        Value::String(s) if s.is_empty() => {
                            customer["metadata"].as_object_mut().unwrap().remove(key);
                        }
                        value => {
                            customer["metadata"][key] = value.clone();
                        }
                    }
                }
            }
            _ => {}
        }
        (StatusCode::OK, customer.clone())
    })
}

async fn delete_customer(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(answer) = check(
        &shared,
        Method::DELETE,
        format!("/v1/customers/{id}"),
        &headers,
        "",
    ) {
        return answer;
    }
    match shared.customers.lock().unwrap().remove(&id) {
        Some(_) => Json(json!({"id": id, "object": "customer", "deleted": true})).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "resource_missing",
            "No such customer",
            Some("id"),
        ),
    }
}

async fn list_customers(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let target = format!("/v1/customers?{}", query.clone().unwrap_or_default());
    if let Some(answer) = check(&shared, Method::GET, target, &headers, "") {
        return answer;
    }
    let query = parse_nested(&query.unwrap_or_default());
    let limit = query
        .get("limit")
        .and_then(Value::as_str)
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(10)
        .clamp(1, 100);
    let after = query.get("starting_after").and_then(Value::as_str);
    let customers = shared.customers.lock().unwrap();
    let rest: Vec<&Value> = customers
        .iter()
        .filter(|(id, _)| after.is_none_or(|after| id.as_str() > after))
        .map(|(_, c)| c)
        .collect();
    let page: Vec<Value> = rest.iter().take(limit).map(|c| (*c).clone()).collect();
    Json(json!({"object": "list", "url": "/v1/customers", "has_more": rest.len() > limit, "data": page})).into_response()
}

async fn create_intent(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (body, form) = match read_form(&shared, "/v1/payment_intents".into(), &headers, &body) {
        Ok(read) => read,
        Err(refused) => return *refused,
    };
    let Some(amount) = form
        .get("amount")
        .and_then(Value::as_str)
        .and_then(|a| a.parse::<u64>().ok())
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "parameter_missing",
            "Missing required param: amount.",
            Some("amount"),
        );
    };
    idempotent(&shared, &headers, &body, || {
        let intent = json!({
            "id": next_id(&shared, "pi"),
            "object": "payment_intent",
            "amount": amount,
            "currency": form.get("currency"),
            "payment_method_types": form.get("payment_method_types"),
            "metadata": metadata(&form).unwrap_or(json!({})),
            "status": "requires_payment_method",
        });
        shared.intents.lock().unwrap().push(intent.clone());
        (StatusCode::OK, intent)
    })
}
