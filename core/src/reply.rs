//! An endpoint's side of decoding a response: [`from_response`], and what the decoder in
//! `response.rs` needs to know of an endpoint (its route and its body decoder).

use bytes::Bytes;

use crate::endpoint::Endpoint;
use crate::error::{Error, InvalidBody, Route};
use crate::response::{decode_full, Decoder, Response};

/// Turns a response read in full into exactly what sending the endpoint returns: the typed body
/// for a 2xx, [`Error::Api`] for any other status (with the endpoint's error type parsed when it
/// parses), [`Error::Decode`] for a 2xx body that does not decode, and [`Error::TooLarge`] for a
/// body over `max_size` bytes.
///
/// This is what both clients call after their transport has read a response; call it yourself
/// after sending [`Endpoint::to_request`] with another HTTP stack.
///
/// ```
/// use restruct_core::{from_response, Endpoint, RequestWriter, DEFAULT_MAX_RESPONSE_SIZE};
///
/// struct GetUser { id: String }
/// impl Endpoint for GetUser {
///     type Response = serde_json::Value;
///     type Error = serde_json::Value;
///     const METHOD: http::Method = http::Method::GET;
///     const PATH: &'static str = "/users/<id>";
///     fn write_request(&self, req: &mut RequestWriter<'_>) {
///         req.path_literal("/users/");
///         req.path_param("id", &self.id);
///     }
/// }
///
/// let answer = http::Response::builder()
///     .status(404)
///     .body(bytes::Bytes::from_static(br#"{"errors":[]}"#))
///     .unwrap();
/// let err = from_response::<GetUser>(answer, DEFAULT_MAX_RESPONSE_SIZE).unwrap_err();
/// assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
/// assert!(err.to_string().starts_with("GET /users/<id>: the server answered 404"));
/// ```
pub fn from_response<T: Endpoint + ?Sized>(
    response: http::Response<Bytes>,
    max_size: usize,
) -> Result<Response<T::Response>, Error<T::Error>> {
    decode_full::<T>(response, max_size)
}

impl<T: Endpoint + ?Sized> Decoder for T {
    type Response = T::Response;
    type Error = T::Error;

    #[inline]
    fn route() -> Route {
        Route::of::<T>()
    }

    #[inline]
    fn decode_body(body: &[u8]) -> Result<T::Response, InvalidBody> {
        T::decode_response(body)
    }
}

impl Route {
    /// The route of endpoint `T`.
    pub fn of<T: Endpoint + ?Sized>() -> Route {
        Route {
            method: T::METHOD,
            template: T::PATH,
        }
    }
}
