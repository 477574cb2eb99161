#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "schema")]
#[doc(hidden)]
pub mod schema_support;
pub use restruct_core::{
    decode_json, encode_segment, from_response, http, install_crypto_provider, is_sensitive_header,
    mode, reqwest, transport, ApiError, BuildError, Call, CallFuture, CallOptions, Client,
    ClientBuilder, Conditional, DecodeError, Endpoint, Error, HeaderValueSource, InvalidBody,
    Nullable, Page, PageRequest, PageStyle, Paginated, PaginationError, Paginator, PathValue,
    QueryValue, RedirectPolicy, RequestWriter, Response, RetryClock, RetryPolicy, Route,
    TransportError, TransportErrorKind, Validate, ValidationErrors, Violation,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT,
};
#[cfg(feature = "blocking")]
pub use restruct_core::{BlockingCall, BlockingClient, BlockingClientBuilder};
// Request and response shapes: per-API defaults, query styles, raw and multipart bodies, and
// the decoders behind `decode = text | bytes`.
#[cfg(feature = "blocking")]
pub use restruct_core::BlockingPaginator;
pub use restruct_core::{
    decode_bytes, decode_text, Api, BytesResponse, FilePart, FormArrays, Multipart, MultipartValue,
    QueryStyle, RawBody, TextResponse,
};

/// Turns a struct with named fields into an HTTP API call.
///
/// `#[endpoint(METHOD, "TEMPLATE", option = value, ...)]`; see the [crate docs](crate) for the
/// grammar, the field roles and the options.
pub use restruct_macros::endpoint;

/// Checks a struct's `#[validate(...)]` field rules: `#[derive(restruct::Validate)]`.
///
/// The rules are those of `#[endpoint]` fields (see the [crate docs](crate)); an endpoint field
/// of this type checks them with `#[validate(nested)]`.
pub use restruct_macros::Validate;

/// Endpoints described as data: [`Endpoint::META`] and its parts.
pub use restruct_core::meta;
pub use restruct_core::EndpointMeta;

/// schemars, whose `JsonSchema` the `schema` feature asks of every endpoint's body, response and
/// error types (derive it with `#[derive(restruct::schemars::JsonSchema)]` and
/// `#[schemars(crate = "restruct::schemars")]`, or depend on schemars 1 yourself).
#[cfg(feature = "schema")]
pub use schemars;

/// Checks endpoints against an OpenAPI document, and exports one from them (feature `openapi`).
#[cfg(feature = "openapi")]
pub use restruct_openapi as openapi;

/// The functions behind the `#[validate(...)]` rules, for hand-written [`Validate`] impls.
pub use restruct_core::rules;

// Generated code names the runtime only through here, so users need no other dependency.
#[doc(hidden)]
pub mod __private {
    pub use restruct_core::http::header::{HeaderName, HeaderValue};
    pub use restruct_core::http::Method;
    #[cfg(feature = "blocking")]
    pub use restruct_core::BlockingClient;
    pub use restruct_core::{meta, rules};
    // The name the attribute macro emits for a decoder's error (`InvalidBody` since it was
    // renamed), until it emits the new one.
    pub use restruct_core::InvalidBody as DecodeFailure;
    pub use restruct_core::{
        Client, Endpoint, Error, InvalidBody, Nullable, RequestWriter, Response, Validate,
        ValidationErrors, Violation,
    };
    // `paginate = ...`
    #[cfg(feature = "builder")]
    pub use bon;
    pub use restruct_core::{
        __paginate as paginate, next_link, Page, PageRequest, PageStyle, Paginated,
    };
    pub use {serde, serde_json};
    // Request and response shapes.
    pub use restruct_core::{
        api_idempotency_key_header, decode_bytes, decode_json, decode_text, query_flat,
        valid_api_headers, valid_header_name, Api, FormArrays, Multipart, QueryAnyProbe,
        QueryMapProbe, QueryProbe, QueryStyle,
    };

    // The macro cannot see this crate's features; it wraps the blocking methods in this, which
    // keeps them only when `blocking` is on.
    pub use crate::__restruct_if_blocking as if_blocking;

    // Likewise for the schema function of `Endpoint::META`: `Some(function)` with `schema` on,
    // `None` (and none of schemars named) with it off.
    pub use crate::__restruct_if_schema as if_schema;
    #[cfg(feature = "schema")]
    pub use crate::schema_support as schema;

    // The same for the builder: `if_builder! { { with } else { without } }`.
    pub use crate::__restruct_if_builder as if_builder;
}

/// `Some` of its input (a block giving a schema function) when the `schema` feature is on.
#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __restruct_if_schema {
    ($($block:tt)*) => { ::core::option::Option::Some($($block)*) };
}

/// `None`: the `schema` feature is off.
#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __restruct_if_schema {
    ($($block:tt)*) => {
        ::core::option::Option::None
    };
}

/// Keeps the first group when the `builder` feature is on.
#[cfg(feature = "builder")]
#[doc(hidden)]
#[macro_export]
macro_rules! __restruct_if_builder {
    ({ $($with:tt)* } else { $($without:tt)* }) => { $($with)* };
}

/// Keeps the second group: the `builder` feature is off.
#[cfg(not(feature = "builder"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __restruct_if_builder {
    ({ $($with:tt)* } else { $($without:tt)* }) => { $($without)* };
}

/// Expands its input when the `blocking` feature is on.
#[cfg(feature = "blocking")]
#[doc(hidden)]
#[macro_export]
macro_rules! __restruct_if_blocking {
    ($($item:tt)*) => { $($item)* };
}

/// Expands to nothing: the `blocking` feature is off.
#[cfg(not(feature = "blocking"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __restruct_if_blocking {
    ($($item:tt)*) => {};
}
