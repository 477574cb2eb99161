//! What the async and the blocking client share: per-call options, the configuration, the
//! request each attempt sends, and the decisions between attempts (redirects, retries), with
//! their tracing. Nothing here does I/O.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{
    HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION,
    PROXY_AUTHORIZATION,
};
use http::{HeaderMap, Method, StatusCode, Uri};

use crate::client::check_base_url;
use crate::endpoint::Endpoint;
use crate::error::{Error, Route};
use crate::response::{Answer, Failure};
use crate::retry::{Next, Outcome, RetryPolicy, Retrying};
use crate::validate::{ValidationErrors, Violation};

/// Options for one call that override the client's: timeout, extra headers, credentials, retry
/// policy, base URL. Set them on a [`Call`](crate::Call) (`client.call(&req).timeout(..)`), or
/// build a set once and apply it with [`Call::options`](crate::Call::options) or to every page
/// of a [`Paginator`](crate::Paginator).
///
/// A header given here replaces the same header from the client's defaults and from the
/// endpoint's own `#[header]` fields. Mistakes (an invalid header value or base URL) are
/// reported by the call as [`Error::Validation`], before anything is sent.
#[derive(Clone, Default)]
#[must_use]
pub struct CallOptions {
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) headers: HeaderMap,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) base_url: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    invalid_headers: Vec<String>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &Redacted(&self.headers))
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
        self.timeout = Some(Some(timeout));
        self
    }

    /// No time limit for this call (the connect timeout still applies).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// Sends this header with this call, replacing the client's and the endpoint's value.
    /// Credentials (`Authorization`, `Cookie`, names with `key`, `token`, `secret`, ...) are
    /// marked sensitive.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.set_header(name, value, false);
        self
    }

    /// Like [`header`](Self::header), marked sensitive whatever its name.
    pub fn sensitive_header(mut self, name: &str, value: &str) -> Self {
        self.set_header(name, value, true);
        self
    }

    fn set_header(&mut self, name: &str, value: &str, sensitive: bool) {
        match header_pair(name, value, sensitive) {
            Some((name, value)) => {
                self.headers.insert(name, value);
            }
            None => self.invalid_headers.push(name.to_owned()),
        }
    }

    /// Sends `Authorization: Bearer <token>` with this call instead of the client's.
    pub fn bearer_auth(self, token: impl fmt::Display) -> Self {
        self.sensitive_header(AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    /// Sends `Authorization: Basic ..` with this call instead of the client's.
    pub fn basic_auth(self, user: impl fmt::Display, password: Option<impl fmt::Display>) -> Self {
        self.sensitive_header(AUTHORIZATION.as_str(), &basic_auth(user, password))
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

    /// The idempotency key of this call, used as it is instead of a fresh one: in the header
    /// the endpoint names (`idempotency_key = ".."`), else in `Idempotency-Key`.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Applies `other` on top of these options: what `other` sets wins.
    pub fn merge(mut self, other: &CallOptions) -> Self {
        if other.timeout.is_some() {
            self.timeout = other.timeout;
        }
        for (name, value) in &other.headers {
            self.headers.insert(name, value.clone());
        }
        if other.retry.is_some() {
            self.retry.clone_from(&other.retry);
        }
        if other.base_url.is_some() {
            self.base_url.clone_from(&other.base_url);
        }
        if other.idempotency_key.is_some() {
            self.idempotency_key.clone_from(&other.idempotency_key);
        }
        self.invalid_headers
            .extend(other.invalid_headers.iter().cloned());
        self
    }
}

/// `Basic base64(user:password)`.
pub(crate) fn basic_auth(user: impl fmt::Display, password: Option<impl fmt::Display>) -> String {
    use base64::Engine as _;
    let pair = match password {
        Some(password) => format!("{user}:{password}"),
        None => format!("{user}:"),
    };
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Whether a header by this name carries a credential and is hidden from `Debug`, errors and
/// traces: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and names that look
/// like keys or tokens (`X-Api-Key`, `X-Auth-Token`, `X-Session`, ...). `Idempotency-Key` is not
/// one: it identifies a call, and is meant to be found in logs.
pub fn is_sensitive_header(name: &HeaderName) -> bool {
    const WORDS: [&str; 9] = [
        "auth",
        "key",
        "token",
        "secret",
        "password",
        "session",
        "cookie",
        "signature",
        "credential",
    ];
    let name = name.as_str();
    name != "idempotency-key" && WORDS.iter().any(|word| name.contains(word))
}

/// A header for a client's defaults or a call's options; `None` when the name or the value is
/// invalid. Credentials are marked sensitive whichever setter gave them, so that `Debug` never
/// shows them.
pub(crate) fn header_pair(
    name: &str,
    value: &str,
    sensitive: bool,
) -> Option<(HeaderName, HeaderValue)> {
    let name = HeaderName::try_from(name).ok()?;
    let mut value = HeaderValue::try_from(value).ok()?;
    value.set_sensitive(
        sensitive
            || [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE].contains(&name)
            || is_sensitive_header(&name),
    );
    Some((name, value))
}

/// Shows a header map with sensitive values replaced by `<redacted>`.
pub(crate) struct Redacted<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let shown = if value.is_sensitive() {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                (name.as_str(), shown)
            }))
            .finish()
    }
}

/// Which redirects a client follows. Whatever the policy, a redirect to another origin (scheme,
/// host or port) is never followed: its `3xx` response is returned as [`Error::Api`], with the
/// `Location` in its headers, so no credential or body ever reaches another origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedirectPolicy {
    max: usize,
}

impl Default for RedirectPolicy {
    /// [`same_origin(10)`](Self::same_origin).
    fn default() -> Self {
        RedirectPolicy::same_origin(10)
    }
}

impl RedirectPolicy {
    /// Follows no redirect: every `3xx` is returned as [`Error::Api`].
    pub fn none() -> Self {
        RedirectPolicy { max: 0 }
    }

    /// Follows up to `max` redirects in a row within the request's origin. `301`, `302` and
    /// `303` after a `POST` (and `303` after anything but `HEAD`) continue as a `GET` without
    /// the body, as browsers do; `307` and `308` repeat the method and the body.
    pub fn same_origin(max: usize) -> Self {
        RedirectPolicy { max }
    }

    /// How many redirects in a row are followed at most.
    pub fn max(&self) -> usize {
        self.max
    }
}

/// What the clients are configured with.
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_response_size: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) redirects: RedirectPolicy,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<_> = self.query.iter().map(|(k, _)| (k, "<redacted>")).collect();
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("headers", &Redacted(&self.headers))
            .field("query", &query)
            .field("timeout", &self.timeout)
            .field("max_response_size", &self.max_response_size)
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .finish_non_exhaustive()
    }
}

/// One call, between its options and its attempts: what to send, for how long, how often.
pub(crate) struct Plan<'a> {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_response_size: usize,
    pub(crate) redirects: RedirectPolicy,
    pub(crate) retry: &'a RetryPolicy,
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
        if !self.query.is_empty() {
            add_query(request.uri_mut(), &self.query)?;
        }
        let headers = request.headers_mut();
        for (name, value) in &self.headers {
            headers.entry(name).or_insert_with(|| value.clone());
        }
        for (name, value) in &options.headers {
            headers.insert(name, value.clone());
        }
        let keyed = T::idempotency_key_header();
        if keyed.is_some() || options.idempotency_key.is_some() {
            let name = keyed.unwrap_or(HeaderName::from_static("idempotency-key"));
            if options.idempotency_key.is_some() || !headers.contains_key(&name) {
                let key = match &options.idempotency_key {
                    Some(key) => HeaderValue::try_from(key.as_str()).map_err(|_| {
                        let mut errors = ValidationErrors::new();
                        errors.push(Violation::new(
                            "idempotency_key",
                            "header",
                            "is not a valid header value (in the call options)",
                        ));
                        Error::Validation(errors)
                    })?,
                    None => fresh_idempotency_key(),
                };
                headers.insert(name, key);
            }
        }
        Ok(request)
    }

    /// The request every attempt sends, with its body shared by reference count.
    pub(crate) fn first_request<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: &CallOptions,
    ) -> Result<http::Request<Bytes>, Error<T::Error>> {
        Ok(self.request(endpoint, options)?.map(Bytes::from))
    }

    pub(crate) fn plan<'a>(&'a self, options: &'a CallOptions) -> Plan<'a> {
        Plan {
            timeout: options.timeout.unwrap_or(self.timeout),
            max_response_size: self.max_response_size,
            redirects: self.redirects,
            retry: options.retry.as_ref().unwrap_or(&self.retry),
        }
    }
}

/// A fresh idempotency key: 122 random bits in the form of a UUID v4. SipHash with the
/// process's random keys, over a counter and the clock, so no two calls of a process share one
/// and two processes do not either (without a dependency on `rand` or `uuid`).
pub(crate) fn fresh_idempotency_key() -> HeaderValue {
    use std::hash::BuildHasher as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let random = std::collections::hash_map::RandomState::new();
    let high = random.hash_one((n, now, 1u8));
    let low = random.hash_one((n, now, 2u8));
    let bits = (u128::from(high) << 64 | u128::from(low)) & !(0xf << 76) & !(0x3 << 62);
    let bits = bits | (0x4 << 76) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    let key = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    // Only hexadecimal digits and dashes: the fallback is never taken.
    HeaderValue::try_from(key).unwrap_or(HeaderValue::from_static("0"))
}

/// Whether a call of `T` with this request may be retried: an idempotent endpoint, or one with
/// an idempotency key on the request.
pub(crate) fn retry_safe<T: Endpoint + ?Sized>(request: &http::Request<Bytes>) -> bool {
    T::idempotent()
        || T::idempotency_key_header().is_some_and(|name| request.headers().contains_key(name))
}

/// Appends the client's query parameters (an API key) to a request's URI.
fn add_query<E>(uri: &mut Uri, pairs: &[(String, String)]) -> Result<(), Error<E>> {
    let mut text = uri.to_string();
    let mut query = form_urlencoded::Serializer::for_suffix(String::new(), 0);
    for (key, value) in pairs {
        query.append_pair(key, value);
    }
    text.push(if uri.query().is_some() { '&' } else { '?' });
    text.push_str(&query.finish());
    *uri = text.parse().map_err(|_| {
        let mut errors = ValidationErrors::new();
        errors.push(Violation::new(
            "<url>",
            "url",
            "is not a valid URL with the client's query parameters",
        ));
        Error::Validation(errors)
    })?;
    Ok(())
}

/// A copy of `request` to send again (a retry, or a redirect that keeps the method and body).
pub(crate) fn copy_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

/// The request for the next attempt: a copy while another attempt may follow, the request
/// itself (moved out) for the last one; `true` with it when it is the last.
pub(crate) fn next_attempt(
    request: &mut http::Request<Bytes>,
    retrying: &Retrying<'_>,
) -> (http::Request<Bytes>, bool) {
    if retrying.may_retry() {
        (copy_request(request), false)
    } else {
        // An empty request allocates nothing; it is never sent.
        let last = std::mem::replace(request, http::Request::new(Bytes::new()));
        (last, true)
    }
}

/// Builds a call's request again, as its first attempt sent it (with the same idempotency
/// key): what a redirect starts from, so that no copy of the request is kept while waiting for
/// a response that is almost never a redirect.
pub(crate) struct Rebuild<'a, T: ?Sized> {
    config: &'a Config,
    endpoint: &'a T,
    options: &'a CallOptions,
    key: Option<(HeaderName, HeaderValue)>,
}

impl<'a, T: Endpoint + ?Sized> Rebuild<'a, T> {
    pub(crate) fn new(
        config: &'a Config,
        endpoint: &'a T,
        options: &'a CallOptions,
        first: &http::Request<Bytes>,
    ) -> Self {
        let key = T::idempotency_key_header()
            .and_then(|name| Some((name.clone(), first.headers().get(&name)?.clone())));
        Rebuild {
            config,
            endpoint,
            options,
            key,
        }
    }

    /// The request again; `None` if it no longer builds (a `Display` that changed its mind).
    pub(crate) fn request(&self) -> Option<http::Request<Bytes>> {
        let mut request = self
            .config
            .first_request(self.endpoint, self.options)
            .ok()?;
        if let Some((name, value)) = &self.key {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        Some(request)
    }
}

/// Follows the redirects of one attempt: what the previous hop sent, for the next decision.
pub(crate) struct Hops {
    count: usize,
    /// The request of the last redirect followed; `None` before the first one (the call's own
    /// request is then built again).
    previous: Option<http::Request<Bytes>>,
}

impl Hops {
    pub(crate) fn new() -> Self {
        Hops {
            count: 0,
            previous: None,
        }
    }

    /// What follows a `3xx` to a request of `rebuild`'s call.
    pub(crate) fn next<T: Endpoint + ?Sized>(
        &mut self,
        policy: RedirectPolicy,
        rebuild: &Rebuild<'_, T>,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Redirect {
        use crate::error::TransportErrorKind as Kind;
        if policy.max == 0 || !status.is_redirection() {
            return Redirect::Done;
        }
        let sent = match self.previous.take().or_else(|| rebuild.request()) {
            Some(sent) => sent,
            None => return Redirect::Fail(Kind::BadRedirect),
        };
        let next = redirect(policy, &sent, status, headers, self.count);
        if let Redirect::Follow(next) = &next {
            self.count += 1;
            self.previous = Some(copy_request(next));
        }
        next
    }
}

/// What follows a response, as far as redirects go.
pub(crate) enum Redirect {
    /// Not a redirect, or one that is not followed: the response is the answer.
    Done,
    /// Send this request next.
    Follow(Box<http::Request<Bytes>>),
    /// Too many redirects in a row, or one with no valid `Location`.
    Fail(crate::error::TransportErrorKind),
}

/// Decides whether the response to `sent` (status, headers) is a redirect to follow, the
/// `hops`-th of this attempt.
pub(crate) fn redirect(
    policy: RedirectPolicy,
    sent: &http::Request<Bytes>,
    status: StatusCode,
    headers: &HeaderMap,
    hops: usize,
) -> Redirect {
    use crate::error::TransportErrorKind as Kind;
    let keeps_method = match status.as_u16() {
        301..=303 => false,
        307 | 308 => true,
        _ => return Redirect::Done,
    };
    if policy.max == 0 {
        return Redirect::Done;
    }
    let Some(location) = headers.get(LOCATION).and_then(|v| v.to_str().ok()) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    let Ok(from) = url::Url::parse(&sent.uri().to_string()) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    let Ok(to) = from.join(location) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    if to.origin() != from.origin() {
        // Another origin: never followed, whatever the policy; the caller gets the 3xx.
        return Redirect::Done;
    }
    if hops >= policy.max {
        return Redirect::Fail(Kind::TooManyRedirects(policy.max));
    }
    let Ok(uri) = Uri::try_from(to.as_str()) else {
        return Redirect::Fail(Kind::BadRedirect);
    };
    let mut next = copy_request(sent);
    *next.uri_mut() = uri;
    let to_get = !keeps_method
        && (status == StatusCode::SEE_OTHER && sent.method() != Method::HEAD
            || sent.method() == Method::POST);
    if to_get {
        *next.method_mut() = Method::GET;
        *next.body_mut() = Bytes::new();
        next.headers_mut().remove(CONTENT_TYPE);
        next.headers_mut().remove(CONTENT_LENGTH);
    }
    Redirect::Follow(Box::new(next))
}

pub(crate) type Attempt = Result<Answer, Failure>;

/// The span of one call. Only the template is recorded, never the filled-in path, the query,
/// or a header: those carry ids and secrets.
pub(crate) fn call_span<T: Endpoint + ?Sized>() -> tracing::Span {
    tracing::debug_span!(
        "restruct.request",
        method = %T::METHOD,
        path = T::PATH,
        idempotency_key = tracing::field::Empty,
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

/// Records the call's idempotency key on its span (it is no secret: it finds the call in the
/// vendor's dashboard), and says whether the call may be retried.
pub(crate) fn retry_safe_and_traced<T: Endpoint + ?Sized>(
    span: &tracing::Span,
    request: &http::Request<Bytes>,
) -> bool {
    if let Some(name) = T::idempotency_key_header() {
        if let Some(key) = request.headers().get(name).and_then(|v| v.to_str().ok()) {
            span.record("idempotency_key", key);
        }
    }
    retry_safe::<T>(request)
}

/// Records the outcome of the last attempt on the call's span.
pub(crate) fn finish<T: Endpoint + ?Sized>(
    span: &tracing::Span,
    retrying: &Retrying<'_>,
    attempt: Attempt,
) -> Result<Answer, Error<T::Error>> {
    span.record("attempt", retrying.attempt());
    span.record("latency_ms", millis(retrying.elapsed()));
    let answer = attempt.map_err(|failure| failure.into_error(Route::of::<T>()))?;
    span.record("status", answer.status.as_u16());
    Ok(answer)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(method: Method, uri: &str) -> http::Request<Bytes> {
        let mut request = http::Request::new(Bytes::from_static(b"{}"));
        *request.method_mut() = method;
        *request.uri_mut() = uri.parse().unwrap();
        request
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        request
    }

    fn location(to: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, to.parse().unwrap());
        headers
    }

    #[test]
    fn redirects_stay_on_their_origin() {
        let policy = RedirectPolicy::default();
        let post = sent(Method::POST, "http://127.0.0.1:8080/v1/a");
        let status = StatusCode::TEMPORARY_REDIRECT;
        for other in [
            "http://127.0.0.1:8081/v1/b",
            "https://127.0.0.1:8080/v1/b",
            "http://localhost:8080/v1/b",
        ] {
            let next = redirect(policy, &post, status, &location(other), 0);
            assert!(matches!(next, Redirect::Done), "{other}");
        }
        let Redirect::Follow(next) = redirect(policy, &post, status, &location("/v1/b"), 0) else {
            panic!("a same-origin 307 is followed");
        };
        assert_eq!(next.uri(), "http://127.0.0.1:8080/v1/b");
        assert_eq!(
            (next.method(), &next.body()[..]),
            (&Method::POST, &b"{}"[..])
        );
    }

    #[test]
    fn see_other_turns_into_a_get_without_body() {
        let post = sent(Method::POST, "http://h/a");
        let Redirect::Follow(next) = redirect(
            RedirectPolicy::default(),
            &post,
            StatusCode::SEE_OTHER,
            &location("b"),
            0,
        ) else {
            panic!("followed");
        };
        assert_eq!(next.method(), Method::GET);
        assert!(next.body().is_empty() && next.headers().get(CONTENT_TYPE).is_none());
    }

    #[test]
    fn limits_and_broken_locations() {
        use crate::error::TransportErrorKind as Kind;
        let get = sent(Method::GET, "http://h/a");
        let found = StatusCode::FOUND;
        let next = redirect(
            RedirectPolicy::same_origin(2),
            &get,
            found,
            &location("/b"),
            2,
        );
        assert!(matches!(next, Redirect::Fail(Kind::TooManyRedirects(2))));
        let next = redirect(RedirectPolicy::none(), &get, found, &location("/b"), 0);
        assert!(matches!(next, Redirect::Done));
        let next = redirect(RedirectPolicy::default(), &get, found, &HeaderMap::new(), 0);
        assert!(matches!(next, Redirect::Fail(Kind::BadRedirect)));
    }

    #[test]
    fn credentials_are_sensitive_by_name() {
        for name in [
            "authorization",
            "x-api-key",
            "x-auth-token",
            "cookie",
            "x-client-secret",
        ] {
            let (_, value) = header_pair(name, "v", false).unwrap();
            assert!(value.is_sensitive(), "{name}");
        }
        for name in ["idempotency-key", "clerk-api-version", "accept"] {
            let (_, value) = header_pair(name, "v", false).unwrap();
            assert!(!value.is_sensitive(), "{name}");
        }
    }
}
