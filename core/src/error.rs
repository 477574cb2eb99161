//! The one error type of a call, and its parts.

use std::fmt::{self, Debug, Display};

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::transport::BoxError;
use crate::validate::ValidationErrors;

/// How many bytes of a body an error message shows at most.
const SNIPPET_LEN: usize = 200;

/// Why a call failed. `E` is the endpoint's error body (its `error = Type`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The request was refused before anything was sent.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The server answered with a non-2xx status. Boxed, so that `Result`s stay small.
    #[error(transparent)]
    Api(Box<ApiError<E>>),
    /// The server answered 2xx, but the body is not what the endpoint expects.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The request did not complete: connect, TLS, timeout, a broken connection or response.
    #[error(transparent)]
    Transport(TransportError),
    /// The response body is larger than the client's limit; the rest was not read.
    #[error(
        "{route}: the response body is larger than the limit of {limit} bytes (status {status})"
    )]
    TooLarge {
        /// The endpoint that was called (boxed, so that `Result`s stay small).
        route: Box<Route>,
        /// The status of the response.
        status: StatusCode,
        /// The limit that was exceeded.
        limit: usize,
    },
    /// A listing was stopped because the server would have it go on forever (a repeated
    /// page, cursor or link), or its next link may not be followed.
    #[error(transparent)]
    Pagination(Box<PaginationError>),
}

/// Which endpoint a failure came from: its method and path template, never the filled-in path
/// (that carries ids and other values a log should not hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path template as written (`/sessions/<session_id>`).
    pub template: &'static str,
}

impl Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

impl<E> Error<E> {
    /// Whether nothing was sent because the request is invalid.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation(_))
    }

    /// Whether the server answered with a non-2xx status.
    pub fn is_api(&self) -> bool {
        matches!(self, Error::Api(_))
    }

    /// Whether a 2xx body did not decode.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode(_))
    }

    /// Whether the request did not complete.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(t) if t.is_timeout())
    }

    /// Whether the response body was over the size limit.
    pub fn is_too_large(&self) -> bool {
        matches!(self, Error::TooLarge { .. })
    }

    /// The endpoint the call was for; `None` for [`Error::Validation`] (nothing was sent) and
    /// [`Error::Pagination`] (a listing, not a call, went wrong).
    pub fn route(&self) -> Option<&Route> {
        match self {
            Error::Api(e) => Some(&e.route),
            Error::Decode(e) => Some(&e.route),
            Error::Transport(e) => Some(e.route()),
            Error::TooLarge { route, .. } => Some(route),
            Error::Validation(_) | Error::Pagination(_) => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::TooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The violations, when the request was refused before sending.
    pub fn validation(&self) -> Option<&ValidationErrors> {
        match self {
            Error::Validation(v) => Some(v),
            _ => None,
        }
    }

    /// The API error, when the server answered with a non-2xx status.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The decode error, when a 2xx body did not decode.
    pub fn decode(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }

    /// Why a listing was stopped, when a paginator stopped it.
    pub fn pagination(&self) -> Option<&PaginationError> {
        match self {
            Error::Pagination(e) => Some(e),
            _ => None,
        }
    }

    /// The transport error, when the request did not complete.
    pub fn transport(&self) -> Option<&TransportError> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a paginator stopped a listing that would otherwise never end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// A page has the same content as the one before: the server ignores the offset, the page
    /// number, the cursor or the link.
    #[error("page {page} is the same as the page before it: the server ignores the {field}, so the listing would never end")]
    RepeatedPage {
        /// The page, counted from 1.
        page: u64,
        /// What the server ignores: `offset`, `page number`, `cursor` or `next link`.
        field: &'static str,
    },
    /// A page gave a cursor that was already used.
    #[error("page {page} gave the cursor {cursor:?} again, so the listing would never end")]
    RepeatedCursor {
        /// The page, counted from 1.
        page: u64,
        /// The cursor.
        cursor: String,
    },
    /// A page linked to a page already fetched.
    #[error("page {page} links to a page already fetched, so the listing would never end")]
    RepeatedLink {
        /// The page, counted from 1.
        page: u64,
        /// The URL linked to.
        link: String,
    },
    /// A page's next link is not a URL, or points to another origin (scheme, host and port),
    /// which would receive the client's credentials.
    #[error("page {page} links to a URL that is not followed: {why}")]
    BadLink {
        /// The page, counted from 1.
        page: u64,
        /// Why.
        why: String,
    },
}

/// A non-2xx response: status, headers, the raw body, and the endpoint's error type when the
/// body parses as one.
#[non_exhaustive]
pub struct ApiError<E> {
    /// The endpoint that was called.
    pub route: Route,
    /// The status.
    pub status: StatusCode,
    /// The response headers (rate limits, trace ids).
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Bytes,
    /// The body parsed as the endpoint's error type; `None` when it does not parse.
    pub parsed: Option<E>,
}

impl<E: DeserializeOwned> ApiError<E> {
    pub(crate) fn new(route: Route, status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let parsed = serde_json::from_slice(&body).ok();
        ApiError {
            route,
            status,
            headers,
            body,
            parsed,
        }
    }
}

impl<E> ApiError<E> {
    /// The body as text (lossy for invalid UTF-8).
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }
}

impl<E: Debug> Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("route", &self.route)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &Snippet(&self.body, 0))
            .field("parsed", &self.parsed)
            .finish()
    }
}

impl<E> Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the server answered {}", self.route, self.status)?;
        if !self.body.is_empty() {
            write!(f, ": {}", Snippet(&self.body, 0))?;
        }
        Ok(())
    }
}

impl<E: Debug> std::error::Error for ApiError<E> {}

/// Why a body did not decode: what a decoder returns
/// ([`Endpoint::decode_response`](crate::Endpoint::decode_response), `decode = path::to::fn`).
/// A call reports it as [`Error::Decode`], a [`DecodeError`] that adds the response around it.
#[derive(Debug)]
#[non_exhaustive]
pub struct InvalidBody {
    /// Where in the body decoding failed (`data[0].id`), empty for the top level.
    pub path: String,
    /// The byte offset in the body near which decoding failed, when known.
    pub offset: Option<usize>,
    /// The decoder's error.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl InvalidBody {
    /// A failure from any decoder, without a position.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        InvalidBody {
            path: String::new(),
            offset: None,
            source: source.into(),
        }
    }
}

/// Decodes JSON, naming where in the document it failed; an empty body decodes as `null`.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, InvalidBody> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    // The fast path: the location of a failure is only needed when there is one.
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(e) if e.is_syntax() || e.is_eof() => Err(json_failure(body, String::new(), e)),
        Err(_) => Err(locate_json_failure::<T>(body)),
    }
}

/// Decodes `body` again, this time tracking where in the document it fails.
fn locate_json_failure<T: DeserializeOwned>(body: &[u8]) -> InvalidBody {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let path = e.path().to_string();
            // `?` and `.` are what serde_path_to_error says for "no particular place".
            let path = if path == "." || path == "?" {
                String::new()
            } else {
                path
            };
            json_failure(body, path, e.into_inner())
        }
        Ok(_) => match de.end() {
            Err(e) => json_failure(body, String::new(), e),
            // Unreachable in practice: the fast path failed on the same input.
            Ok(()) => InvalidBody::new("the body did not decode"),
        },
    }
}

fn json_failure(body: &[u8], path: String, e: serde_json::Error) -> InvalidBody {
    InvalidBody {
        path,
        offset: offset_of(body, e.line(), e.column()),
        source: Box::new(e),
    }
}

fn offset_of(body: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let line_start = if line == 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    Some((line_start + column.saturating_sub(1)).min(body.len()))
}

/// A 2xx response whose body is not what the endpoint expects: the decoder's [`InvalidBody`]
/// with the endpoint, the status, the headers and the body.
#[non_exhaustive]
pub struct DecodeError {
    /// The endpoint that was called.
    pub route: Route,
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// Where in the body decoding failed (`data[0].id`), empty for the top level.
    pub path: String,
    /// The byte offset in the body near which decoding failed, when known.
    pub offset: Option<usize>,
    /// At most 200 bytes of the body around the failure.
    pub snippet: String,
    /// The body exactly as received.
    pub body: Bytes,
    /// The decoder's error.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl DecodeError {
    pub(crate) fn new(
        route: Route,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        failure: InvalidBody,
    ) -> Self {
        let start = failure
            .offset
            .map_or(0, |at| at.saturating_sub(SNIPPET_LEN / 2));
        let snippet = Snippet(&body, start).to_string();
        DecodeError {
            route,
            status,
            headers,
            offset: failure.offset,
            path: failure.path,
            snippet,
            body,
            source: failure.source,
        }
    }
}

impl Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("route", &self.route)
            .field("status", &self.status)
            .field("path", &self.path)
            .field("snippet", &self.snippet)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not decode the {} response",
            self.route, self.status
        )?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        } else if let Some(offset) = self.offset {
            write!(f, " at byte {offset}")?;
        }
        write!(f, ": {}", self.source)?;
        if !self.snippet.is_empty() {
            write!(f, " (body: {})", self.snippet)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The request did not complete: connect, TLS, timeout, a broken connection or response.
///
/// `Display` says what happened in words and names the endpoint
/// (`POST /sessions/<session_id>/tokens/<template_name>: connection refused`); the transport's
/// own error is the [`source`](std::error::Error::source), without the URL (which can carry
/// values a log should not hold).
pub struct TransportError {
    inner: Box<TransportInner>,
}

struct TransportInner {
    route: Route,
    kind: TransportErrorKind,
    source: Option<BoxError>,
}

/// What went wrong on the way, as far as the transport's error tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The server refused the connection (nothing listens there).
    Refused,
    /// Connecting failed otherwise: DNS, TLS handshake, network unreachable.
    Connect,
    /// The call took longer than its timeout (`None`: the transport's own timeout).
    TimedOut(Option<Duration>),
    /// The connection was reset by the peer.
    Reset,
    /// The server closed the connection before the response was complete.
    Closed,
    /// What the server sent is not a valid HTTP response (a bad status line, broken chunked
    /// encoding, headers over the limit, a body that does not decompress).
    InvalidResponse,
    /// More redirects than the client's redirect policy allows.
    TooManyRedirects(usize),
    /// A redirect without a usable `Location`.
    BadRedirect,
    /// Anything else; the source says more.
    Other,
}

impl Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportErrorKind::Refused => f.write_str("connection refused"),
            TransportErrorKind::Connect => f.write_str("could not connect"),
            TransportErrorKind::TimedOut(Some(after)) => {
                write!(f, "timed out after {}", Seconds(*after))
            }
            TransportErrorKind::TimedOut(None) => f.write_str("timed out"),
            TransportErrorKind::Reset => f.write_str("connection reset by the server"),
            TransportErrorKind::Closed => {
                f.write_str("the server closed the connection before the response was complete")
            }
            TransportErrorKind::InvalidResponse => f.write_str("invalid response from the server"),
            TransportErrorKind::TooManyRedirects(limit) => {
                write!(f, "too many redirects (more than {limit})")
            }
            TransportErrorKind::BadRedirect => {
                f.write_str("the server redirected without a valid `Location`")
            }
            TransportErrorKind::Other => f.write_str("the request did not complete"),
        }
    }
}

/// A duration as people write it: `30 s`, `1.5 s`, `250 ms`.
struct Seconds(Duration);

impl Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            write!(f, "{} ms", d.as_millis())
        } else if d.subsec_millis() == 0 {
            write!(f, "{} s", d.as_secs())
        } else {
            write!(f, "{:.1} s", d.as_secs_f64())
        }
    }
}

impl TransportError {
    /// A failure of kind `kind`, caused by `source`.
    pub fn new(route: Route, kind: TransportErrorKind, source: Option<BoxError>) -> Self {
        TransportError {
            inner: Box::new(TransportInner {
                route,
                kind,
                source,
            }),
        }
    }

    /// A transport's error, classified by reading its source chain.
    pub fn from_source(route: Route, source: BoxError) -> Self {
        // The URL can carry values a user would not want in logs; the route says enough.
        let source = match source.downcast::<reqwest::Error>() {
            Ok(e) => BoxError::from(e.without_url()),
            Err(other) => other,
        };
        let kind = classify(&*source);
        TransportError::new(route, kind, Some(source))
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.inner.kind
    }

    /// The endpoint that was called.
    pub fn route(&self) -> &Route {
        &self.inner.route
    }

    /// Whether the call or the connect timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self.inner.kind, TransportErrorKind::TimedOut(_))
    }

    /// Whether connecting failed (refused, DNS, TLS handshake).
    pub fn is_connect(&self) -> bool {
        matches!(
            self.inner.kind,
            TransportErrorKind::Refused | TransportErrorKind::Connect
        ) || self.reqwest().is_some_and(reqwest::Error::is_connect)
    }

    /// The underlying reqwest error, when the transport is reqwest.
    pub fn reqwest(&self) -> Option<&reqwest::Error> {
        self.inner.source.as_deref()?.downcast_ref()
    }
}

/// Reads a transport error's chain, most specific cause first.
fn classify(error: &(dyn std::error::Error + 'static)) -> TransportErrorKind {
    use std::io::ErrorKind as Io;
    let mut kind = None;
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                Io::ConnectionRefused => return TransportErrorKind::Refused,
                Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe => {
                    return TransportErrorKind::Reset
                }
                Io::TimedOut => return TransportErrorKind::TimedOut(None),
                Io::UnexpectedEof => kind = kind.or(Some(TransportErrorKind::Closed)),
                Io::InvalidData | Io::InvalidInput => {
                    kind = kind.or(Some(TransportErrorKind::InvalidResponse))
                }
                _ => {}
            }
        } else if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_parse() || h.is_parse_status() {
                return TransportErrorKind::InvalidResponse;
            }
            if h.is_incomplete_message() {
                kind = kind.or(Some(TransportErrorKind::Closed));
            } else if h.is_timeout() {
                kind = kind.or(Some(TransportErrorKind::TimedOut(None)));
            }
        } else if let Some(r) = e.downcast_ref::<reqwest::Error>() {
            if r.is_timeout() {
                return TransportErrorKind::TimedOut(None);
            } else if r.is_redirect() {
                kind = kind.or(Some(TransportErrorKind::TooManyRedirects(0)));
            } else if r.is_decode() {
                kind = kind.or(Some(TransportErrorKind::InvalidResponse));
            } else if r.is_connect() {
                kind = kind.or(Some(TransportErrorKind::Connect));
            }
        }
        cause = e.source();
    }
    kind.unwrap_or(TransportErrorKind::Other)
}

impl Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("route", &self.inner.route)
            .field("kind", &self.inner.kind)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The source is not repeated here: it is the next link of the chain.
        write!(f, "{}: {}", self.inner.route, self.inner.kind)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let source = self.inner.source.as_deref()?;
        Some(source)
    }
}

/// Shows at most `SNIPPET_LEN` bytes of a body from `start`, lossy, marking cuts with `…`.
struct Snippet<'a>(&'a [u8], usize);

impl Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Snippet(body, start) = *self;
        let start = start.min(body.len());
        let end = (start + SNIPPET_LEN).min(body.len());
        let text = String::from_utf8_lossy(&body[start..end]);
        if start > 0 {
            f.write_str("…")?;
        }
        f.write_str(text.trim_end())?;
        if end < body.len() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl Debug for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Debug::fmt(&self.to_string(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
    }

    #[test]
    fn decode_names_the_path_and_offset() {
        let body = br#"{"data":[{"id":"a"},{"id":7}]}"#;
        let failure = decode_json::<Page>(body).unwrap_err();
        assert_eq!(failure.path, "data[1].id");
        assert_eq!(failure.offset, Some(26));
    }

    #[test]
    fn accessors_match_their_variant() {
        let failure = decode_json::<Item>(b"{}").unwrap_err();
        let body = Bytes::from_static(b"{}");
        let route = Route {
            method: Method::GET,
            template: "/items",
        };
        let decode = DecodeError::new(route, StatusCode::OK, HeaderMap::new(), body, failure);
        let error: Error = Error::Decode(Box::new(decode));
        assert_eq!(error.decode().map(|e| e.status), Some(StatusCode::OK));
        assert!(error.api().is_none() && error.transport().is_none());
        assert!(error.validation().is_none());
    }

    #[test]
    fn empty_body_is_null() {
        decode_json::<()>(b"").unwrap();
        assert_eq!(decode_json::<Option<u8>>(b" \n").unwrap(), None);
        assert!(decode_json::<Item>(b"").is_err());
    }

    #[test]
    fn trailing_garbage_is_refused() {
        assert!(decode_json::<u8>(b"1 2").is_err());
    }

    #[test]
    fn snippet_is_bounded_and_lossy() {
        let body = vec![b'x'; 1000];
        let s = Snippet(&body, 400).to_string();
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert_eq!(s.chars().filter(|c| *c == 'x').count(), SNIPPET_LEN);
        assert_eq!(Snippet(&[0xff, b'a'], 0).to_string(), "\u{fffd}a");
    }

    /// `Error` travels in every `Result` of a call, so it is kept small (reqwest's
    /// `mem_size_of` test): every variant is boxed or three words (the violations' `Vec`;
    /// `TooLarge` boxes its route, the only part that is not a word or less). Three words plus
    /// the tag is the bound, whatever the niche optimisations of the compiler.
    #[test]
    fn error_is_small() {
        use std::mem::size_of;
        assert!(size_of::<Error>() <= 4 * size_of::<usize>());
        assert!(size_of::<Error<String>>() <= 4 * size_of::<usize>());
        assert!(size_of::<Result<(), Error>>() <= 4 * size_of::<usize>());
    }
}
