//! The endpoints and helpers the async and blocking runtime tests share, so that both clients
//! are held to the same cases.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use restruct::transport::BoxFuture;
use restruct::{endpoint, RetryClock, RetryPolicy};
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

/// A clock for retries that waits at once and moves only by the waits, so that retry tests
/// neither wait nor depend on the machine's speed. Clones share the time: give one to the
/// client, read [`waited`](Self::waited) on another.
#[derive(Clone)]
pub struct TestClock {
    start: Instant,
    waited: Arc<Mutex<Duration>>,
}

impl TestClock {
    pub fn new() -> Self {
        TestClock {
            start: Instant::now(),
            waited: Arc::default(),
        }
    }

    /// How long the retries of every call so far waited, in all.
    pub fn waited(&self) -> Duration {
        *self.waited.lock().unwrap()
    }
}

impl RetryClock for TestClock {
    fn now(&self) -> Instant {
        self.start + self.waited()
    }

    fn system_time(&self) -> SystemTime {
        SystemTime::now() + self.waited()
    }

    fn sleep(&self, delay: Duration) -> BoxFuture<'static, ()> {
        self.sleep_blocking(delay);
        Box::pin(std::future::ready(()))
    }

    fn sleep_blocking(&self, delay: Duration) {
        *self.waited.lock().unwrap() += delay;
    }
}
