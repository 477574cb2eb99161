//! Per-API defaults: what every endpoint of one API shares.

use http::HeaderName;
use serde::de::DeserializeOwned;

/// What every endpoint of one API shares, declared once on a type of your own and named with
/// `#[endpoint(..., api = Type)]`.
///
/// The endpoint's own options win: `error = T` replaces [`Api::Error`], and its
/// `headers(...)` are sent after [`Api::HEADERS`].
///
/// ```
/// use restruct_core::{Api, Endpoint, RequestWriter};
///
/// pub struct Clerk;
///
/// impl Api for Clerk {
///     type Error = serde_json::Value;
///     const HEADERS: &'static [(&'static str, &'static str)] = &[("Clerk-API-Version", "2025-04-10")];
/// }
///
/// // What `#[endpoint(GET, "/users", api = Clerk)]` writes, by hand:
/// struct ListUsers;
///
/// impl Endpoint for ListUsers {
///     type Response = serde_json::Value;
///     type Error = <Clerk as Api>::Error;
///     const METHOD: http::Method = http::Method::GET;
///     const PATH: &'static str = "/users";
///
///     fn write_request(&self, req: &mut RequestWriter<'_>) {
///         req.path_literal("/users");
///         req.api_headers::<Clerk>();
///     }
/// }
///
/// let req = ListUsers.to_request("https://api.clerk.com/v1").unwrap();
/// assert_eq!(req.headers()["clerk-api-version"], "2025-04-10");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an API: it does not implement `restruct::Api`",
    label = "`api = ...` names a type that implements `restruct::Api`",
    note = "write `impl restruct::Api for {Self} {{ type Error = ...; }}` with what every endpoint of the API shares"
)]
pub trait Api {
    /// The JSON body of a non-2xx response of every endpoint of this API.
    type Error: DeserializeOwned;
    /// `(name, value)` headers sent with every request of every endpoint of this API, checked
    /// at compile time by each endpoint that names the API (names of letters, digits and `-`;
    /// values of visible ASCII).
    const HEADERS: &'static [(&'static str, &'static str)] = &[];
    /// The header in which this API takes an idempotency key (`Some("Idempotency-Key")` for
    /// Stripe, Adyen, Square, PayPal), for every `POST` and `PATCH` endpoint that names the
    /// API and has no `idempotency_key = ..` of its own: each call of one gets a fresh key
    /// (unless the caller gives one with `client.call(&req).idempotency_key(..)`), the same on
    /// every attempt, and is retried as if idempotent. Checked at compile time by each
    /// endpoint that names the API. `None` by default.
    const IDEMPOTENCY_KEY: Option<&'static str> = None;
}

/// The header name of [`Api::IDEMPOTENCY_KEY`], for the `idempotency_key_header` of the
/// endpoints that take it from their API. A lowercase name (or `Idempotency-Key` in any case)
/// costs nothing; another name is parsed at each use; a name that is not a
/// valid header (which the attribute's compile-time check rules out) is `None`, never a panic.
#[doc(hidden)]
pub fn api_idempotency_key_header<A: Api + ?Sized>() -> Option<HeaderName> {
    let name = A::IDEMPOTENCY_KEY?;
    let lowercase = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if lowercase {
        Some(HeaderName::from_static(name))
    } else if name.eq_ignore_ascii_case("idempotency-key") {
        // The name nearly every API uses, as its docs spell it: no parse, no allocation.
        Some(HeaderName::from_static("idempotency-key"))
    } else {
        HeaderName::from_bytes(name.as_bytes()).ok()
    }
}

/// Whether every header of `headers` is a valid header name and value: for the compile-time
/// check the attribute emits (`const { assert!(...) }`).
#[doc(hidden)]
pub const fn valid_api_headers(headers: &[(&str, &str)]) -> bool {
    let mut i = 0;
    while i < headers.len() {
        let (name, value) = headers[i];
        if !valid_name(name.as_bytes()) || !valid_value(value.as_bytes()) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `name` is a valid header name, if any: for the compile-time check of
/// [`Api::IDEMPOTENCY_KEY`].
#[doc(hidden)]
pub const fn valid_header_name(name: Option<&str>) -> bool {
    match name {
        Some(name) => valid_name(name.as_bytes()),
        None => true,
    }
}

const fn valid_name(name: &[u8]) -> bool {
    if name.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < name.len() {
        let b = name[i];
        let token = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        if !token {
            return false;
        }
        i += 1;
    }
    true
}

const fn valid_value(value: &[u8]) -> bool {
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        if !(b == b'\t' || (b >= b' ' && b <= b'~')) {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_check() {
        assert!(valid_api_headers(&[]));
        assert!(valid_api_headers(&[("Clerk-API-Version", "2025-04-10")]));
        assert!(!valid_api_headers(&[("Bad Name", "x")]));
        assert!(!valid_api_headers(&[("", "x")]));
        assert!(!valid_api_headers(&[("x-ok", "line\nbreak")]));
        assert!(valid_header_name(None));
        assert!(valid_header_name(Some("Idempotency-Key")));
        assert!(!valid_header_name(Some("Idempotency Key")));
    }

    struct Stripe;
    impl Api for Stripe {
        type Error = ();
        const IDEMPOTENCY_KEY: Option<&'static str> = Some("Idempotency-Key");
    }
    struct Lower;
    impl Api for Lower {
        type Error = ();
        const IDEMPOTENCY_KEY: Option<&'static str> = Some("idempotency-key");
    }
    struct Broken;
    impl Api for Broken {
        type Error = ();
        const IDEMPOTENCY_KEY: Option<&'static str> = Some("bad key");
    }

    #[test]
    fn idempotency_key_header_names() {
        assert_eq!(
            api_idempotency_key_header::<Stripe>().unwrap(),
            "idempotency-key"
        );
        assert_eq!(
            api_idempotency_key_header::<Lower>().unwrap(),
            "idempotency-key"
        );
        assert_eq!(api_idempotency_key_header::<Broken>(), None);
        struct Plain;
        impl Api for Plain {
            type Error = ();
        }
        assert_eq!(api_idempotency_key_header::<Plain>(), None);
    }
}
