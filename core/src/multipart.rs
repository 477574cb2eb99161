//! `multipart/form-data` bodies, written into the request's bytes (sans-IO).
//!
//! A short encoder of RFC 7578 rather than a crate: reqwest's `multipart::Form` (and the
//! hyper-based encoders) produce a streaming body of their own HTTP stack, while an endpoint
//! writes an `http::Request<Vec<u8>>`. Names and file names are escaped as the WHATWG HTML
//! standard does (`"` -> `%22`, CR -> `%0D`, LF -> `%0A`), and the boundary is random and
//! checked not to occur in any part.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http::HeaderValue;

use crate::nullable::Nullable;
use crate::validate::Violation;

/// A file part of a `multipart` endpoint: bytes with a file name and a content type.
///
/// ```
/// use restruct_core::FilePart;
///
/// let avatar = FilePart::new(b"\x89PNG...".to_vec())
///     .file_name("avatar.png")
///     .content_type("image/png");
/// assert_eq!(avatar.len(), 7);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A part holding `data`, sent as `application/octet-stream` without a file name unless
    /// told otherwise.
    pub fn new(data: impl Into<Bytes>) -> Self {
        FilePart {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the server sees (`filename="..."`).
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's `Content-Type` (`image/png`); `application/octet-stream` when not given.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// How many bytes the part holds.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the part holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes may be large or private: their length only.
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

/// A value that can be a field of a `multipart` endpoint: text (strings, numbers, `bool`), a
/// [`FilePart`], or an `Option`, `Nullable` or sequence of them (none or one part per item).
///
/// Implement it to send a type of your own as parts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a part of a multipart body",
    label = "fields of a `multipart` endpoint are text or files",
    note = "use a string, a number, `bool`, `restruct::FilePart`, or an `Option` or `Vec` of them; or implement `restruct::MultipartValue` for `{Self}`"
)]
pub trait MultipartValue {
    /// Adds this value's parts to `form` under `name`.
    fn write_parts(&self, name: &str, form: &mut Multipart);
}

impl MultipartValue for FilePart {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        form.file(name, self);
    }
}

impl MultipartValue for str {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        form.text(name, self);
    }
}

impl MultipartValue for String {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        form.text(name, self);
    }
}

impl MultipartValue for Cow<'_, str> {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        form.text(name, self);
    }
}

macro_rules! display_parts {
    ($($ty:ty)*) => {$(
        impl MultipartValue for $ty {
            fn write_parts(&self, name: &str, form: &mut Multipart) {
                form.text(name, &self.to_string());
            }
        }
    )*};
}

display_parts!(bool char i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64);

impl<T: MultipartValue + ?Sized> MultipartValue for &T {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        (**self).write_parts(name, form);
    }
}

impl<T: MultipartValue + ?Sized> MultipartValue for Box<T> {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        (**self).write_parts(name, form);
    }
}

impl<T: MultipartValue> MultipartValue for Option<T> {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        if let Some(value) = self {
            value.write_parts(name, form);
        }
    }
}

impl<T: MultipartValue> MultipartValue for Nullable<T> {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        if let Nullable::Value(value) = self {
            value.write_parts(name, form);
        }
    }
}

impl<T: MultipartValue> MultipartValue for [T] {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        for item in self {
            item.write_parts(name, form);
        }
    }
}

impl<T: MultipartValue> MultipartValue for Vec<T> {
    fn write_parts(&self, name: &str, form: &mut Multipart) {
        self.as_slice().write_parts(name, form);
    }
}

/// The parts of a `multipart/form-data` body, in order;
/// [`RequestWriter::multipart_body`](crate::RequestWriter::multipart_body) encodes them.
#[derive(Default)]
pub struct Multipart {
    parts: Vec<Part>,
    field: String,
    violations: Vec<Violation>,
}

struct Part {
    /// The part's header lines, each ending in CRLF.
    head: Vec<u8>,
    content: Bytes,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("parts", &self.parts.len())
            .finish_non_exhaustive()
    }
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds the parts of `value` under `name`; problems are violations of `field`.
    pub fn part<T: MultipartValue + ?Sized>(&mut self, field: &str, name: &str, value: &T) {
        self.field.clear();
        self.field.push_str(field);
        value.write_parts(name, self);
    }

    /// Adds a text part.
    pub fn text(&mut self, name: &str, value: &str) {
        let mut head = Vec::with_capacity(48 + name.len());
        disposition(&mut head, name, None);
        self.parts.push(Part {
            head,
            content: Bytes::copy_from_slice(value.as_bytes()),
        });
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        let content_type = file
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        if HeaderValue::from_str(content_type).is_err() {
            let message =
                "has a content type that is not a valid header value (control characters or newlines)";
            self.violations
                .push(Violation::new(self.field.as_str(), "multipart", message));
            return;
        }
        let mut head = Vec::with_capacity(96 + name.len());
        disposition(&mut head, name, file.file_name.as_deref());
        head.extend_from_slice(b"Content-Type: ");
        head.extend_from_slice(content_type.as_bytes());
        head.extend_from_slice(b"\r\n");
        self.parts.push(Part {
            head,
            content: file.data.clone(),
        });
    }

    /// The `Content-Type` (with its boundary) and the encoded body, or the violations found.
    pub(crate) fn finish(self) -> Result<(HeaderValue, Vec<u8>), Vec<Violation>> {
        if !self.violations.is_empty() {
            return Err(self.violations);
        }
        // A boundary of 128 random bits occurs in a part by chance about never; a hostile part
        // cannot aim at it, and it is checked anyway.
        for _ in 0..4 {
            let boundary = format!("restruct-{:016x}{:016x}", random(), random());
            let clash = self.parts.iter().any(|p| {
                contains(&p.head, boundary.as_bytes()) || contains(&p.content, boundary.as_bytes())
            });
            if clash {
                continue;
            }
            let Ok(content_type) =
                HeaderValue::try_from(format!("multipart/form-data; boundary={boundary}"))
            else {
                continue;
            };
            return Ok((content_type, self.encode(&boundary)));
        }
        Err(vec![Violation::new(
            self.field.as_str(),
            "multipart",
            "holds every multipart boundary tried",
        )])
    }

    fn encode(&self, boundary: &str) -> Vec<u8> {
        let len = self
            .parts
            .iter()
            .map(|p| p.head.len() + p.content.len() + boundary.len() + 8)
            .sum::<usize>()
            + boundary.len()
            + 8;
        let mut body = Vec::with_capacity(len);
        for part in &self.parts {
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.head);
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
        body
    }
}

fn disposition(head: &mut Vec<u8>, name: &str, file_name: Option<&str>) {
    head.extend_from_slice(b"Content-Disposition: form-data; name=\"");
    escape(head, name);
    head.push(b'"');
    if let Some(file_name) = file_name {
        head.extend_from_slice(b"; filename=\"");
        escape(head, file_name);
        head.push(b'"');
    }
    head.extend_from_slice(b"\r\n");
}

/// WHATWG's escaping of names and file names in `multipart/form-data`.
fn escape(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            _ => out.push(b),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// 64 bits from std's randomly keyed SipHash over a process-wide counter: no dependency, and
/// a different value on every call.
fn random() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(form: Multipart) -> (String, Vec<u8>) {
        let (content_type, body) = form.finish().unwrap();
        let content_type = content_type.to_str().unwrap().to_owned();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap()
            .to_owned();
        (boundary, body)
    }

    #[test]
    fn text_and_file_parts_in_order() {
        let mut form = Multipart::new();
        form.part("note", "note", "hi there");
        form.part("n", "count", &3u8);
        form.part("tags", "tag", &vec!["a", "b"]);
        form.part("skip", "skip", &None::<String>);
        let file = FilePart::new(&b"\x00\x01"[..])
            .file_name("a.bin")
            .content_type("application/x-thing");
        form.part("file", "file", &file);
        let (boundary, body) = encode(form);
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi there\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tag\"\r\n\r\na\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tag\"\r\n\r\nb\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/x-thing\r\n\r\n\x00\x01\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn names_are_escaped_and_bad_content_types_refused() {
        let mut form = Multipart::new();
        let file = FilePart::new(Vec::new()).file_name("a\"b\r\n.png");
        form.part("f", "x\"y", &file);
        let (_, body) = encode(form);
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains("name=\"x%22y\"; filename=\"a%22b%0D%0A.png\"\r\nContent-Type: application/octet-stream\r\n"),
            "{body}"
        );

        let mut form = Multipart::new();
        form.part(
            "avatar",
            "file",
            &FilePart::new(Vec::new()).content_type("image/png\r\nX-Evil: 1"),
        );
        let violations = form.finish().unwrap_err();
        assert_eq!(violations[0].field, "avatar");
    }

    #[test]
    fn boundaries_differ_and_never_occur_in_a_part() {
        let (a, _) = encode(Multipart::new());
        let (b, _) = encode(Multipart::new());
        assert_ne!(a, b);
        let mut form = Multipart::new();
        form.part("t", "t", &format!("--{a}--"));
        let (c, body) = encode(form);
        assert_ne!(a, c);
        let count = body.windows(c.len()).filter(|w| *w == c.as_bytes()).count();
        assert_eq!(count, 2, "the boundary only delimits");
    }
}
