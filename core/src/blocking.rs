//! The client for synchronous code (feature `blocking`).

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use crate::call::{
    after_attempt, call_span, finish, Attempt, BodyBuffer, CallOptions, Config, Failure, Prepared,
};
use crate::client::{BuildError, ClientBuilder, Response};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::retry::{RetryPolicy, Retrying};

/// Sends endpoints from synchronous code: the same configuration, request building, retries,
/// limits, errors and tracing as [`Client`](crate::Client), over reqwest's blocking client.
///
/// Build it with [`BlockingClient::new`] or [`ClientBuilder::build_blocking`]. Cheap to clone
/// (an `Arc` inside). Like reqwest's blocking client, it must not be built, used or dropped
/// inside an async runtime; use [`Client`](crate::Client) there.
///
/// ```no_run
/// # fn run<E: restruct_core::Endpoint>(req: E) -> Result<(), restruct_core::Error<E::Error>> {
/// use restruct_core::{BlockingClient, RetryPolicy};
///
/// let client = BlockingClient::builder()
///     .base_url("https://api.clerk.com/v1")
///     .bearer_auth("sk_test_...")
///     .retry(RetryPolicy::exponential())
///     .build_blocking()
///     .unwrap();
/// let body = client.send(&req)?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct BlockingClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::blocking::Client,
    config: Config,
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner.config, f)
    }
}

impl BlockingClient {
    /// A client for `base_url` with every default.
    pub fn new(base_url: impl Into<String>) -> Result<BlockingClient, BuildError> {
        ClientBuilder::default().base_url(base_url).build_blocking()
    }

    /// A builder for everything a client can be configured with; finish it with
    /// [`build_blocking`](ClientBuilder::build_blocking).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_parts(http: reqwest::blocking::Client, config: Config) -> Self {
        BlockingClient {
            inner: Arc::new(Inner { http, config }),
        }
    }

    /// The base URL every endpoint path is appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    /// The retry policy of every call that does not set its own.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.config.retry
    }

    /// Validates `endpoint`, sends it, and decodes the 2xx body.
    pub fn send<T: Endpoint + ?Sized>(&self, endpoint: &T) -> Result<T::Response, Error<T::Error>> {
        self.send_full_with(endpoint, CallOptions::new())
            .map(Response::into_body)
    }

    /// Like [`send`](Self::send), keeping the status and headers with the body.
    pub fn send_full<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
    ) -> Result<Response<T::Response>, Error<T::Error>> {
        self.send_full_with(endpoint, CallOptions::new())
    }

    /// Like [`send`](Self::send), with options for this call only.
    pub fn send_with<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: CallOptions,
    ) -> Result<T::Response, Error<T::Error>> {
        self.send_full_with(endpoint, options)
            .map(Response::into_body)
    }

    /// Like [`send_full`](Self::send_full), with options for this call only. With retries, the
    /// status, headers and body are the last attempt's.
    pub fn send_full_with<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: CallOptions,
    ) -> Result<Response<T::Response>, Error<T::Error>> {
        let config = &self.inner.config;
        let span = call_span::<T>();
        let _entered = span.enter();
        let prepared = config.prepare(endpoint, &options)?;
        let mut retrying = Retrying::new(config.policy(&options), T::idempotent());
        loop {
            let attempt = self.attempt(&prepared);
            match after_attempt::<T>(&mut retrying, &attempt) {
                Some(delay) => std::thread::sleep(delay),
                None => return finish::<T>(&span, &retrying, attempt),
            }
        }
    }

    /// Builds the request for `endpoint` with this client's base URL and default headers,
    /// without sending it.
    pub fn request<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
    ) -> Result<http::Request<Vec<u8>>, Error<T::Error>> {
        self.inner.config.request(endpoint, &CallOptions::new())
    }

    /// Like [`request`](Self::request), with the headers and base URL of `options` applied.
    pub fn request_with<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: &CallOptions,
    ) -> Result<http::Request<Vec<u8>>, Error<T::Error>> {
        self.inner.config.request(endpoint, options)
    }

    fn attempt(&self, prepared: &Prepared) -> Attempt {
        let mut request =
            reqwest::blocking::Request::new(prepared.method.clone(), prepared.url.clone());
        *request.headers_mut() = prepared.headers.clone();
        *request.body_mut() = Some(prepared.body.clone().into());
        if let Some(timeout) = prepared.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        let mut response = self.inner.http.execute(request)?;
        let mut body = Limited {
            body: BodyBuffer::new(
                response.status(),
                response.content_length(),
                prepared.max_response_size,
            )?,
            too_large: None,
        };
        if let Err(e) = response.copy_to(&mut body) {
            return Err(body.too_large.unwrap_or_else(|| e.into()));
        }
        Ok(body.body.finish(std::mem::take(response.headers_mut())))
    }
}

/// The body buffer as the `Write` that reqwest's blocking `copy_to` wants, keeping why it
/// refused a write (the `io::Error` reqwest wraps cannot carry that).
struct Limited {
    body: BodyBuffer,
    too_large: Option<Failure>,
}

impl Write for Limited {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.body.push(buf) {
            Ok(()) => Ok(buf.len()),
            Err(failure) => {
                self.too_large = Some(failure);
                Err(io::Error::other(
                    "the response body is larger than the limit",
                ))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
