//! Runtime of [restruct](https://docs.rs/restruct): the [`Endpoint`] trait, path encoding,
//! validation, the [`Client`] and the [`Error`] type.
//!
//! Most users depend on the `restruct` facade and its `#[endpoint]` attribute instead of this
//! crate. Everything here is sans-IO up to [`Client`]: an endpoint turns into an
//! `http::Request<Vec<u8>>` ([`Endpoint::to_request`]), which the client sends over reqwest.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api;
#[cfg(feature = "blocking")]
mod blocking;
mod call;
mod client;
mod decode;
mod encode;
mod endpoint;
mod error;
mod multipart;
mod nullable;
mod paginate;
mod query;
mod raw;
mod retry;
pub mod rules;
mod validate;

pub use api::{valid_api_headers, Api};
#[cfg(feature = "blocking")]
pub use blocking::BlockingClient;
pub use call::CallOptions;
pub use client::{BuildError, Client, ClientBuilder, Response, DEFAULT_MAX_RESPONSE_SIZE};
pub use decode::{decode_bytes, decode_text, BytesResponse, TextResponse};
pub use encode::{encode_segment, push_segment, push_segments, SegmentProblem, PATH_SEGMENT};
pub use endpoint::{Endpoint, HeaderValueSource, PathValue, QueryValue, RequestWriter};
pub use error::{decode_json, ApiError, DecodeError, DecodeFailure, Error, TransportError};
pub use multipart::{FilePart, Multipart, MultipartValue};
pub use nullable::Nullable;
pub use paginate::{Paginated, Paginator};
pub use query::QueryStyle;
#[doc(hidden)]
pub use query::{query_flat, FlatQuery, KnownMap, QueryAnyProbe, QueryMapProbe, QueryProbe};
pub use raw::RawBody;
pub use retry::RetryPolicy;
pub use validate::{Validate, ValidationErrors, Violation};

pub use http;
