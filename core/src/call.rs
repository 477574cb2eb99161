//! What the async and the blocking client share: per-call options, the configuration, the
//! request prepared once per call, the retry loop's decisions and tracing, and decoding.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{
    HeaderName, HeaderValue, AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, SET_COOKIE,
};
use http::{HeaderMap, Method, StatusCode};

use crate::client::{check_base_url, Response};
use crate::endpoint::Endpoint;
use crate::error::{ApiError, DecodeError, Error, TransportError};
use crate::retry::{Next, Outcome, RetryPolicy, Retrying};
use crate::validate::{ValidationErrors, Violation};

/// Options for one call that override the client's: timeout, extra headers, retry policy,
/// base URL. No new client is made, so the connection pool is shared.
///
/// ```no_run
/// # async fn run<E: restruct_core::Endpoint>(client: restruct_core::Client, req: E) {
/// use std::time::Duration;
/// use restruct_core::{CallOptions, RetryPolicy};
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(2))
///     .header("Idempotency-Key", "8e0f7a4c")
///     .retry(RetryPolicy::exponential().max_attempts(3));
/// let result = client.send_with(&req, options).await;
/// # }
/// ```
///
/// A header given here replaces the same header from the client's defaults and from the
/// endpoint's own `#[header]` fields. Mistakes (an invalid header value or base URL) are
/// reported by the call as [`Error::Validation`], before anything is sent.
#[derive(Clone, Default)]
#[must_use]
pub struct CallOptions {
    timeout: Option<Duration>,
    headers: HeaderMap,
    retry: Option<RetryPolicy>,
    base_url: Option<String>,
    invalid_headers: Vec<String>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be secrets (a per-call token): names only.
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("retry", &self.retry)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl CallOptions {
    /// No overrides: the call behaves as the client is configured.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The limit on each attempt of this call, from sending to the last byte of the body,
    /// instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends this header with this call, replacing the client's and the endpoint's value.
    /// `Authorization`, `Proxy-Authorization` and `Cookie` are marked sensitive.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match header_pair(name, value, false) {
            Some((name, value)) => {
                self.headers.insert(name, value);
            }
            None => self.invalid_headers.push(name.to_owned()),
        }
        self
    }

    /// Sends `Authorization: Bearer <token>` with this call instead of the client's token.
    pub fn bearer_auth(self, token: impl fmt::Display) -> Self {
        self.header(AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    /// The retry policy for this call instead of the client's ([`RetryPolicy::none`] turns
    /// retries off for it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends this call to another base URL (its path prefix is kept, as for the client's).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }
}

/// A header for a client's defaults or a call's options; `None` when the name or the value is
/// invalid. Credentials (`Authorization`, `Proxy-Authorization`, `Cookie`) are marked sensitive
/// whichever setter gave them, so that `Debug` never shows them.
pub(crate) fn header_pair(
    name: &str,
    value: &str,
    sensitive: bool,
) -> Option<(HeaderName, HeaderValue)> {
    let name = HeaderName::try_from(name).ok()?;
    let mut value = HeaderValue::try_from(value).ok()?;
    value.set_sensitive(sensitive || [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE].contains(&name));
    Some((name, value))
}

/// What both clients are configured with.
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) headers: HeaderMap,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_response_size: usize,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<_> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if value.is_sensitive() {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("headers", &headers)
            .field("timeout", &self.timeout)
            .field("max_response_size", &self.max_response_size)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// The request for `endpoint` with the defaults and `options` applied.
    pub(crate) fn request<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: &CallOptions,
    ) -> Result<http::Request<Vec<u8>>, Error<T::Error>> {
        let mut problems = ValidationErrors::new();
        for name in &options.invalid_headers {
            problems.push(Violation::new(
                name.as_str(),
                "header",
                "is not a valid header name or value (in the call options)",
            ));
        }
        let base_url = match options.base_url.as_deref().map(check_base_url) {
            None => Cow::Borrowed(self.base_url.as_str()),
            Some(Ok(url)) => Cow::Owned(url),
            Some(Err(e)) => {
                problems.push(Violation::new("base_url", "url", e.to_string()));
                Cow::Borrowed(self.base_url.as_str())
            }
        };
        let mut request = match endpoint.to_request(&base_url) {
            Ok(request) if problems.is_empty() => request,
            Ok(_) => return Err(Error::Validation(problems)),
            Err(errors) => {
                for violation in errors {
                    problems.push(violation);
                }
                return Err(Error::Validation(problems));
            }
        };
        let headers = request.headers_mut();
        for (name, value) in &self.headers {
            if !headers.contains_key(name) {
                headers.insert(name, value.clone());
            }
        }
        for (name, value) in &options.headers {
            headers.insert(name, value.clone());
        }
        Ok(request)
    }

    /// The request in the form every attempt is sent from: the body is serialized once and
    /// shared by reference count.
    pub(crate) fn prepare<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: &CallOptions,
    ) -> Result<Prepared, Error<T::Error>> {
        let (parts, body) = self.request(endpoint, options)?.into_parts();
        let url = reqwest::Url::parse(&parts.uri.to_string()).map_err(|e| {
            let mut errors = ValidationErrors::new();
            errors.push(Violation::new(
                "<url>",
                "url",
                format!("is not a valid URL: {e}"),
            ));
            Error::Validation(errors)
        })?;
        Ok(Prepared {
            method: parts.method,
            url,
            headers: parts.headers,
            body: Bytes::from(body),
            timeout: options.timeout.or(self.timeout),
            max_response_size: self.max_response_size,
        })
    }

    pub(crate) fn policy<'a>(&'a self, options: &'a CallOptions) -> &'a RetryPolicy {
        options.retry.as_ref().unwrap_or(&self.retry)
    }
}

/// One call's request, ready to be sent as many times as the retry policy allows.
pub(crate) struct Prepared {
    pub(crate) method: Method,
    pub(crate) url: reqwest::Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_response_size: usize,
}

/// A response read in full (within the size limit).
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Answer {
    /// A response read in full. `Set-Cookie` values are marked sensitive, so that `Debug` of a
    /// response or an [`Error::Api`] (which may well end up in a log) does not show a session.
    pub(crate) fn new(status: StatusCode, mut headers: HeaderMap, body: Bytes) -> Self {
        if let http::header::Entry::Occupied(mut cookies) = headers.entry(SET_COOKIE) {
            for value in cookies.iter_mut() {
                value.set_sensitive(true);
            }
        }
        Answer {
            status,
            headers,
            body,
        }
    }
}

/// How much of a declared `Content-Length` is reserved before reading: a server that announces
/// a body as large as the limit and sends little must not make every call allocate the limit.
const PREALLOCATE_MAX: u64 = 64 * 1024;

/// A response body read up to the size limit; both clients feed it the chunks they receive.
pub(crate) struct BodyBuffer {
    status: StatusCode,
    limit: usize,
    body: BytesMut,
}

impl BodyBuffer {
    /// Refuses, before anything is read, a body whose declared length is over the limit.
    pub(crate) fn new(
        status: StatusCode,
        declared: Option<u64>,
        limit: usize,
    ) -> Result<Self, Failure> {
        let declared = declared.unwrap_or(0);
        if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Err(Failure::TooLarge { status, limit });
        }
        let capacity = usize::try_from(declared.min(PREALLOCATE_MAX)).unwrap_or(0);
        Ok(BodyBuffer {
            status,
            limit,
            body: BytesMut::with_capacity(capacity),
        })
    }

    /// Appends a chunk, or fails when the body would grow past the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), Failure> {
        // No underflow: the body never grows past the limit.
        if chunk.len() > self.limit - self.body.len() {
            return Err(Failure::TooLarge {
                status: self.status,
                limit: self.limit,
            });
        }
        self.body.extend_from_slice(chunk);
        Ok(())
    }

    /// The response read in full.
    pub(crate) fn finish(self, headers: HeaderMap) -> Answer {
        Answer::new(self.status, headers, self.body.freeze())
    }
}

/// An attempt that got no complete response.
pub(crate) enum Failure {
    Transport(TransportError),
    TooLarge { status: StatusCode, limit: usize },
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Transport(e) => Error::Transport(e),
            Failure::TooLarge { status, limit } => Error::TooLarge { status, limit },
        }
    }
}

impl From<reqwest::Error> for Failure {
    fn from(e: reqwest::Error) -> Self {
        Failure::Transport(TransportError::new(e))
    }
}

pub(crate) type Attempt = Result<Answer, Failure>;

/// The span of one call. Only the template is recorded, never the filled-in path, the query,
/// or a header: those carry ids and secrets.
pub(crate) fn call_span<T: Endpoint + ?Sized>() -> tracing::Span {
    tracing::debug_span!(
        "restruct.request",
        method = %T::METHOD,
        path = T::PATH,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// Decides what follows `attempt`, and traces a retry or the reason there is none.
pub(crate) fn after_attempt<T: Endpoint + ?Sized>(
    retrying: &mut Retrying<'_>,
    attempt: &Attempt,
) -> Option<Duration> {
    let outcome = match attempt {
        Ok(answer) => Outcome::Status(answer.status, &answer.headers),
        Err(Failure::Transport(e)) => Outcome::Transport(e),
        Err(Failure::TooLarge { .. }) => return None,
    };
    let failed = retrying.attempt();
    let next = retrying.next(outcome);
    match next {
        Next::Done => None,
        Next::Retry { reason, delay } | Next::OutOfTime { reason, delay } => {
            let retry = matches!(next, Next::Retry { .. });
            let message = if retry {
                "retrying"
            } else {
                "not retrying: the wait would pass the max elapsed time"
            };
            tracing::info!(
                method = %T::METHOD,
                path = T::PATH,
                attempt = failed,
                reason = %reason,
                delay_ms = millis(delay),
                "{message}",
            );
            retry.then_some(delay)
        }
        Next::NotIdempotent { reason } => {
            tracing::debug!(
                method = %T::METHOD,
                path = T::PATH,
                attempt = failed,
                reason = %reason,
                "not retrying: the endpoint is not idempotent (mark it `idempotent` if it is)",
            );
            None
        }
    }
}

/// Records the outcome on the call's span and decodes it.
pub(crate) fn finish<T: Endpoint + ?Sized>(
    span: &tracing::Span,
    retrying: &Retrying<'_>,
    attempt: Attempt,
) -> Result<Response<T::Response>, Error<T::Error>> {
    span.record("attempt", retrying.attempt());
    span.record("latency_ms", millis(retrying.elapsed()));
    let answer = attempt?;
    span.record("status", answer.status.as_u16());
    decode::<T>(answer)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

fn decode<T: Endpoint + ?Sized>(answer: Answer) -> Result<Response<T::Response>, Error<T::Error>> {
    let Answer {
        status,
        headers,
        body,
    } = answer;
    if !status.is_success() {
        return Err(Error::Api(Box::new(ApiError::new(status, headers, body))));
    }
    match T::decode_response(&body) {
        Ok(value) => Ok(Response {
            status,
            headers,
            body: value,
        }),
        Err(failure) => Err(Error::Decode(Box::new(DecodeError::new(
            status, headers, body, failure,
        )))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_buffer_keeps_to_the_limit_and_does_not_trust_the_declared_length() {
        let ok = StatusCode::OK;
        assert!(matches!(
            BodyBuffer::new(ok, Some(11), 10),
            Err(Failure::TooLarge { limit: 10, .. })
        ));
        // A declared 16 MiB reserves no more than the cap until it arrives.
        let big = BodyBuffer::new(ok, Some(16 << 20), 16 << 20).ok().unwrap();
        assert!(big.body.capacity() <= 2 * PREALLOCATE_MAX as usize);

        let mut body = BodyBuffer::new(ok, None, 10).ok().unwrap();
        assert!(body.push(b"12345").is_ok());
        assert!(body.push(b"67890").is_ok());
        assert!(matches!(body.push(b"!"), Err(Failure::TooLarge { .. })));
        let answer = body.finish(HeaderMap::new());
        assert_eq!(&answer.body[..], b"1234567890");
    }
}
