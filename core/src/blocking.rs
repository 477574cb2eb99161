//! The client for synchronous code (feature `blocking`).

use std::fmt;
use std::io::Read;
use std::marker::PhantomData;
use std::sync::Arc;

use bytes::Bytes;

use crate::client::mode;
use crate::config::{settings_setters, BuildError, Config, Plan, Settings};
use crate::endpoint::Endpoint;
use crate::error::{Error, Route, TransportError, TransportErrorKind};
use crate::exchange::{next_attempt, Attempt, Hops, Rebuild};
use crate::options::{call_setters, CallOptions};
use crate::redirect::Redirect;
use crate::response::{
    decode, decode_conditional, Answer, BodyBuffer, Conditional, Failure, Response,
};
use crate::retry::{RetryPolicy, Retrying};
use crate::tls::install_crypto_provider;
use crate::trace::{after_attempt, call_span, finish, retry_safe_and_traced};
use crate::transport::BlockingTransport;

/// Sends endpoints from synchronous code: the same configuration, request building, retries,
/// redirects, limits, errors and tracing as [`Client`](crate::Client), over a
/// [`BlockingTransport`] (reqwest's blocking client unless told otherwise).
///
/// Build it with [`BlockingClient::new`] or [`BlockingClient::builder`]. Cheap to clone (an
/// `Arc` inside). Like reqwest's blocking client, it must not be built, used or dropped inside
/// an async runtime; use [`Client`](crate::Client) there.
///
/// ```no_run
/// # fn run<E: restruct_core::Endpoint>(req: E) -> Result<(), restruct_core::Error<E::Error>> {
/// use restruct_core::{BlockingClient, RetryPolicy};
///
/// let client = BlockingClient::builder()
///     .base_url("https://api.clerk.com/v1")
///     .bearer_auth("sk_test_...")
///     .retry(RetryPolicy::exponential())
///     .build()
///     .unwrap();
/// let body = client.send(&req)?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct BlockingClient {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Box<dyn BlockingTransport>,
    config: Config,
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Blocking")?;
        fmt::Debug::fmt(&self.inner.config, f)
    }
}

impl BlockingClient {
    /// A client for `base_url` with every default.
    pub fn new(base_url: impl Into<String>) -> Result<BlockingClient, BuildError> {
        BlockingClient::builder().base_url(base_url).build()
    }

    /// A builder for everything a client can be configured with.
    pub fn builder() -> BlockingClientBuilder {
        BlockingClientBuilder::default()
    }

    /// The base URL every endpoint path is appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }

    /// The retry policy of every call that does not set its own.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.config.retry
    }

    /// Validates `endpoint`, sends it, and decodes the 2xx body. For options, use
    /// [`call`](Self::call).
    pub fn send<T: Endpoint + ?Sized>(&self, endpoint: &T) -> Result<T::Response, Error<T::Error>> {
        let answer = self.exchange(endpoint, &CallOptions::new())?;
        decode::<T>(answer).map(Response::into_body)
    }

    /// A call of `endpoint` to configure before it is sent with
    /// [`send`](BlockingCall::send).
    pub fn call<'a, T: Endpoint + ?Sized>(&'a self, endpoint: &'a T) -> BlockingCall<'a, T> {
        BlockingCall {
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

    pub(crate) fn exchange<T: Endpoint + ?Sized>(
        &self,
        endpoint: &T,
        options: &CallOptions,
    ) -> Result<Answer, Error<T::Error>> {
        let config = &self.inner.config;
        let span = call_span::<T>();
        let _entered = span.enter();
        let plan = config.plan(options);
        let mut request = config.first_request(endpoint, options)?;
        let safe = retry_safe_and_traced::<T>(&span, &request);
        let rebuild = Rebuild::new(config, endpoint, options, &request);
        let mut retrying = Retrying::new(plan.retry, safe, plan.clock);
        loop {
            let (sent, last) = next_attempt(&mut request, &retrying);
            let attempt = self.attempt(sent, &plan, &rebuild);
            match after_attempt::<T>(&mut retrying, &attempt) {
                Some(delay) if !last => retrying.sleep_blocking(delay),
                _ => return finish::<T>(&span, &retrying, attempt),
            }
        }
    }

    fn attempt<T: Endpoint + ?Sized>(
        &self,
        mut request: http::Request<Bytes>,
        plan: &Plan<'_>,
        rebuild: &Rebuild<'_, T>,
    ) -> Attempt {
        let transport_error = |e| {
            let mut error = TransportError::from_source(Route::of::<T>(), e);
            if let (TransportErrorKind::TimedOut(None), Some(limit)) = (error.kind(), plan.timeout)
            {
                error = TransportError::new(
                    Route::of::<T>(),
                    TransportErrorKind::TimedOut(Some(limit)),
                    None,
                );
            }
            Failure::Transport(error)
        };
        let mut hops = Hops::new();
        loop {
            let head = request.method() == http::Method::HEAD;
            let response = self
                .inner
                .transport
                .send(request, plan.timeout)
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
                    return Err(Failure::Transport(TransportError::new(
                        Route::of::<T>(),
                        kind,
                        None,
                    )))
                }
                Redirect::Done => {}
            }
            let (parts, mut body) = response.into_parts();
            let mut buffer =
                BodyBuffer::new(parts.status, &parts.headers, head, plan.max_response_size)?;
            let mut chunk = [0u8; 16 * 1024];
            loop {
                match body.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => buffer.push(&chunk[..n])?,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(transport_error(e.into())),
                }
            }
            return Ok(buffer.finish(parts.headers));
        }
    }
}

/// One call of an endpoint from synchronous code, configured before it is sent:
/// `client.call(&req).timeout(..).send()`.
#[must_use = "a call is sent by `send`"]
pub struct BlockingCall<'a, T: ?Sized, M = mode::Body> {
    client: &'a BlockingClient,
    endpoint: &'a T,
    options: CallOptions,
    mode: PhantomData<M>,
}

impl<T: ?Sized, M> fmt::Debug for BlockingCall<'_, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingCall")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Endpoint + ?Sized, M> BlockingCall<'a, T, M> {
    call_setters!();

    /// Gives the status and headers with the decoded body ([`Response`]).
    pub fn full(self) -> BlockingCall<'a, T, mode::Full> {
        self.into_mode()
    }

    /// Gives `304 Not Modified` as [`Conditional::NotModified`] instead of an error.
    pub fn conditional(self) -> BlockingCall<'a, T, mode::Conditional> {
        self.into_mode()
    }

    fn into_mode<N>(self) -> BlockingCall<'a, T, N> {
        BlockingCall {
            client: self.client,
            endpoint: self.endpoint,
            options: self.options,
            mode: PhantomData,
        }
    }

    /// The request this call would send first, without sending it.
    pub fn to_request(&self) -> Result<http::Request<Vec<u8>>, Error<T::Error>> {
        self.client
            .inner
            .config
            .request(self.endpoint, &self.options)
    }

    fn answer(self) -> Result<Answer, Error<T::Error>> {
        self.client.exchange(self.endpoint, &self.options)
    }
}

impl<T: Endpoint + ?Sized> BlockingCall<'_, T, mode::Body> {
    /// Sends the call and decodes the 2xx body.
    pub fn send(self) -> Result<T::Response, Error<T::Error>> {
        decode::<T>(self.answer()?).map(Response::into_body)
    }
}

impl<T: Endpoint + ?Sized> BlockingCall<'_, T, mode::Full> {
    /// Sends the call; status and headers come with the decoded body.
    pub fn send(self) -> Result<Response<T::Response>, Error<T::Error>> {
        decode::<T>(self.answer()?)
    }
}

impl<T: Endpoint + ?Sized> BlockingCall<'_, T, mode::Conditional> {
    /// Sends the call; `304 Not Modified` is an outcome, not an error.
    pub fn send(self) -> Result<Conditional<T::Response>, Error<T::Error>> {
        decode_conditional::<T>(self.answer()?)
    }
}

/// Configures a [`BlockingClient`]. Setter mistakes are reported by [`build`](Self::build).
#[derive(Default)]
#[must_use]
pub struct BlockingClientBuilder {
    settings: Settings,
    transport: Option<Box<dyn BlockingTransport>>,
}

impl fmt::Debug for BlockingClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Blocking")?;
        fmt::Debug::fmt(&self.settings, f)
    }
}

impl BlockingClientBuilder {
    settings_setters!();

    /// Sends through this blocking reqwest client instead of a new one (build it with
    /// `.redirect(reqwest::redirect::Policy::none())`).
    pub fn http_client(self, client: reqwest::blocking::Client) -> Self {
        self.transport(client)
    }

    /// Sends through `transport`.
    pub fn transport(mut self, transport: impl BlockingTransport) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// The client, or the first mistake made while configuring it.
    ///
    /// Like reqwest's blocking client, it must not be built, used or dropped inside an async
    /// runtime.
    pub fn build(self) -> Result<BlockingClient, BuildError> {
        let BlockingClientBuilder {
            settings,
            transport,
        } = self;
        let own = transport.is_some();
        let transport = match transport {
            Some(transport) => transport,
            None => {
                install_crypto_provider();
                // reqwest's blocking client has a 30 s timeout of its own; restruct's applies
                // per request instead, so both clients behave alike.
                let builder = reqwest::blocking::Client::builder()
                    .timeout(None)
                    .redirect(reqwest::redirect::Policy::none())
                    .connect_timeout(settings.connect_timeout());
                #[cfg(feature = "cookies")]
                let builder = builder.cookie_store(settings.cookies());
                Box::new(builder.build().map_err(BuildError::Http)?)
            }
        };
        let config = settings.config(own)?;
        Ok(BlockingClient {
            inner: Arc::new(Inner { transport, config }),
        })
    }
}
