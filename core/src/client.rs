//! The async client: its builder, and [`Call`], the one way to send with options.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::BodyExt as _;
use tracing::Instrument as _;

use crate::config::{settings_setters, BuildError, Config, Plan, Settings};
use crate::endpoint::Endpoint;
use crate::error::{Error, Route, TransportError, TransportErrorKind};
use crate::exchange::{next_attempt, Attempt, Hops, Rebuild};
use crate::options::{call_setters, CallOptions};
use crate::redirect::Redirect;
use crate::response::{
    api_error, decode, decode_conditional, Answer, BodyBuffer, Conditional, Failure, Response,
};
use crate::retry::{RetryPolicy, Retrying};
use crate::stream::{ByteStream, NdjsonStream};
use crate::tls::install_crypto_provider;
use crate::trace::{after_attempt, call_span, finish, retry_safe_and_traced};
use crate::transport::{Body, Transport};

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
            let mut retrying = Retrying::new(plan.retry, safe, plan.clock);
            let mut request = request;
            loop {
                let (sent, last) = next_attempt(&mut request, &retrying);
                let attempt = self.attempt(sent, &plan, &rebuild, stream).await;
                match after_attempt::<T>(&mut retrying, &attempt) {
                    Some(delay) if !last => retrying.sleep(delay).await,
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
