//! The async client: its builder, and [`Call`], the one way to send with options.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, USER_AGENT};
use http::HeaderMap;
use http_body_util::BodyExt as _;
use tracing::Instrument as _;

use crate::call::{
    after_attempt, call_span, finish, header_pair, next_attempt, retry_safe_and_traced, Attempt,
    CallOptions, Config, Hops, Plan, Rebuild, Redirect, RedirectPolicy,
};
use crate::endpoint::Endpoint;
use crate::error::{Error, Route, TransportError, TransportErrorKind};
use crate::response::{
    api_error, decode, decode_conditional, Answer, BodyBuffer, Conditional, Failure, Response,
    DEFAULT_MAX_RESPONSE_SIZE,
};
use crate::retry::{RetryPolicy, Retrying};
use crate::stream::{ByteStream, NdjsonStream};
use crate::transport::{Body, Transport};

const DEFAULT_USER_AGENT: &str = concat!("restruct/", env!("CARGO_PKG_VERSION"));

/// The default limit on each attempt of a call, from sending to the last byte: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default limit on connecting (TCP and TLS) for the reqwest client restruct builds: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends endpoints to one API: base URL, authentication and defaults, over a [`Transport`]
/// (reqwest unless told otherwise).
///
/// Cheap to clone (an `Arc` inside) and `Send + Sync`: make one and share it. `Debug` never shows
/// the bearer token or any other sensitive header.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Box<dyn Transport>,
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

    /// Validates `endpoint`, sends it, and decodes the 2xx body: `client.send(&req).await`,
    /// the same as `req.send(&client).await`. For options, use [`call`](Self::call).
    pub async fn send<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
    ) -> Result<T::Response, Error<T::Error>> {
        let options = CallOptions::new();
        let answer = self.exchange(endpoint, &options, false).await?;
        decode::<T>(answer).map(Response::into_body)
    }

    /// A call of `endpoint` to configure before it is sent: per-call options, the full
    /// response, a conditional request, or a stream. Awaiting it sends it.
    ///
    /// ```no_run
    /// # async fn run<E: restruct_core::Endpoint + Sync>(client: restruct_core::Client, req: E)
    /// # where E::Response: Send, E::Error: Send {
    /// use std::time::Duration;
    ///
    /// let response = client
    ///     .call(&req)
    ///     .timeout(Duration::from_secs(2))
    ///     .header("Clerk-API-Version", "2025-04-10")
    ///     .full()
    ///     .await;
    /// # }
    /// ```
    pub fn call<'a, T: Endpoint + ?Sized>(&'a self, endpoint: &'a T) -> Call<'a, T> {
        Call {
            client: self,
            endpoint,
            options: CallOptions::new(),
            mode: PhantomData,
        }
    }

    /// The request for `endpoint` with the client's defaults and `options` applied.
    pub(crate) fn build_request<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: &CallOptions,
    ) -> Result<http::Request<Vec<u8>>, Error<T::Error>> {
        self.inner.config.request(endpoint, options)
    }

    /// Sends `endpoint` as often as the retry policy allows and reads the last response.
    ///
    /// `stream`: a 2xx body is left to read (in `Answer::live`); any other is read in full, so
    /// that retries and `Error::Api` see it.
    pub(crate) async fn exchange<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: &CallOptions,
        stream: bool,
    ) -> Result<Answer, Error<T::Error>> {
        let config = &self.inner.config;
        let span = call_span::<T>();
        let request = span.in_scope(|| config.first_request(endpoint, options))?;
        let plan = config.plan(options);
        async {
            let safe = retry_safe_and_traced::<T>(&span, &request);
            let rebuild = Rebuild::new(config, endpoint, options, &request);
            let mut retrying = Retrying::new(plan.retry, safe);
            let mut request = request;
            loop {
                let (sent, last) = next_attempt(&mut request, &retrying);
                let attempt = self.attempt(sent, &plan, &rebuild, stream).await;
                match after_attempt::<T>(&mut retrying, &attempt) {
                    Some(delay) if !last => tokio::time::sleep(delay).await,
                    _ => return finish::<T>(&span, &retrying, attempt),
                }
            }
        }
        .instrument(span.clone())
        .await
    }

    /// One attempt: send, follow redirects, read the body, all within the timeout (for a
    /// stream, up to its head).
    async fn attempt<T: Endpoint + ?Sized>(
        &self,
        request: http::Request<Bytes>,
        plan: &Plan<'_>,
        rebuild: &Rebuild<'_, T>,
        stream: bool,
    ) -> Attempt {
        let route = || Route::of::<T>();
        let exchange = self.attempt_untimed(request, plan, rebuild, stream);
        match plan.timeout {
            None => exchange.await,
            Some(limit) => match tokio::time::timeout(limit, exchange).await {
                Ok(attempt) => attempt,
                Err(_) => Err(Failure::Transport(TransportError::new(
                    route(),
                    TransportErrorKind::TimedOut(Some(limit)),
                    None,
                ))),
            },
        }
    }

    async fn attempt_untimed<T: Endpoint + ?Sized>(
        &self,
        mut request: http::Request<Bytes>,
        plan: &Plan<'_>,
        rebuild: &Rebuild<'_, T>,
        stream: bool,
    ) -> Attempt {
        let route = || Route::of::<T>();
        let transport_error = |e| {
            let mut error = TransportError::from_source(route(), e);
            if let (TransportErrorKind::TimedOut(None), Some(limit)) = (error.kind(), plan.timeout)
            {
                error =
                    TransportError::new(route(), TransportErrorKind::TimedOut(Some(limit)), None);
            }
            Failure::Transport(error)
        };
        let mut hops = Hops::new();
        loop {
            let head = request.method() == http::Method::HEAD;
            let response = self
                .inner
                .transport
                .send(request)
                .await
                .map_err(transport_error)?;
            match hops.next(
                plan.redirects,
                rebuild,
                response.status(),
                response.headers(),
            ) {
                Redirect::Follow(next) => {
                    request = *next;
                    continue;
                }
                Redirect::Fail(kind) => {
                    return Err(Failure::Transport(TransportError::new(route(), kind, None)))
                }
                Redirect::Done => {}
            }
            if stream && response.status().is_success() {
                let (parts, body) = response.into_parts();
                let mut answer = Answer::new(parts.status, parts.headers, Bytes::new());
                answer.live = Some(body);
                return Ok(answer);
            }
            return read_body(response, head, plan.max_response_size)
                .await
                .map_err(|e| match e {
                    ReadError::Failure(f) => f,
                    ReadError::Transport(e) => transport_error(e),
                });
        }
    }
}

enum ReadError {
    Failure(Failure),
    Transport(crate::transport::BoxError),
}

/// Reads a response body in full, within `limit` bytes.
async fn read_body(
    response: http::Response<Body>,
    head: bool,
    limit: usize,
) -> Result<Answer, ReadError> {
    let (parts, mut body) = response.into_parts();
    let mut buffer =
        BodyBuffer::new(parts.status, &parts.headers, head, limit).map_err(ReadError::Failure)?;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(ReadError::Transport)?;
        if let Ok(data) = frame.into_data() {
            buffer.push_bytes(data).map_err(ReadError::Failure)?;
        }
    }
    Ok(buffer.finish(parts.headers))
}

/// How a [`Call`] gives its result; see [`Call::full`] and [`Call::conditional`].
pub mod mode {
    /// The decoded body.
    #[derive(Debug)]
    pub struct Body;
    /// The [`Response`](crate::Response): status and headers with the decoded body.
    #[derive(Debug)]
    pub struct Full;
    /// [`Conditional`](crate::Conditional): the response, or `304 Not Modified`.
    #[derive(Debug)]
    pub struct Conditional;
}

/// One call of an endpoint, configured before it is sent: `client.call(&req)`. Awaiting it
/// sends it and gives the decoded body; [`full`](Self::full) gives the status and headers too.
///
/// Options set here override the client's for this call only; no new client is made, so the
/// connection pool is shared.
#[must_use = "a call is sent when it is awaited"]
pub struct Call<'a, T: ?Sized, M = mode::Body> {
    client: &'a Client,
    endpoint: &'a T,
    options: CallOptions,
    mode: PhantomData<M>,
}

impl<T: ?Sized, M> fmt::Debug for Call<'_, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The per-call setters that both clients' calls have.
macro_rules! call_setters {
    () => {
        /// The limit on each attempt of this call, from sending to the last byte of the body,
        /// instead of the client's.
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options = self.options.timeout(timeout);
            self
        }

        /// Sends this header with this call, replacing the client's and the endpoint's value.
        /// Credentials (`Authorization`, names with `key`, `token`, `secret`, ...) are marked
        /// sensitive.
        pub fn header(mut self, name: &str, value: &str) -> Self {
            self.options = self.options.header(name, value);
            self
        }

        /// Like [`header`](Self::header), marked sensitive whatever its name.
        pub fn sensitive_header(mut self, name: &str, value: &str) -> Self {
            self.options = self.options.sensitive_header(name, value);
            self
        }

        /// Sends `Authorization: Bearer <token>` with this call instead of the client's.
        pub fn bearer_auth(mut self, token: impl std::fmt::Display) -> Self {
            self.options = self.options.bearer_auth(token);
            self
        }

        /// Sends `Authorization: Basic ..` with this call instead of the client's.
        pub fn basic_auth(
            mut self,
            user: impl std::fmt::Display,
            password: Option<impl std::fmt::Display>,
        ) -> Self {
            self.options = self.options.basic_auth(user, password);
            self
        }

        /// The retry policy for this call instead of the client's.
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.options = self.options.retry(policy);
            self
        }

        /// Sends this call to another base URL (its path prefix is kept).
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.options = self.options.base_url(base_url);
            self
        }

        /// The idempotency key of this call, used as it is instead of a fresh one.
        pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
            self.options = self.options.idempotency_key(key);
            self
        }

        /// Applies a set of options made beforehand; what it sets wins.
        pub fn options(mut self, options: &$crate::CallOptions) -> Self {
            self.options = self.options.merge(options);
            self
        }
    };
}
#[cfg(feature = "blocking")]
pub(crate) use call_setters;

impl<'a, T: Endpoint + ?Sized, M> Call<'a, T, M> {
    call_setters!();

    /// Gives the status and headers with the decoded body ([`Response`]).
    pub fn full(self) -> Call<'a, T, mode::Full> {
        self.into_mode()
    }

    /// Gives `304 Not Modified` as [`Conditional::NotModified`] instead of an error: for a
    /// request with `If-None-Match` or `If-Modified-Since` (set them with
    /// [`header`](Self::header) or as `#[header]` fields).
    pub fn conditional(self) -> Call<'a, T, mode::Conditional> {
        self.into_mode()
    }

    fn into_mode<N>(self) -> Call<'a, T, N> {
        Call {
            client: self.client,
            endpoint: self.endpoint,
            options: self.options,
            mode: PhantomData,
        }
    }

    /// The request this call would send first, with the client's defaults and this call's
    /// options applied, without sending it.
    pub fn to_request(&self) -> Result<http::Request<Vec<u8>>, Error<T::Error>> {
        self.client
            .inner
            .config
            .request(self.endpoint, &self.options)
    }

    async fn answer(self) -> Result<Answer, Error<T::Error>> {
        self.client
            .exchange(self.endpoint, &self.options, false)
            .await
    }

    /// Sends the call and gives a 2xx body as it arrives, chunk by chunk, with no size limit
    /// (downloads); any other status is [`Error::Api`] as usual. The timeout covers the call
    /// up to the response head; retries apply until then too.
    pub async fn bytes_stream(self) -> Result<Response<ByteStream>, Error<T::Error>> {
        let answer = self
            .client
            .exchange(self.endpoint, &self.options, true)
            .await?;
        live::<T, _>(answer, |body| ByteStream::new(body, Route::of::<T>()))
    }

    /// Sends the call and decodes a 2xx NDJSON body (one JSON value a line) item by item as
    /// it arrives; a line may be as long as the client's size limit.
    pub async fn ndjson<I: serde::de::DeserializeOwned>(
        self,
    ) -> Result<NdjsonStream<I, T::Error>, Error<T::Error>> {
        let limit = self.client.inner.config.max_response_size;
        let answer = self
            .client
            .exchange(self.endpoint, &self.options, true)
            .await?;
        let response = live::<T, _>(answer, |body| ByteStream::new(body, Route::of::<T>()))?;
        Ok(NdjsonStream::new(
            response.body,
            response.status,
            response.headers,
            limit,
        ))
    }
}

/// The live body of a streamed 2xx answer, or the error its status is.
fn live<T: Endpoint + ?Sized, S>(
    mut answer: Answer,
    wrap: impl FnOnce(Body) -> S,
) -> Result<Response<S>, Error<T::Error>> {
    match answer.live.take() {
        Some(body) => Ok(Response {
            status: answer.status,
            headers: answer.headers,
            body: wrap(body),
        }),
        // Not a 2xx: read in full, and decoded as the error it is.
        None if !answer.status.is_success() => {
            Err(api_error::<T>(answer.status, answer.headers, answer.body))
        }
        // A 2xx read in full (a retried status the policy was told to retry): as a stream.
        None => Ok(Response {
            status: answer.status,
            headers: answer.headers,
            body: wrap(crate::transport::full_body(answer.body)),
        }),
    }
}

/// A call's future: boxed, `Send`.
pub type CallFuture<'a, O> = Pin<Box<dyn Future<Output = O> + Send + 'a>>;

impl<'a, T> IntoFuture for Call<'a, T, mode::Body>
where
    T: Endpoint + Sync + ?Sized,
    T::Response: Send,
    T::Error: Send,
{
    type Output = Result<T::Response, Error<T::Error>>;
    type IntoFuture = CallFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { decode::<T>(self.answer().await?).map(Response::into_body) })
    }
}

impl<'a, T> IntoFuture for Call<'a, T, mode::Full>
where
    T: Endpoint + Sync + ?Sized,
    T::Response: Send,
    T::Error: Send,
{
    type Output = Result<Response<T::Response>, Error<T::Error>>;
    type IntoFuture = CallFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { decode::<T>(self.answer().await?) })
    }
}

impl<'a, T> IntoFuture for Call<'a, T, mode::Conditional>
where
    T: Endpoint + Sync + ?Sized,
    T::Response: Send,
    T::Error: Send,
{
    type Output = Result<Conditional<T::Response>, Error<T::Error>>;
    type IntoFuture = CallFuture<'a, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { decode_conditional::<T>(self.answer().await?) })
    }
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
    #[cfg(feature = "cookies")]
    pub(crate) cookies: bool,
    pub(crate) error: Option<BuildError>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("headers", &crate::call::Redacted(&self.headers))
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
            self.sensitive_header("authorization", &$crate::call::basic_auth(user, password))
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

        /// Keeps the cookies that responses set and sends them back (feature `cookies`; only
        /// for the reqwest client restruct builds).
        #[cfg(feature = "cookies")]
        pub fn cookie_store(mut self, enable: bool) -> Self {
            self.settings.cookies = enable;
            self
        }
    };
}
#[cfg(feature = "blocking")]
pub(crate) use settings_setters;

/// Configures a [`Client`]. Setter mistakes (a bad header value) are reported by
/// [`build`](Self::build), so the chain never breaks.
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    settings: Settings,
    transport: Option<Box<dyn Transport>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.settings, f)
    }
}

impl ClientBuilder {
    settings_setters!();

    /// Sends through this reqwest client (its pool, proxy and TLS settings, and its user agent
    /// unless [`user_agent`](Self::user_agent) is called) instead of a new one. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`, so that restruct's redirect policy is the
    /// one that applies.
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.transport(client)
    }

    /// Sends through `transport`: a tower service
    /// ([`TowerTransport`](crate::transport::TowerTransport)), `reqwest_middleware`, or a fake
    /// in tests. Retries, redirects, options, timeouts, tracing and the size limit stay
    /// restruct's.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// The client, or the first mistake made while configuring it.
    pub fn build(self) -> Result<Client, BuildError> {
        let ClientBuilder {
            settings,
            transport,
        } = self;
        let own = transport.is_some();
        let transport = match transport {
            Some(transport) => transport,
            None => {
                install_crypto_provider();
                let builder = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .connect_timeout(settings.connect_timeout());
                #[cfg(feature = "cookies")]
                let builder = builder.cookie_store(settings.cookies());
                Box::new(builder.build().map_err(BuildError::Http)?)
            }
        };
        let config = settings.config(own)?;
        Ok(Client {
            inner: Arc::new(Inner { transport, config }),
        })
    }
}

/// Makes ring the process's rustls crypto provider when it has none (feature `rustls-ring`
/// without `rustls-aws-lc`; otherwise it does nothing). restruct calls it before it builds a
/// reqwest client; call it before building one yourself (`reqwest::Client::new()` panics when
/// rustls has no provider).
pub fn install_crypto_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
    {
        // An error means a provider is installed already, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
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
