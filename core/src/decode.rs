//! The response decodings an endpoint can choose besides JSON: `decode = text | bytes`.

use crate::error::InvalidBody;

/// A response type that `decode = text` can give: anything built from a `String`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a text response: it is not built from a `String`",
    label = "`decode = text` gives the body as a `String`",
    note = "use `response = String`, or implement `From<String>` for `{Self}`"
)]
pub trait TextResponse: From<String> {}

impl<T: From<String>> TextResponse for T {}

/// A response type that `decode = bytes` can give: anything built from a `Vec<u8>`
/// (`Vec<u8>`, `bytes::Bytes`, `Box<[u8]>`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a bytes response: it is not built from a `Vec<u8>`",
    label = "`decode = bytes` gives the body as its bytes",
    note = "use `response = Vec<u8>` or `response = bytes::Bytes`, or implement `From<Vec<u8>>` for `{Self}`"
)]
pub trait BytesResponse: From<Vec<u8>> {}

impl<T: From<Vec<u8>>> BytesResponse for T {}

/// Decodes a body as UTF-8 text; invalid UTF-8 is a failure at the first bad byte.
///
/// ```
/// let text: String = restruct_core::decode_text(b"hello").unwrap();
/// assert_eq!(text, "hello");
/// let bad = restruct_core::decode_text::<String>(b"ok \xff").unwrap_err();
/// assert_eq!(bad.offset, Some(3));
/// ```
pub fn decode_text<T: TextResponse>(body: &[u8]) -> Result<T, InvalidBody> {
    match std::str::from_utf8(body) {
        Ok(text) => Ok(T::from(text.to_owned())),
        Err(e) => {
            let mut failure = InvalidBody::new(e);
            failure.offset = Some(e.valid_up_to());
            Err(failure)
        }
    }
}

/// Gives a body as its bytes, exactly as received; never fails.
///
/// ```
/// let bytes: Vec<u8> = restruct_core::decode_bytes(b"\x89PNG").unwrap();
/// assert_eq!(bytes, b"\x89PNG");
/// ```
pub fn decode_bytes<T: BytesResponse>(body: &[u8]) -> Result<T, InvalidBody> {
    Ok(T::from(body.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_utf8_or_a_failure_at_the_bad_byte() {
        assert_eq!(decode_text::<String>("é".as_bytes()).unwrap(), "é");
        assert_eq!(decode_text::<String>(b"").unwrap(), "");
        let failure = decode_text::<String>(b"abc\xc3").unwrap_err();
        assert_eq!(failure.offset, Some(3));
        assert!(
            failure.source.to_string().contains("utf-8"),
            "{}",
            failure.source
        );
    }

    #[test]
    fn bytes_are_kept_as_received() {
        let body = [0u8, 0xff, b'\n'];
        assert_eq!(decode_bytes::<Vec<u8>>(&body).unwrap(), body);
        assert_eq!(&decode_bytes::<bytes::Bytes>(&body).unwrap()[..], body);
    }
}
