//! Raw bodies: `#[body(raw)]`, sent as the bytes they are.

use std::borrow::Cow;

/// A value that can be a `#[body(raw)]`: bytes or text, sent as they are.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a raw body: it is not bytes or text",
    label = "`#[body(raw)]` sends the bytes of this field as they are",
    note = "use `Vec<u8>`, `bytes::Bytes`, `&[u8]`, `String` or `&str`, or implement `restruct::RawBody` for `{Self}`"
)]
pub trait RawBody {
    /// The bytes to send.
    fn raw_bytes(&self) -> &[u8];
}

impl RawBody for [u8] {
    fn raw_bytes(&self) -> &[u8] {
        self
    }
}

impl<const N: usize> RawBody for [u8; N] {
    fn raw_bytes(&self) -> &[u8] {
        self
    }
}

impl RawBody for Vec<u8> {
    fn raw_bytes(&self) -> &[u8] {
        self
    }
}

impl RawBody for bytes::Bytes {
    fn raw_bytes(&self) -> &[u8] {
        self
    }
}

impl RawBody for str {
    fn raw_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl RawBody for String {
    fn raw_bytes(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl<T: RawBody + ?Sized> RawBody for &T {
    fn raw_bytes(&self) -> &[u8] {
        (**self).raw_bytes()
    }
}

impl<T: RawBody + ?Sized> RawBody for Box<T> {
    fn raw_bytes(&self) -> &[u8] {
        (**self).raw_bytes()
    }
}

impl<T: RawBody + ToOwned + ?Sized> RawBody for Cow<'_, T> {
    fn raw_bytes(&self) -> &[u8] {
        (**self).raw_bytes()
    }
}
