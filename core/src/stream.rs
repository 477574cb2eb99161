//! Responses read as they arrive: the body's bytes (downloads), or NDJSON items one by one.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Buf as _, Bytes, BytesMut};
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error, Route, TransportError};
use crate::transport::Body;

/// The body of a 2xx response as it arrives, chunk by chunk, with no size limit: for
/// downloads. Made by [`Call::bytes_stream`](crate::Call::bytes_stream).
#[must_use = "a stream reads nothing until it is polled"]
pub struct ByteStream {
    body: Body,
    route: Route,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new(body: Body, route: Route) -> Self {
        ByteStream { body, route }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            let frame = ready!(http_body::Body::poll_frame(Pin::new(&mut self.body), cx));
            match frame {
                None => return Poll::Ready(None),
                Some(Err(e)) => {
                    let error = TransportError::from_source(self.route.clone(), e);
                    return Poll::Ready(Some(Err(error)));
                }
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
            }
        }
    }
}

/// The items of a 2xx NDJSON (JSON Lines) response, decoded one line at a time as they arrive.
/// Made by [`Call::ndjson`](crate::Call::ndjson). Blank lines are skipped; a line longer than
/// the client's size limit is [`Error::TooLarge`]; a line that does not decode is
/// [`Error::Decode`] (with that line as its body), and the stream ends after it.
#[must_use = "a stream reads nothing until it is polled"]
pub struct NdjsonStream<I, E> {
    bytes: ByteStream,
    status: StatusCode,
    headers: HeaderMap,
    buffer: BytesMut,
    limit: usize,
    done: bool,
    item: PhantomData<fn() -> (I, E)>,
}

impl<I, E> std::fmt::Debug for NdjsonStream<I, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NdjsonStream")
            .field("route", &self.bytes.route)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<I, E> NdjsonStream<I, E> {
    pub(crate) fn new(
        bytes: ByteStream,
        status: StatusCode,
        headers: HeaderMap,
        limit: usize,
    ) -> Self {
        NdjsonStream {
            bytes,
            status,
            headers,
            buffer: BytesMut::new(),
            limit,
            done: false,
            item: PhantomData,
        }
    }
}

impl<I: DeserializeOwned, E> NdjsonStream<I, E> {
    /// The next complete line of the buffer, decoded; `None` when no full line is buffered.
    fn next_line(&mut self, at_end: bool) -> Option<Result<I, Error<E>>> {
        loop {
            let end = match self.buffer.iter().position(|b| *b == b'\n') {
                Some(newline) => newline + 1,
                None if at_end && !self.buffer.is_empty() => self.buffer.len(),
                None => return None,
            };
            let line = self.buffer.split_to(end).freeze();
            let text = trim(&line);
            if text.is_empty() {
                continue;
            }
            return Some(serde_json::from_slice(text).map_err(|e| {
                self.done = true;
                let failure = crate::error::InvalidBody::new(e);
                Error::Decode(Box::new(DecodeError::new(
                    self.bytes.route.clone(),
                    self.status,
                    self.headers.clone(),
                    line.clone(),
                    failure,
                )))
            }));
        }
    }
}

fn trim(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &line[start..end]
}

impl<I: DeserializeOwned, E> Stream for NdjsonStream<I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Nothing here is structurally pinned: the stream is `Unpin`.
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(item) = this.next_line(false) {
                return Poll::Ready(Some(item));
            }
            match ready!(Pin::new(&mut this.bytes).poll_next(cx)) {
                Some(Ok(chunk)) => {
                    if this.buffer.len() + chunk.len() > this.limit {
                        this.done = true;
                        return Poll::Ready(Some(Err(Error::TooLarge {
                            route: Box::new(this.bytes.route.clone()),
                            status: this.status,
                            limit: this.limit,
                        })));
                    }
                    let mut chunk = chunk;
                    while chunk.has_remaining() {
                        let part = chunk.chunk();
                        this.buffer.extend_from_slice(part);
                        let n = part.len();
                        chunk.advance(n);
                    }
                }
                Some(Err(e)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::Transport(e))));
                }
                None => {
                    let last = this.next_line(true);
                    this.done = true;
                    return Poll::Ready(last);
                }
            }
        }
    }
}
