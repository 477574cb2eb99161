//! The one error type of a call, and its parts.

use std::fmt::{self, Debug, Display};

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

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
    /// The request did not complete: connect, TLS, timeout, or a broken connection.
    #[error(transparent)]
    Transport(TransportError),
    /// The response body is larger than the client's limit; the rest was not read.
    #[error("the response body is larger than the limit of {limit} bytes (status {status})")]
    TooLarge {
        /// The status of the response.
        status: StatusCode,
        /// The limit that was exceeded.
        limit: usize,
    },
    /// A listing was stopped because the server would have it go on forever (a repeated
    /// page, cursor or link), or its next link may not be followed.
    #[error(transparent)]
    Pagination(Box<crate::paginate::PaginationError>),
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
    pub fn pagination(&self) -> Option<&crate::paginate::PaginationError> {
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

/// A non-2xx response: status, headers, the raw body, and the endpoint's error type when the
/// body parses as one.
#[non_exhaustive]
pub struct ApiError<E> {
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
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let parsed = serde_json::from_slice(&body).ok();
        ApiError {
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
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &Snippet(&self.body, 0))
            .field("parsed", &self.parsed)
            .finish()
    }
}

impl<E> Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        if !self.body.is_empty() {
            write!(f, ": {}", Snippet(&self.body, 0))?;
        }
        Ok(())
    }
}

impl<E: Debug> std::error::Error for ApiError<E> {}

/// Why a body did not decode, as reported by [`Endpoint::decode_response`](crate::Endpoint::decode_response).
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodeFailure {
    /// Where in the body decoding failed (`data[0].id`), empty for the top level.
    pub path: String,
    /// The byte offset in the body near which decoding failed, when known.
    pub offset: Option<usize>,
    /// The decoder's error.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl DecodeFailure {
    /// A failure from any decoder, without a position.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        DecodeFailure {
            path: String::new(),
            offset: None,
            source: source.into(),
        }
    }
}

/// Decodes JSON, naming where in the document it failed; an empty body decodes as `null`.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_failure(
            body,
            if path == "." { String::new() } else { path },
            e.into_inner(),
        )
    })?;
    de.end().map_err(|e| json_failure(body, String::new(), e))?;
    Ok(value)
}

fn json_failure(body: &[u8], path: String, e: serde_json::Error) -> DecodeFailure {
    DecodeFailure {
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

/// A 2xx response whose body is not what the endpoint expects.
#[non_exhaustive]
pub struct DecodeError {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// Where in the body decoding failed (`data[0].id`), empty for the top level.
    pub path: String,
    /// At most 200 bytes of the body around the failure.
    pub snippet: String,
    /// The body exactly as received.
    pub body: Bytes,
    /// The decoder's error.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl DecodeError {
    pub(crate) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        failure: DecodeFailure,
    ) -> Self {
        let start = failure
            .offset
            .map_or(0, |at| at.saturating_sub(SNIPPET_LEN / 2));
        let snippet = Snippet(&body, start).to_string();
        DecodeError {
            status,
            headers,
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
            .field("status", &self.status)
            .field("path", &self.path)
            .field("snippet", &self.snippet)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode the {} response", self.status)?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
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

/// The request did not complete: connect, TLS, timeout, or a broken connection.
#[derive(Debug, thiserror::Error)]
#[error("the request did not complete: {source}")]
pub struct TransportError {
    #[source]
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error) -> Self {
        // The URL can carry values a user would not want in logs; the template is in the span.
        TransportError {
            source: source.without_url(),
        }
    }

    /// Whether the request or the response timed out.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }

    /// Whether connecting failed (refused, DNS, TLS handshake).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// The underlying reqwest error.
    pub fn reqwest(&self) -> &reqwest::Error {
        &self.source
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
        let decode = DecodeError::new(StatusCode::OK, HeaderMap::new(), body, failure);
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
}
