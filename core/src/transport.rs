//! The layer that moves bytes: a [`Transport`] takes an `http::Request` and gives back an
//! `http::Response` whose body streams in. reqwest is the default; anything else (a tower
//! `Service`, `reqwest_middleware`, an in-memory fake in tests) plugs in through the trait.
//!
//! Everything restruct adds — retries, redirects, per-call options, timeouts, tracing,
//! redaction and the size limit — happens above this layer, so it works whatever the transport.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use http_body_util::BodyExt as _;

/// The error a transport reports; restruct reads its source chain to say what happened.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A boxed `Send` future, as [`Transport::send`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A response body as a transport streams it in.
pub type Body = http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>;

/// Wraps any `http_body::Body` as the [`Body`] a transport returns.
pub fn body<B>(body: B) -> Body
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    body.map_err(Into::into).boxed_unsync()
}

/// A whole body held in memory, as a [`Body`]: for fake transports in tests.
pub fn full_body(bytes: impl Into<Bytes>) -> Body {
    http_body_util::Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// Sends one request and returns the response as soon as its head has arrived.
///
/// One call is one attempt: the [`Client`](crate::Client) decides about retries and redirects,
/// enforces the timeout (covering the body too) and the size limit, and decodes. A transport
/// must not follow redirects itself (restruct's redirect policy keeps credentials on their
/// origin); reqwest clients that restruct builds are set up that way.
///
/// ```
/// use restruct_core::transport::{full_body, Body, BoxError, BoxFuture, Transport};
///
/// /// Answers every request with `{"ok":true}`, without a socket.
/// struct Canned;
///
/// impl Transport for Canned {
///     fn send(&self, _request: http::Request<bytes::Bytes>)
///         -> BoxFuture<'_, Result<http::Response<Body>, BoxError>>
///     {
///         Box::pin(async { Ok(http::Response::new(full_body(r#"{"ok":true}"#))) })
///     }
/// }
///
/// let client = restruct_core::Client::builder()
///     .base_url("https://api.test")
///     .transport(Canned)
///     .build()
///     .unwrap();
/// # drop(client);
/// ```
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`; the response body is read by the caller.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Body>, BoxError>>;
}

/// The `reqwest::Request` for `request`, as the reqwest transports send it: for a transport
/// of your own over a `reqwest::Client` (or a middleware stack around one).
///
/// The same as `reqwest::Request::try_from(request)`, without its detour through `Display`
/// and without parsing the scheme and host of every request again: an `http` or `https` URI
/// is parsed as a path against its origin, which each thread parses once (a client sends all
/// its requests to the same one).
pub fn reqwest_request(request: http::Request<Bytes>) -> Result<reqwest::Request, BoxError> {
    let (parts, body) = request.into_parts();
    if !parts.extensions.is_empty() {
        // reqwest keeps extensions only through its own conversion.
        return Ok(reqwest::Request::try_from(http::Request::from_parts(
            parts, body,
        ))?);
    }
    let url = url_of(&parts.uri)?;
    let mut request = reqwest::Request::new(parts.method, url);
    *request.headers_mut() = parts.headers;
    *request.version_mut() = parts.version;
    *request.body_mut() = Some(body.into());
    Ok(request)
}

/// The origin (`https://api.test/`) that this thread sent a request to last, parsed.
struct LastOrigin {
    https: bool,
    authority: http::uri::Authority,
    url: reqwest::Url,
}

thread_local! {
    static LAST_ORIGIN: std::cell::RefCell<Option<LastOrigin>> = const { std::cell::RefCell::new(None) };
}

/// The `url::Url` of a URI: what `Url::parse` gives for its text.
fn url_of(uri: &http::Uri) -> Result<reqwest::Url, url::ParseError> {
    use http::uri::Scheme;
    let whole = || reqwest::Url::parse(&uri_text(uri));
    let (Some(scheme), Some(authority), Some(path)) =
        (uri.scheme(), uri.authority(), uri.path_and_query())
    else {
        return whole();
    };
    let https = match scheme {
        s if *s == Scheme::HTTPS => true,
        s if *s == Scheme::HTTP => false,
        _ => return whole(),
    };
    let path = path.as_str();
    // `//x` (or `/\x`) relative to a base would be read as another host.
    if !path.starts_with('/') || path[1..].starts_with(['/', '\\']) {
        return whole();
    }
    LAST_ORIGIN.with_borrow_mut(|last| {
        let known = last
            .as_ref()
            .is_some_and(|o| o.https == https && o.authority.as_str() == authority.as_str());
        if !known {
            let base = reqwest::Url::parse(&format!("{scheme}://{authority}/"))?;
            *last = Some(LastOrigin {
                https,
                authority: authority.clone(),
                url: base,
            });
        }
        let base = last.as_ref().map(|o| &o.url);
        reqwest::Url::options().base_url(base).parse(path)
    })
}

/// The text of a URI as its `Display` writes it, in one allocation.
fn uri_text(uri: &http::Uri) -> String {
    let scheme = uri.scheme_str();
    let authority = uri.authority().map(http::uri::Authority::as_str);
    let (path, query) = (uri.path(), uri.query());
    let mut text = String::with_capacity(
        scheme.map_or(0, |s| s.len() + 3)
            + authority.map_or(0, str::len)
            + path.len()
            + query.map_or(0, |q| q.len() + 1),
    );
    if let Some(scheme) = scheme {
        text.push_str(scheme);
        text.push_str("://");
    }
    text.push_str(authority.unwrap_or(""));
    text.push_str(path);
    if let Some(query) = query {
        text.push('?');
        text.push_str(query);
    }
    text
}

impl Transport for reqwest::Client {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Body>, BoxError>> {
        Box::pin(async move {
            let request = reqwest_request(request)?;
            let response = self.execute(request).await?;
            Ok(http::Response::from(response).map(body))
        })
    }
}

/// A [`Transport`] over any tower `Service` of `http::Request<Bytes>` (feature `tower`), for
/// tower layers (logging, auth, rate limits) in front of another HTTP stack.
///
/// The service is cloned for each request, as tower services that are shared usually are
/// (wrap a non-`Clone` one in `tower::buffer`).
#[cfg(feature = "tower")]
#[derive(Debug, Clone)]
pub struct TowerTransport<S> {
    service: S,
}

#[cfg(feature = "tower")]
impl<S> TowerTransport<S> {
    /// Sends through `service`.
    pub fn new(service: S) -> Self {
        TowerTransport { service }
    }
}

#[cfg(feature = "tower")]
impl<S, B> Transport for TowerTransport<S>
where
    S: tower_service::Service<http::Request<Bytes>, Response = http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Body>, BoxError>> {
        let mut service = self.service.clone();
        Box::pin(async move {
            std::future::poll_fn(|cx| service.poll_ready(cx))
                .await
                .map_err(Into::into)?;
            let response = service.call(request).await.map_err(Into::into)?;
            Ok(response.map(body))
        })
    }
}

/// A tower `Service` over reqwest, to put tower layers in front of: `Request<Bytes>` in,
/// `Response<Body>` out (feature `tower`).
#[cfg(feature = "tower")]
#[derive(Debug, Clone)]
pub struct ReqwestService {
    client: reqwest::Client,
}

#[cfg(feature = "tower")]
impl ReqwestService {
    /// Sends through a new reqwest client that follows no redirect (restruct's policy
    /// applies), or reqwest's error when it could not build one (its TLS set-up). There is no
    /// `Default`: it would have to hide that failure.
    pub fn new() -> Result<Self, reqwest::Error> {
        crate::tls::install_crypto_provider();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(ReqwestService { client })
    }

    /// Sends through `client`; build it with `redirect(reqwest::redirect::Policy::none())` so
    /// that restruct's redirect policy applies.
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestService { client }
    }
}

#[cfg(feature = "tower")]
impl tower_service::Service<http::Request<Bytes>> for ReqwestService {
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<http::Response<Body>, BoxError>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), BoxError>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<Bytes>) -> Self::Future {
        let client = self.client.clone();
        Box::pin(async move { Transport::send(&client, request).await })
    }
}

#[cfg(feature = "reqwest-middleware")]
impl Transport for reqwest_middleware::ClientWithMiddleware {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Body>, BoxError>> {
        Box::pin(async move {
            let request = reqwest_request(request)?;
            let response = self.execute(request).await.map_err(|e| match e {
                reqwest_middleware::Error::Reqwest(e) => BoxError::from(e),
                reqwest_middleware::Error::Middleware(e) => e.into(),
            })?;
            Ok(http::Response::from(response).map(body))
        })
    }
}

/// The blocking counterpart of [`Transport`] (feature `blocking`): one attempt, the body read
/// by the caller through `Read`.
#[cfg(feature = "blocking")]
pub trait BlockingTransport: Send + Sync + 'static {
    /// Sends `request`, giving up after `timeout` (connect to the last byte of the body) when
    /// there is one.
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Option<std::time::Duration>,
    ) -> Result<http::Response<Box<dyn std::io::Read + Send>>, BoxError>;
}

#[cfg(feature = "blocking")]
impl BlockingTransport for reqwest::blocking::Client {
    fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Option<std::time::Duration>,
    ) -> Result<http::Response<Box<dyn std::io::Read + Send>>, BoxError> {
        let mut request = reqwest::blocking::Request::try_from(request)?;
        *request.timeout_mut() = timeout;
        let mut response = self.execute(request)?;
        let mut head = http::Response::new(());
        *head.status_mut() = response.status();
        *head.version_mut() = response.version();
        *head.headers_mut() = std::mem::take(response.headers_mut());
        let body: Box<dyn std::io::Read + Send> = Box::new(response);
        Ok(head.map(|()| body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_text_is_what_display_writes() {
        for uri in [
            "https://api.test/v1/a%2Fb?x=1&y=%20",
            "http://127.0.0.1:8080",
            "http://user@h/p?",
            "/relative?q",
        ] {
            let uri: http::Uri = uri.parse().unwrap();
            assert_eq!(uri_text(&uri), uri.to_string());
        }
    }

    #[test]
    fn the_url_against_the_origin_is_the_url_of_the_whole_text() {
        for uri in [
            "https://api.test/v1/a%2Fb?x=1&y=%20",
            "https://api.test/v1/a%2Fb?x=1&y=%20",
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/a/../b/./c",
            "https://API.test:443/%7e/é?q=é&r=%zz",
            "http://user:pw@h:8/p?",
            "http://h//double",
            "http://h/a\\b",
            "https://h/a%2e%2E/b?#",
            "http://[::1]:80/x",
            "ftp://h/f",
            "/relative?q",
        ] {
            let Ok(uri) = uri.parse::<http::Uri>() else {
                continue;
            };
            let ours = url_of(&uri).map(|url| url.to_string());
            let whole = reqwest::Url::parse(&uri.to_string()).map(|url| url.to_string());
            assert_eq!(ours, whole, "{uri}");
        }
    }

    #[test]
    fn reqwest_request_keeps_everything() {
        let mut request = http::Request::new(Bytes::from_static(b"{}"));
        *request.method_mut() = http::Method::PATCH;
        *request.uri_mut() = "https://api.test/v1/items/a%20b?x=1".parse().unwrap();
        request
            .headers_mut()
            .insert("x-a", http::HeaderValue::from_static("1"));
        let converted = reqwest_request(request).unwrap();
        assert_eq!(converted.method(), http::Method::PATCH);
        assert_eq!(
            converted.url().as_str(),
            "https://api.test/v1/items/a%20b?x=1"
        );
        assert_eq!(converted.headers()["x-a"], "1");
        let body = converted.body().and_then(reqwest::Body::as_bytes);
        assert_eq!(body, Some(&b"{}"[..]));
    }
}
