//! The response side of the sans-IO boundary: a response read in full turns into the typed
//! result of its endpoint here, whichever transport brought it.

use bytes::{Bytes, BytesMut};
use http::header::SET_COOKIE;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, InvalidBody, Route, TransportError};

/// The default limit on a response body: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 16 * 1024 * 1024;

/// A 2xx response: status and headers with the typed body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The status.
    pub status: StatusCode,
    /// The response headers (rate limits, trace ids, `ETag`).
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

/// The outcome of a conditional request (`If-None-Match`, `If-Modified-Since`): the resource
/// as it is now, or `304 Not Modified` with the response headers.
#[derive(Debug, Clone)]
pub enum Conditional<T> {
    /// A 2xx response: the resource changed (or there was no condition to meet).
    Modified(Response<T>),
    /// `304 Not Modified`: what the caller holds is still current.
    NotModified(HeaderMap),
}

/// What decoding a response needs to know of its endpoint. Every
/// [`Endpoint`](crate::Endpoint) is one (the impl is in `reply.rs`); it is apart from that trait
/// so that this module, which the trait's `from_response` calls, does not depend on it.
pub(crate) trait Decoder {
    /// The body of a 2xx response.
    type Response;
    /// The JSON body of a non-2xx response.
    type Error: DeserializeOwned;
    /// The endpoint's route, for errors.
    fn route() -> Route;
    /// Decodes a 2xx body.
    fn decode_body(body: &[u8]) -> Result<Self::Response, InvalidBody>;
}

/// The body of [`from_response`](crate::from_response).
pub(crate) fn decode_full<T: Decoder + ?Sized>(
    response: http::Response<Bytes>,
    max_size: usize,
) -> Result<Response<T::Response>, Error<T::Error>> {
    let (parts, body) = response.into_parts();
    if body.len() > max_size {
        return Err(Error::TooLarge {
            route: Box::new(T::route()),
            status: parts.status,
            limit: max_size,
        });
    }
    decode::<T>(Answer::new(parts.status, parts.headers, body))
}

/// A response read in full (within the size limit), or, for a stream, a 2xx head with its body
/// still to come in `live`.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) live: Option<crate::transport::Body>,
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
            live: None,
        }
    }
}

/// The one place a response becomes a typed result.
pub(crate) fn decode<T: Decoder + ?Sized>(
    answer: Answer,
) -> Result<Response<T::Response>, Error<T::Error>> {
    let Answer {
        status,
        headers,
        body,
        ..
    } = answer;
    if !status.is_success() {
        return Err(api_error::<T>(status, headers, body));
    }
    match T::decode_body(&body) {
        Ok(value) => Ok(Response {
            status,
            headers,
            body: value,
        }),
        Err(failure) => Err(Error::Decode(Box::new(DecodeError::new(
            T::route(),
            status,
            headers,
            body,
            failure,
        )))),
    }
}

/// The [`Error::Api`] of a non-2xx response.
pub(crate) fn api_error<T: Decoder + ?Sized>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
) -> Error<T::Error> {
    let error = ApiError::new(T::route(), status, headers, body);
    Error::Api(Box::new(error))
}

/// Like [`decode`], with `304 Not Modified` as an outcome instead of an error.
pub(crate) fn decode_conditional<T: Decoder + ?Sized>(
    answer: Answer,
) -> Result<Conditional<T::Response>, Error<T::Error>> {
    if answer.status == StatusCode::NOT_MODIFIED {
        return Ok(Conditional::NotModified(answer.headers));
    }
    decode::<T>(answer).map(Conditional::Modified)
}

/// How much of a declared `Content-Length` is reserved before reading: a server that announces
/// a body as large as the limit and sends little must not make every call allocate the limit.
const PREALLOCATE_MAX: u64 = 64 * 1024;

/// A response body read up to the size limit; both clients feed it the chunks they receive.
pub(crate) struct BodyBuffer {
    status: StatusCode,
    limit: usize,
    /// The first chunk, kept without a copy until a second one arrives.
    first: Option<Bytes>,
    /// What is reserved for `body` once a second chunk arrives: the declared length, capped.
    /// Not before: most bodies arrive in one chunk and are never copied.
    capacity: usize,
    body: BytesMut,
}

impl BodyBuffer {
    /// Refuses, before anything is read, a body whose declared length is over the limit. A
    /// response to `HEAD` declares the length of a body it does not have.
    pub(crate) fn new(
        status: StatusCode,
        headers: &HeaderMap,
        head: bool,
        limit: usize,
    ) -> Result<Self, Failure> {
        let declared = headers
            .get(http::header::CONTENT_LENGTH)
            .filter(|_| !head)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            .unwrap_or(0);
        if declared > u64::try_from(limit).unwrap_or(u64::MAX) {
            return Err(Failure::TooLarge { status, limit });
        }
        let capacity = usize::try_from(declared.min(PREALLOCATE_MAX)).unwrap_or(0);
        Ok(BodyBuffer {
            status,
            limit,
            first: None,
            capacity,
            body: BytesMut::new(),
        })
    }

    /// Appends a chunk, or fails when the body would grow past the limit.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), Failure> {
        if self.body.is_empty() {
            let first = self.first.as_ref().map_or(0, Bytes::len);
            self.body.reserve(self.capacity.max(first + chunk.len()));
        }
        if let Some(first) = self.first.take() {
            self.body.extend_from_slice(&first);
        }
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

    /// Appends a chunk that arrived as `Bytes`: the first one is kept as it is, without a copy.
    pub(crate) fn push_bytes(&mut self, chunk: Bytes) -> Result<(), Failure> {
        if self.first.is_none() && self.body.is_empty() && chunk.len() <= self.limit {
            self.first = Some(chunk);
            return Ok(());
        }
        self.push(&chunk)
    }

    /// The response read in full.
    pub(crate) fn finish(self, headers: HeaderMap) -> Answer {
        let body = match self.first {
            Some(first) => first,
            None => self.body.freeze(),
        };
        Answer::new(self.status, headers, body)
    }
}

/// An attempt that got no complete response.
pub(crate) enum Failure {
    Transport(TransportError),
    TooLarge { status: StatusCode, limit: usize },
}

impl Failure {
    pub(crate) fn into_error<E>(self, route: Route) -> Error<E> {
        match self {
            Failure::Transport(e) => Error::Transport(e),
            Failure::TooLarge { status, limit } => Error::TooLarge {
                route: Box::new(route),
                status,
                limit,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(n: u64) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::CONTENT_LENGTH, n.into());
        headers
    }

    #[test]
    fn body_buffer_keeps_to_the_limit_and_does_not_trust_the_declared_length() {
        let ok = StatusCode::OK;
        assert!(matches!(
            BodyBuffer::new(ok, &length(11), false, 10),
            Err(Failure::TooLarge { limit: 10, .. })
        ));
        // A declared 16 MiB reserves no more than the cap until it arrives.
        let big = BodyBuffer::new(ok, &length(16 << 20), false, 16 << 20)
            .ok()
            .unwrap();
        assert!(
            BodyBuffer::new(ok, &length(11), true, 10).is_ok(),
            "HEAD has no body"
        );
        assert_eq!(big.capacity, PREALLOCATE_MAX as usize);
        // Nothing is reserved for a body that arrives in one chunk.
        let mut one = BodyBuffer::new(ok, &length(5), false, 10).ok().unwrap();
        assert!(one.push_bytes(Bytes::from_static(b"12345")).is_ok());
        assert_eq!(one.body.capacity(), 0);
        assert_eq!(&one.finish(HeaderMap::new()).body[..], b"12345");

        let mut body = BodyBuffer::new(ok, &HeaderMap::new(), false, 10)
            .ok()
            .unwrap();
        assert!(body.push_bytes(Bytes::from_static(b"12345")).is_ok());
        assert!(body.push(b"67890").is_ok());
        assert!(matches!(body.push(b"!"), Err(Failure::TooLarge { .. })));
        let answer = body.finish(HeaderMap::new());
        assert_eq!(&answer.body[..], b"1234567890");
    }
}
