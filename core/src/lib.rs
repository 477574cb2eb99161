//! Runtime of [restruct](https://docs.rs/restruct): the [`Endpoint`] trait, path encoding,
//! validation, the [`Client`] and the [`Error`] type.
//!
//! Most users depend on the `restruct` facade and its `#[endpoint]` attribute instead of this
//! crate. Everything here is sans-IO up to [`Client`]: an endpoint turns into an
//! `http::Request<Vec<u8>>` ([`Endpoint::to_request`]), which the client sends over reqwest.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "blocking")]
mod blocking;
mod call;
mod client;
mod encode;
mod endpoint;
mod error;
mod nullable;
mod paginate;
mod retry;
pub mod rules;
mod validate;

#[cfg(feature = "blocking")]
pub use blocking::BlockingClient;
pub use call::CallOptions;
pub use client::{BuildError, Client, ClientBuilder, Response, DEFAULT_MAX_RESPONSE_SIZE};
pub use encode::{encode_segment, push_segment, SegmentProblem, PATH_SEGMENT};
pub use endpoint::{Endpoint, HeaderValueSource, PathValue, QueryValue, RequestWriter};
pub use error::{decode_json, ApiError, DecodeError, DecodeFailure, Error, TransportError};
pub use nullable::Nullable;
#[doc(hidden)]
pub use paginate::support as __paginate;
#[cfg(feature = "blocking")]
pub use paginate::BlockingPaginator;
pub use paginate::{
    next_link, Page, PageRequest, PageStyle, Paginated, PaginationError, Paginator,
};
pub use retry::RetryPolicy;
pub use validate::{Validate, ValidationErrors, Violation};

pub use http;
