//! The client that sends endpoints over reqwest.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderValue, AUTHORIZATION, USER_AGENT};
use http::{HeaderMap, StatusCode};
use tracing::Instrument as _;

use crate::call::{
    after_attempt, call_span, finish, header_pair, Attempt, BodyBuffer, CallOptions, Config,
    Prepared,
};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::retry::{RetryPolicy, Retrying};

/// The default limit on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 16 * 1024 * 1024;

const DEFAULT_USER_AGENT: &str = concat!("restruct/", env!("CARGO_PKG_VERSION"));

/// A 2xx response: status and headers with the typed body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The status.
    pub status: StatusCode,
    /// The response headers (rate limits, trace ids).
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

/// Sends endpoints to one API: base URL, authentication and defaults.
///
/// Cheap to clone (an `Arc` inside) and `Send + Sync`: make one and share it. `Debug` never shows
/// the bearer token or any other sensitive header.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: Config,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner.config, f)
    }
}

impl Client {
    /// A client for `base_url` with every default.
    pub fn new(base_url: impl Into<String>) -> Result<Client, BuildError> {
        Client::builder().base_url(base_url).build()
    }

    /// A builder for everything a client can be configured with.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
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
    pub async fn send<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
    ) -> Result<T::Response, Error<T::Error>> {
        self.send_full_with(endpoint, CallOptions::new())
            .await
            .map(Response::into_body)
    }

    /// Like [`send`](Self::send), keeping the status and headers with the body.
    pub async fn send_full<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
    ) -> Result<Response<T::Response>, Error<T::Error>> {
        self.send_full_with(endpoint, CallOptions::new()).await
    }

    /// Like [`send`](Self::send), with options for this call only (timeout, headers, retry
    /// policy, base URL).
    pub async fn send_with<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: CallOptions,
    ) -> Result<T::Response, Error<T::Error>> {
        self.send_full_with(endpoint, options)
            .await
            .map(Response::into_body)
    }

    /// Like [`send_full`](Self::send_full), with options for this call only. With retries, the
    /// status, headers and body are the last attempt's, in the result and in [`Error::Api`].
    pub async fn send_full_with<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: CallOptions,
    ) -> Result<Response<T::Response>, Error<T::Error>> {
        let config = &self.inner.config;
        let span = call_span::<T>();
        let prepared = span.in_scope(|| config.prepare(endpoint, &options))?;
        let policy = config.policy(&options);
        async {
            let mut retrying = Retrying::new(policy, T::idempotent());
            loop {
                let attempt = self.attempt(&prepared).await;
                match after_attempt::<T>(&mut retrying, &attempt) {
                    Some(delay) => tokio::time::sleep(delay).await,
                    None => return finish::<T>(&span, &retrying, attempt),
                }
            }
        }
        .instrument(span.clone())
        .await
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

    async fn attempt(&self, prepared: &Prepared) -> Attempt {
        let mut request = reqwest::Request::new(prepared.method.clone(), prepared.url.clone());
        *request.headers_mut() = prepared.headers.clone();
        *request.body_mut() = Some(prepared.body.clone().into());
        if let Some(timeout) = prepared.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        let mut response = self.inner.http.execute(request).await?;
        let mut body = BodyBuffer::new(
            response.status(),
            response.content_length(),
            prepared.max_response_size,
        )?;
        while let Some(chunk) = response.chunk().await? {
            body.push(&chunk)?;
        }
        Ok(body.finish(std::mem::take(response.headers_mut())))
    }
}

/// Configures a [`Client`]. Setter mistakes (a bad header value) are reported by
/// [`build`](Self::build), so the chain never breaks.
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    headers: HeaderMap,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    max_response_size: Option<usize>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
    #[cfg(feature = "blocking")]
    blocking_http: Option<reqwest::blocking::Client>,
    error: Option<BuildError>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The URL every endpoint path is appended to; its path prefix is kept
    /// (`https://api.clerk.com/v1` + `/users` is `https://api.clerk.com/v1/users`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request. The token is marked sensitive
    /// and never shown by `Debug`, errors or traces.
    pub fn bearer_auth(self, token: impl fmt::Display) -> Self {
        self.sensitive_header(AUTHORIZATION.as_str(), &format!("Bearer {token}"))
    }

    /// Sends this header with every request that does not set it itself. `Authorization`,
    /// `Proxy-Authorization` and `Cookie` are marked sensitive (hidden from `Debug`).
    pub fn default_header(self, name: &str, value: &str) -> Self {
        self.header(name, value, false)
    }

    /// Like [`default_header`](Self::default_header), marked sensitive (hidden from `Debug`)
    /// whatever its name: for an API key in a header of the API's own.
    pub fn sensitive_header(self, name: &str, value: &str) -> Self {
        self.header(name, value, true)
    }

    fn header(mut self, name: &str, value: &str, sensitive: bool) -> Self {
        match header_pair(name, value, sensitive) {
            Some((name, value)) => {
                self.headers.insert(name, value);
            }
            None => self.fail(BuildError::InvalidHeader(name.to_owned())),
        }
        self
    }

    /// The `User-Agent` header (default `restruct/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// The limit on each attempt of a call, from sending to the last byte of the body (with
    /// retries, [`RetryPolicy::max_elapsed_time`] bounds the whole call). None by default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest response body read before the call fails with [`Error::TooLarge`]
    /// (default 16 MiB).
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// The retry policy of every call that does not set its own (off by default; see
    /// [`RetryPolicy::exponential`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends through this reqwest client (its pool, proxy and TLS settings, and its user agent
    /// unless [`user_agent`](Self::user_agent) is called) instead of a new one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sends through this blocking reqwest client instead of a new one; for
    /// [`build_blocking`](Self::build_blocking).
    #[cfg(feature = "blocking")]
    pub fn blocking_http_client(mut self, client: reqwest::blocking::Client) -> Self {
        self.blocking_http = Some(client);
        self
    }

    fn fail(&mut self, error: BuildError) {
        self.error.get_or_insert(error);
    }

    /// The client, or the first mistake made while configuring it.
    pub fn build(mut self) -> Result<Client, BuildError> {
        #[cfg(feature = "blocking")]
        if self.blocking_http.is_some() {
            return Err(BuildError::WrongHttpClient(
                "`blocking_http_client` is for `build_blocking`; give `build` an async client with `http_client`",
            ));
        }
        let http = self.http.take();
        let config = self.config(http.is_some())?;
        let http = match http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(Client {
            inner: Arc::new(Inner { http, config }),
        })
    }

    /// The client for synchronous code, or the first mistake made while configuring it.
    ///
    /// Like reqwest's blocking client, it must not be built, used or dropped inside an async
    /// runtime.
    #[cfg(feature = "blocking")]
    pub fn build_blocking(mut self) -> Result<crate::BlockingClient, BuildError> {
        if self.http.is_some() {
            return Err(BuildError::WrongHttpClient(
                "`http_client` is for `build`; give `build_blocking` a blocking client with `blocking_http_client`",
            ));
        }
        let http = self.blocking_http.take();
        let config = self.config(http.is_some())?;
        let http = match http {
            Some(http) => http,
            // reqwest's blocking client has a 30 s timeout by default; the async one has none.
            // The client's own `timeout` applies per request, so both behave alike.
            None => reqwest::blocking::Client::builder()
                .timeout(None)
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(crate::BlockingClient::from_parts(http, config))
    }

    /// `own_client`: the user gave the reqwest client, whose own `User-Agent` then stays unless
    /// `user_agent` is called.
    fn config(self, own_client: bool) -> Result<Config, BuildError> {
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
            timeout: self.timeout,
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            retry: self.retry.unwrap_or_default(),
        })
    }
}

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
            why: "credentials in the URL are not sent; use `bearer_auth` or `sensitive_header`"
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

/// A mistake in configuring a [`Client`].
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
    #[error("could not build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    /// An async reqwest client was given for a blocking client, or the other way round.
    #[error("{0}")]
    WrongHttpClient(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_prefix_and_drops_the_slash() {
        let client = Client::new("https://api.clerk.com/v1/").unwrap();
        assert_eq!(client.base_url(), "https://api.clerk.com/v1");
        for bad in ["api.clerk.com", "ftp://x", "https://x/v1?a=b", ""] {
            assert!(Client::new(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Client::builder().build(),
            Err(BuildError::MissingBaseUrl)
        ));
    }

    #[test]
    fn credentials_in_the_base_url_are_refused_without_showing_them() {
        let err = Client::new("https://user:sk_secret@api.clerk.com/v1").unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("sk_secret"), "{shown}");
        assert_eq!(
            err.to_string(),
            "invalid base URL `https://<redacted>@api.clerk.com/v1`: credentials in the URL are not sent; use `bearer_auth` or `sensitive_header`"
        );
    }

    #[test]
    fn user_info_is_redacted_wherever_a_base_url_is_shown() {
        assert_eq!(
            redact_userinfo("https://u:p@h/v1/@x"),
            "https://<redacted>@h/v1/@x"
        );
        assert_eq!(redact_userinfo("https://h/v1/@x"), "https://h/v1/@x");
        assert_eq!(redact_userinfo("u:p@h"), "<redacted>@h");
        let builder = Client::builder().base_url("https://user:sk_secret@api.test/v1");
        assert!(!format!("{builder:?}").contains("sk_secret"));
        let err = Client::new("https://user:sk secret@api.test/v1").unwrap_err();
        assert!(!format!("{err} {err:?}").contains("secret"), "{err}");
    }

    #[test]
    fn credentials_in_a_per_call_base_url_are_refused_too() {
        let options = CallOptions::new().base_url("https://user:sk_secret@api.test");
        let client = Client::new("https://api.test").unwrap();
        let get = Get;
        let err = client.request_with(&get, &options).unwrap_err();
        assert!(err.is_validation());
        assert!(!err.to_string().contains("sk_secret"), "{err}");
    }

    struct Get;

    impl Endpoint for Get {
        type Response = ();
        type Error = ();
        const METHOD: http::Method = http::Method::GET;
        const PATH: &'static str = "/";

        fn write_request(&self, req: &mut crate::RequestWriter<'_>) {
            req.path_literal("/");
        }
    }

    #[test]
    fn debug_never_shows_the_token() {
        let client = Client::builder()
            .base_url("https://api.clerk.com/v1")
            .bearer_auth("sk_test_secret")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("sk_test_secret"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn debug_never_shows_credentials_given_as_plain_headers() {
        let client = Client::builder()
            .base_url("https://api.clerk.com/v1")
            .default_header("Authorization", "Bearer sk_test_secret")
            .default_header("Cookie", "__session=sess_secret")
            .sensitive_header("X-Api-Key", "key_secret")
            .default_header("Clerk-API-Version", "2025-04-10")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        for secret in ["sk_test_secret", "sess_secret", "key_secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("2025-04-10"), "{shown}");
    }

    #[test]
    fn a_user_agent_given_as_a_default_header_is_kept() {
        let user_agent = |builder: ClientBuilder| {
            let client = builder.base_url("http://127.0.0.1:1").build().unwrap();
            let sent = client.inner.config.headers.get(USER_AGENT).cloned();
            sent.unwrap().to_str().unwrap().to_owned()
        };
        let builder = Client::builder;
        assert_eq!(user_agent(builder()), DEFAULT_USER_AGENT);
        assert_eq!(
            user_agent(builder().default_header("User-Agent", "mine/1.0")),
            "mine/1.0"
        );
        assert_eq!(user_agent(builder().user_agent("mine/2.0")), "mine/2.0");
        let given = || builder().http_client(reqwest::Client::new());
        let client = given().base_url("http://127.0.0.1:1").build().unwrap();
        let sent = client.inner.config.headers.get(USER_AGENT).cloned();
        assert_eq!(
            sent, None,
            "a given reqwest client keeps its own user agent"
        );
        assert_eq!(user_agent(given().user_agent("mine/3.0")), "mine/3.0");
        let both = builder()
            .default_header("User-Agent", "mine/1.0")
            .user_agent("mine/2.0");
        assert_eq!(user_agent(both), "mine/2.0");
    }

    #[test]
    fn bad_header_is_reported_by_build() {
        let err = Client::builder()
            .base_url("http://127.0.0.1:1")
            .default_header("X-Bad", "a\nb")
            .build()
            .unwrap_err();
        assert_eq!(err.to_string(), "invalid value for header `X-Bad`");
    }
}
