//! What a client is configured with: the builders' settings and their setters, the checked
//! configuration, and the request it makes of an endpoint with a call's options.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, USER_AGENT};
use http::{HeaderMap, Uri};

use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::headers::{header_pair, Redacted};
use crate::options::CallOptions;
use crate::redirect::RedirectPolicy;
use crate::response::DEFAULT_MAX_RESPONSE_SIZE;
use crate::retry::{RetryClock, RetryPolicy};
use crate::validate::{ValidationErrors, Violation};

const DEFAULT_USER_AGENT: &str = concat!("restruct/", env!("CARGO_PKG_VERSION"));

/// The default limit on each attempt of a call, from sending to the last byte: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default limit on connecting (TCP and TLS) for the reqwest client restruct builds: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the clients are configured with.
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_response_size: usize,
    pub(crate) retry: RetryPolicy,
    pub(crate) redirects: RedirectPolicy,
    /// `None`: the real clock.
    pub(crate) clock: Option<Arc<dyn RetryClock>>,
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
    pub(crate) clock: Option<&'a dyn RetryClock>,
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
            clock: self.clock.as_deref(),
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

/// What both client builders are configured with.
#[derive(Default)]
pub(crate) struct Settings {
    pub(crate) base_url: Option<String>,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) user_agent: Option<String>,
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) max_response_size: Option<usize>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) redirects: Option<RedirectPolicy>,
    pub(crate) clock: Option<Arc<dyn RetryClock>>,
    #[cfg(feature = "cookies")]
    pub(crate) cookies: bool,
    pub(crate) error: Option<BuildError>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("headers", &Redacted(&self.headers))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .finish_non_exhaustive()
    }
}

impl Settings {
    pub(crate) fn header(&mut self, name: &str, value: &str, sensitive: bool) {
        match header_pair(name, value, sensitive) {
            Some((name, value)) => {
                self.headers.insert(name, value);
            }
            None => self.fail(BuildError::InvalidHeader(name.to_owned())),
        }
    }

    fn fail(&mut self, error: BuildError) {
        self.error.get_or_insert(error);
    }

    pub(crate) fn connect_timeout(&self) -> Duration {
        self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT)
    }

    #[cfg(feature = "cookies")]
    pub(crate) fn cookies(&self) -> bool {
        self.cookies
    }

    /// `own_client`: the user gave the transport, whose own `User-Agent` then stays unless
    /// `user_agent` is called.
    pub(crate) fn config(self, own_client: bool) -> Result<Config, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let base_url = check_base_url(self.base_url.as_deref().ok_or(BuildError::MissingBaseUrl)?)?;
        let mut headers = self.headers;
        // `default_header("User-Agent", ..)` counts as setting it; only `user_agent` overrides it.
        let user_agent = match self.user_agent.as_deref() {
            Some(user_agent) => Some(user_agent),
            None => {
                (!own_client && !headers.contains_key(USER_AGENT)).then_some(DEFAULT_USER_AGENT)
            }
        };
        if let Some(user_agent) = user_agent {
            let user_agent = HeaderValue::try_from(user_agent)
                .map_err(|_| BuildError::InvalidHeader(USER_AGENT.as_str().to_owned()))?;
            headers.insert(USER_AGENT, user_agent);
        }
        Ok(Config {
            base_url,
            headers,
            query: self.query,
            timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            retry: self.retry.unwrap_or_default(),
            redirects: self.redirects.unwrap_or_default(),
            clock: self.clock,
        })
    }
}

/// The setters that both client builders have, on a `settings: Settings` field.
macro_rules! settings_setters {
    () => {
        /// The URL every endpoint path is appended to; its path prefix is kept
        /// (`https://api.clerk.com/v1` + `/users` is `https://api.clerk.com/v1/users`).
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.settings.base_url = Some(base_url.into());
            self
        }

        /// Sends `Authorization: Bearer <token>` with every request. The token is marked
        /// sensitive and never shown by `Debug`, errors or traces.
        pub fn bearer_auth(self, token: impl std::fmt::Display) -> Self {
            self.sensitive_header("authorization", &format!("Bearer {token}"))
        }

        /// Sends `Authorization: Basic base64(user:password)` with every request (sensitive).
        pub fn basic_auth(
            self,
            user: impl std::fmt::Display,
            password: Option<impl std::fmt::Display>,
        ) -> Self {
            self.sensitive_header(
                "authorization",
                &$crate::headers::basic_auth(user, password),
            )
        }

        /// Sends an API key in a header of the API's own (`X-Api-Key`) with every request,
        /// marked sensitive.
        pub fn api_key_header(self, name: &str, key: &str) -> Self {
            self.sensitive_header(name, key)
        }

        /// Sends an API key as a query parameter (`?api_key=..`) with every request. It is
        /// never shown by `Debug`, errors or traces (they show the path template only).
        pub fn api_key_query(mut self, name: impl Into<String>, key: impl Into<String>) -> Self {
            self.settings.query.push((name.into(), key.into()));
            self
        }

        /// Sends this header with every request that does not set it itself. Credentials
        /// (`Authorization`, `Cookie`, names with `key`, `token`, `secret`, ...) are marked
        /// sensitive (hidden from `Debug`).
        pub fn default_header(mut self, name: &str, value: &str) -> Self {
            self.settings.header(name, value, false);
            self
        }

        /// Like [`default_header`](Self::default_header), marked sensitive (hidden from
        /// `Debug`) whatever its name.
        pub fn sensitive_header(mut self, name: &str, value: &str) -> Self {
            self.settings.header(name, value, true);
            self
        }

        /// The `User-Agent` header (default `restruct/<version>`).
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.settings.user_agent = Some(user_agent.into());
            self
        }

        /// The limit on each attempt of a call, from sending to the last byte of the body
        /// (default [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT), 30 s; with retries,
        /// [`RetryPolicy::max_elapsed_time`](crate::RetryPolicy::max_elapsed_time) bounds the
        /// whole call).
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.timeout = Some(Some(timeout));
            self
        }

        /// No limit on a call's attempts (the connect timeout still applies).
        pub fn no_timeout(mut self) -> Self {
            self.settings.timeout = Some(None);
            self
        }

        /// The limit on connecting, TCP and TLS, for the reqwest client restruct builds
        /// (default [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT), 10 s).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.settings.connect_timeout = Some(timeout);
            self
        }

        /// The largest response body read before the call fails with
        /// [`Error::TooLarge`](crate::Error::TooLarge) (default 16 MiB).
        pub fn max_response_size(mut self, bytes: usize) -> Self {
            self.settings.max_response_size = Some(bytes);
            self
        }

        /// The retry policy of every call that does not set its own (off by default; see
        /// [`RetryPolicy::exponential`](crate::RetryPolicy::exponential)).
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.settings.retry = Some(policy);
            self
        }

        /// Which redirects are followed (default: up to 10 within the request's origin; never
        /// to another origin).
        pub fn redirects(mut self, policy: $crate::RedirectPolicy) -> Self {
            self.settings.redirects = Some(policy);
            self
        }

        /// The clock that retries are measured and waited in, instead of the real one: for
        /// tests of retries that should neither wait nor depend on the machine's speed.
        pub fn retry_clock(mut self, clock: impl $crate::RetryClock) -> Self {
            self.settings.clock = Some(std::sync::Arc::new(clock));
            self
        }

        /// Keeps the cookies that responses set and sends them back (feature `cookies`; only
        /// for the reqwest client restruct builds).
        #[cfg(feature = "cookies")]
        pub fn cookie_store(mut self, enable: bool) -> Self {
            self.settings.cookies = enable;
            self
        }
    };
}
pub(crate) use settings_setters;

pub(crate) fn check_base_url(base_url: &str) -> Result<String, BuildError> {
    let invalid = |why: &str| BuildError::InvalidBaseUrl {
        url: redact_userinfo(base_url).into_owned(),
        why: why.to_owned(),
    };
    let uri: http::Uri = base_url.parse().map_err(|_| invalid("not a URL"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(invalid("expected an `http://` or `https://` URL")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    if base_url.contains(['?', '#']) {
        return Err(invalid("a base URL has no query or fragment"));
    }
    // Credentials in the URL would not be sent (the transport drops them) but would show in
    // `Debug`: refuse them, and keep them out of the error as well.
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(BuildError::InvalidBaseUrl {
            url: redact_userinfo(base_url).into_owned(),
            why: "credentials in the URL are not sent; use `bearer_auth`, `basic_auth` or `sensitive_header`"
                .to_owned(),
        });
    }
    Ok(base_url.trim_end_matches('/').to_owned())
}

/// `url` with the user info of its authority (`user:password@`) replaced by `<redacted>@`;
/// textual, so that it also works on a URL that does not parse.
fn redact_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => format!("{}<redacted>{}", &url[..start], &url[start + at..]).into(),
        None => url.into(),
    }
}

/// A mistake in configuring a client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No base URL was given.
    #[error("the client has no base URL; call `base_url(\"https://...\")`")]
    MissingBaseUrl,
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL `{url}`: {why}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// A header name or value is invalid (the value is not shown: it may be a secret).
    #[error("invalid value for header `{0}`")]
    InvalidHeader(String),
    /// reqwest could not build its client (TLS set-up).
    #[error("could not build the HTTP client")]
    Http(#[source] reqwest::Error),
}
