#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use restruct_core::{
    decode_json, encode_segment, from_response, http, is_sensitive_header, mode, reqwest,
    transport, ApiError, BuildError, Call, CallFuture, CallOptions, Client, ClientBuilder,
    Conditional, DecodeError, DecodeFailure, Endpoint, Error, HeaderValueSource, Nullable,
    Paginated, Paginator, PathValue, QueryValue, RedirectPolicy, RequestWriter, Response,
    RetryPolicy, Route, TransportError, TransportErrorKind, Validate, ValidationErrors, Violation,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT,
};
#[cfg(feature = "blocking")]
pub use restruct_core::{BlockingCall, BlockingClient, BlockingClientBuilder};

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

/// The functions behind the `#[validate(...)]` rules, for hand-written [`Validate`] impls.
pub use restruct_core::rules;

// Generated code names the runtime only through here, so users need no other dependency.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "builder")]
    pub use bon;
    pub use restruct_core::http::header::{HeaderName, HeaderValue};
    pub use restruct_core::http::Method;
    pub use restruct_core::rules;
    #[cfg(feature = "blocking")]
    pub use restruct_core::BlockingClient;
    pub use restruct_core::{
        Client, DecodeFailure, Endpoint, Error, Nullable, RequestWriter, Response, Validate,
        ValidationErrors, Violation,
    };
    pub use {serde, serde_json};

    // The macro cannot see this crate's features; it wraps the blocking methods in this, which
    // keeps them only when `blocking` is on.
    pub use crate::__restruct_if_blocking as if_blocking;
    // The same for the builder: `if_builder! { { with } else { without } }`.
    pub use crate::__restruct_if_builder as if_builder;
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
