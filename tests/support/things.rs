//! The endpoints and helpers the async and blocking runtime tests share, so that both clients
//! are held to the same cases.

use std::time::Duration;

use restruct::{endpoint, RetryPolicy};
use serde::Deserialize;
use serde_json::json;

use super::Reply;

#[derive(Debug, Deserialize, PartialEq)]
pub struct Thing {
    pub id: String,
}

#[endpoint(GET, "/things/<id>", response = Thing)]
pub struct GetThing {
    pub id: String,
}

#[endpoint(POST, "/things", response = Thing)]
pub struct CreateThing {
    pub name: String,
}

#[endpoint(POST, "/things", response = Thing, idempotent)]
pub struct CreateThingIdempotently {
    pub name: String,
}

/// `200 {"id": id}`.
pub fn thing(id: &str) -> Reply {
    Reply::json(200, json!({ "id": id }))
}

/// Retries quickly: 1 ms backoff without jitter, no limit on elapsed time.
pub fn fast() -> RetryPolicy {
    RetryPolicy::exponential()
        .initial_interval(Duration::from_millis(1))
        .jitter(false)
        .no_max_elapsed_time()
}

pub fn get(id: &str) -> GetThing {
    GetThing { id: id.into() }
}
