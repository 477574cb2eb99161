#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub use restruct_core::{
    decode_json, encode_segment, http, ApiError, BuildError, Client, ClientBuilder, DecodeError,
    DecodeFailure, Endpoint, Error, Nullable, Paginated, Paginator, RequestWriter, Response,
    TransportError, Validate, ValidationErrors, Violation, DEFAULT_MAX_RESPONSE_SIZE,
};

/// Turns a struct with named fields into an HTTP API call.
///
/// `#[endpoint(METHOD, "TEMPLATE", option = value, ...)]`; see the [crate docs](crate) for the
/// grammar, the field roles and the options.
pub use restruct_macros::endpoint;

// Generated code names the runtime only through here, so users need no other dependency.
#[doc(hidden)]
pub mod __private {
    pub use restruct_core::http::header::HeaderName;
    pub use restruct_core::http::Method;
    pub use restruct_core::{
        Client, DecodeFailure, Endpoint, Error, RequestWriter, Response, Validate,
        ValidationErrors, Violation,
    };
    pub use serde;
    pub use serde_json;
}
