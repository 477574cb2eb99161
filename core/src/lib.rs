//! Runtime of [restruct](https://docs.rs/restruct): the [`Endpoint`] trait, path encoding,
//! validation, the [`Client`] and the [`Error`] type.
//!
//! Most users depend on the `restruct` facade and its `#[endpoint]` attribute instead of this
//! crate. Everything up to the [`Transport`](transport::Transport) is sans-IO in both
//! directions: an endpoint turns into an `http::Request<Vec<u8>>` ([`Endpoint::to_request`]),
//! and a response read in full turns back into its typed result ([`from_response`]).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api;
#[cfg(feature = "blocking")]
mod blocking;
mod client;
mod config;
mod decode;
mod encode;
mod endpoint;
mod error;
mod exchange;
mod form;
mod headers;
pub mod meta;
mod multipart;
mod nullable;
mod options;
mod paginate;
mod query;
mod raw;
mod redirect;
mod reply;
mod response;
mod retry;
pub mod rules;
mod stream;
mod tls;
mod trace;
pub mod transport;
mod validate;

pub use api::{api_idempotency_key_header, valid_api_headers, valid_header_name, Api};
#[cfg(feature = "blocking")]
pub use blocking::{BlockingCall, BlockingClient, BlockingClientBuilder};
pub use client::{mode, Call, CallFuture, Client, ClientBuilder};
pub use config::{BuildError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use decode::{decode_bytes, decode_text, BytesResponse, TextResponse};
pub use encode::{encode_segment, push_segment, push_segments, SegmentProblem, PATH_SEGMENT};
pub use endpoint::{Endpoint, HeaderValueSource, PathValue, QueryValue, RequestWriter};
pub use error::{
    decode_json, ApiError, DecodeError, Error, InvalidBody, PaginationError, Route, TransportError,
    TransportErrorKind,
};
pub use form::FormArrays;
pub use headers::is_sensitive_header;
pub use meta::EndpointMeta;
pub use multipart::{FilePart, Multipart, MultipartValue};
pub use nullable::Nullable;
pub use options::CallOptions;
#[doc(hidden)]
pub use paginate::support as __paginate;
#[cfg(feature = "blocking")]
pub use paginate::BlockingPaginator;
pub use paginate::{next_link, Page, PageRequest, PageStyle, Paginated, Paginator};
pub use query::QueryStyle;
#[doc(hidden)]
pub use query::{query_flat, FlatQuery, KnownMap, QueryAnyProbe, QueryMapProbe, QueryProbe};
pub use raw::RawBody;
pub use redirect::RedirectPolicy;
pub use reply::from_response;
pub use response::{Conditional, Response, DEFAULT_MAX_RESPONSE_SIZE};
pub use retry::{RetryClock, RetryPolicy};
pub use stream::{ByteStream, NdjsonStream};
pub use tls::install_crypto_provider;
pub use validate::{Validate, ValidationErrors, Violation};

pub use http;
pub use reqwest;
