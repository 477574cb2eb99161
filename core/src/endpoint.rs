//! The `Endpoint` trait and the sans-IO request writer behind it.

use std::fmt::{Display, Write as _};

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderMap, Method, Request};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::encode;
use crate::error::InvalidBody;
use crate::form::FormArrays;
use crate::multipart::Multipart;
use crate::query::{self, QueryStyle};
use crate::raw::RawBody;
use crate::validate::{ValidationErrors, Violation};

/// An HTTP API call described by a value: what `#[endpoint]` implements for a struct.
///
/// Implement it by hand for a call the attribute cannot express; the [`Client`](crate::Client)
/// sends it like any other.
///
/// ```
/// use restruct_core::{Endpoint, RequestWriter};
///
/// struct GetInvoicePdf { id: String }
///
/// impl Endpoint for GetInvoicePdf {
///     type Response = serde_json::Value;
///     type Error = serde_json::Value;
///     const METHOD: http::Method = http::Method::GET;
///     const PATH: &'static str = "/invoices/<id>.pdf";
///
///     fn write_request(&self, req: &mut RequestWriter<'_>) {
///         req.path_literal("/invoices/");
///         req.path_param("id", &self.id);
///         req.path_literal(".pdf");
///     }
/// }
///
/// let req = GetInvoicePdf { id: "in/1".into() }.to_request("https://api.test/v1").unwrap();
/// assert_eq!(req.uri(), "https://api.test/v1/invoices/in%2F1.pdf");
/// ```
pub trait Endpoint {
    /// The body of a 2xx response.
    type Response: DeserializeOwned;
    /// The JSON body of a non-2xx response.
    type Error: DeserializeOwned;
    /// The HTTP method.
    const METHOD: Method;
    /// The path template as written (`/sessions/<session_id>`): what logs and traces show,
    /// never the filled-in path.
    const PATH: &'static str;
    /// The endpoint described as data (parameters, body, types), for tools such as the OpenAPI
    /// check; `#[endpoint]` fills it in, a hand-written endpoint may.
    const META: Option<&'static crate::meta::EndpointMeta> = None;
    /// Whether sending twice has the effect of sending once, so that a failed attempt may be
    /// retried. `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are; `POST` and `PATCH` are not
    /// unless the endpoint says so.
    fn idempotent() -> bool {
        Self::METHOD != Method::POST && Self::METHOD != Method::PATCH
    }

    /// The header that carries an idempotency key (`Idempotency-Key`), when the API makes a
    /// `POST` safe to retry with one (`#[endpoint(POST, "/v1/charges", idempotency_key =
    /// "Idempotency-Key")]`). Each call then gets a fresh key unless the caller gives one, the
    /// same key goes with every attempt of that call, and the call is retried as if idempotent.
    fn idempotency_key_header() -> Option<HeaderName> {
        None
    }

    /// Writes the path, query, headers and body. Problems with values are recorded in the
    /// writer, which turns them into [`ValidationErrors`].
    fn write_request(&self, req: &mut RequestWriter<'_>);

    /// Records violations of the field rules (`#[validate(...)]`); none by default.
    fn validate_fields(&self, errors: &mut ValidationErrors) {
        let _ = errors;
    }

    /// Decodes a 2xx body. JSON by default; an empty body decodes as JSON `null`, so that
    /// `()` and `Option<T>` accept it.
    fn decode_response(body: &[u8]) -> Result<Self::Response, InvalidBody> {
        crate::error::decode_json(body)
    }

    /// Every violation this request would be refused for, without sending it.
    fn validate(&self) -> Result<(), ValidationErrors> {
        self.to_request("http://validate.invalid").map(drop)
    }

    /// Turns a response read in full into what sending this endpoint returns, with the default
    /// size limit: the other half of [`to_request`](Self::to_request) for another HTTP stack.
    /// See [`from_response`](crate::from_response).
    fn from_response(
        response: http::Response<bytes::Bytes>,
    ) -> Result<crate::Response<Self::Response>, crate::Error<Self::Error>>
    where
        Self: Sized,
    {
        crate::response::decode_full::<Self>(response, crate::DEFAULT_MAX_RESPONSE_SIZE)
    }

    /// Builds the request against `base_url` (`https://api.clerk.com/v1`) without sending it:
    /// for tests, signing, or another HTTP stack.
    fn to_request(&self, base_url: &str) -> Result<Request<Vec<u8>>, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        self.validate_fields(&mut errors);
        let mut writer = RequestWriter::new(base_url, &mut errors);
        self.write_request(&mut writer);
        writer.finish(Self::METHOD)
    }
}

/// A value that can fill a `<placeholder>` of a path: anything with `Display`.
///
/// It exists only so that a field without `Display` gets an error that says what a path
/// parameter needs.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a path parameter: it does not implement `Display`",
    label = "path parameters are formatted with `Display`",
    note = "implement `std::fmt::Display` for `{Self}`, or use a field type that has it, such as `String` or an integer"
)]
pub trait PathValue: Display {}

impl<T: Display + ?Sized> PathValue for T {}

/// A value that can be a `#[header]`: anything with `Display`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a header value: it does not implement `Display`",
    label = "header values are formatted with `Display`",
    note = "implement `std::fmt::Display` for `{Self}`, or use a field type that has it, such as `String`"
)]
pub trait HeaderValueSource: Display {}

impl<T: Display + ?Sized> HeaderValueSource for T {}

/// A value that can be a `#[query]` parameter: anything with `Serialize`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a query parameter: it does not implement `serde::Serialize`",
    label = "query values are written with `Serialize`",
    note = "derive or implement `serde::Serialize` for `{Self}`; a scalar, an `Option` or a sequence of scalars, or a map or struct with `#[query(style = deepObject)]`"
)]
pub trait QueryValue: Serialize {}

impl<T: Serialize + ?Sized> QueryValue for T {}

/// The longest URI the `http` crate accepts.
const MAX_URI_LEN: usize = u16::MAX as usize - 1;

/// Collects the parts of a request while an [`Endpoint`] writes them.
///
/// Problems with values (an empty path value, a header value with a newline, a body that does
/// not serialize) are recorded as violations, and the request is refused as a whole when it is
/// finished.
pub struct RequestWriter<'e> {
    /// The scheme and authority of the base URL, parsed once per thread (see [`Origin`]); the
    /// URL then holds the path and query only. `None` for a base URL that is not
    /// `scheme://authority[/path]`: the URL then holds everything, and is parsed as a whole.
    origin: Option<(Scheme, Authority)>,
    /// The length of the origin (`https://api.test`) in front of `url`, when it is not in it.
    origin_len: usize,
    url: String,
    /// Where the query starts (the `?`), once a query field has been written: the pairs go
    /// straight into the URL.
    query_at: Option<usize>,
    query_buffers: query::QueryBuffers,
    headers: HeaderMap,
    body: Vec<u8>,
    scratch: String,
    /// The field that added the most to the URL, when that was a lot: an over-long URL is
    /// blamed on it.
    longest: Option<(usize, String)>,
    errors: &'e mut ValidationErrors,
}

/// What a single value must add to the URL before it is remembered as the likely cause of a
/// URL over the length limit; below it, nothing is recorded (and nothing allocated).
const LONG_VALUE: usize = 1024;

impl std::fmt::Debug for RequestWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values and the body may hold secrets: show their shape only.
        f.debug_struct("RequestWriter")
            .field(
                "origin",
                &self.origin.as_ref().map(|(_, authority)| authority),
            )
            .field("url", &self.url)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .field("errors", &self.errors.len())
            .finish_non_exhaustive()
    }
}

impl<'e> RequestWriter<'e> {
    /// A writer for a request to `base_url` (no trailing slash needed or wanted).
    pub fn new(base_url: &str, errors: &'e mut ValidationErrors) -> Self {
        let base_url = base_url.trim_end_matches('/');
        let (origin, rest) = match Origin::split(base_url) {
            Some((origin, rest)) => (Some(origin), rest),
            None => (None, base_url),
        };
        // Room for the path and a few query parameters, escapes included, in one allocation.
        let mut url = String::with_capacity(rest.len() + 128);
        url.push_str(rest);
        RequestWriter {
            origin_len: base_url.len() - rest.len(),
            origin,
            url,
            query_at: None,
            query_buffers: query::QueryBuffers::default(),
            headers: HeaderMap::new(),
            body: Vec::new(),
            scratch: String::new(),
            longest: None,
            errors,
        }
    }

    fn note_length(&mut self, field: &str, added: usize) {
        if added > LONG_VALUE && self.longest.as_ref().is_none_or(|(len, _)| added > *len) {
            self.longest = Some((added, field.to_owned()));
        }
    }

    /// Runs `write` on the URL with the query string, if one has been written, set aside:
    /// so that a path part lands before the `?` (the macro writes the path first; an endpoint
    /// of one's own may not).
    fn on_path(&mut self, write: impl FnOnce(&mut Self)) {
        match self.query_at.take() {
            None => write(self),
            Some(at) => {
                let query = self.url.split_off(at);
                write(self);
                self.query_at = Some(self.url.len());
                self.url.push_str(&query);
            }
        }
    }

    /// Appends a literal part of the path as it is (it must already be valid in a URL).
    pub fn path_literal(&mut self, literal: &str) {
        self.on_path(|w| w.url.push_str(literal));
    }

    /// Appends a path value, percent-encoded as one segment. An empty value, `.` or `..` is a
    /// violation of `field`.
    pub fn path_param<T: PathValue + ?Sized>(&mut self, field: &str, value: &T) {
        self.on_path(|w| w.segment(field, value));
    }

    /// Encodes `value` straight into the URL as it is formatted: no copy of the value.
    fn segment<T: PathValue + ?Sized>(&mut self, field: &str, value: &T) {
        let before = self.url.len();
        let mut segment = encode::SegmentWriter::new(&mut self.url);
        let formatted = write!(segment, "{value}").is_ok();
        let problem = segment.problem();
        if !formatted {
            // A partial value must not be sent, nor shown.
            self.url.truncate(before);
            self.violation(
                field,
                "path",
                "could not be formatted (its `Display` impl failed)",
            );
            return;
        }
        if let Some((problem, value)) = problem {
            self.url.truncate(before);
            let v = Violation::new(field, "path", problem.to_string()).with_value(value);
            self.errors.push(v);
        }
        self.note_length(field, self.url.len() - before);
    }

    /// Appends the path value of a rest placeholder (`<path..>`): its `/` kept as segment
    /// separators, each segment percent-encoded as by [`path_param`](Self::path_param). An empty
    /// segment (`a//b`, a leading or trailing `/`, an empty value), `.` or `..` is a violation.
    pub fn path_rest<T: PathValue + ?Sized>(&mut self, field: &str, value: &T) {
        if !self.format(field, "path", value) {
            return;
        }
        self.on_path(|w| {
            if let Err(problem) = encode::push_segments(&mut w.url, &w.scratch) {
                let message = format!("has a segment that {problem}");
                let v = Violation::new(field, "path", message).with_value(&*w.scratch);
                w.errors.push(v);
            }
        });
    }

    /// Appends query pairs for `value` under `key`: none for `None`, one per item of a sequence.
    pub fn query<T: QueryValue + ?Sized>(&mut self, field: &str, key: &str, value: &T) {
        self.query_styled(field, key, value, QueryStyle::Form);
    }

    /// Appends query pairs for `value` under `key` in `style` (see [`QueryStyle`]).
    pub fn query_styled<T: QueryValue + ?Sized>(
        &mut self,
        field: &str,
        key: &str,
        value: &T,
        style: QueryStyle,
    ) {
        let at = match self.query_at {
            Some(at) => at,
            None => {
                let at = self.url.len();
                self.url.push('?');
                self.query_at = Some(at);
                at
            }
        };
        let buffers = &mut self.query_buffers;
        if let Err(e) = query::append_query(&mut self.url, at + 1, buffers, key, value, style) {
            self.violation(field, "query", e.to_string());
        }
    }

    /// Sets a header from a value's `Display`. A value that is not a valid header value (a
    /// newline, a control character) is a violation; the value itself is never shown. A
    /// credential by its name ([`is_sensitive_header`](crate::is_sensitive_header)) is marked
    /// sensitive, hidden from `Debug`.
    pub fn header<T: HeaderValueSource + ?Sized>(
        &mut self,
        field: &str,
        name: HeaderName,
        value: &T,
    ) {
        let sensitive = crate::headers::is_sensitive_header(&name);
        self.header_marked(field, name, value, sensitive);
    }

    /// Like [`header`](Self::header), sensitive or not as `sensitive` says, whatever the name
    /// (`#[header("X-Signature", sensitive = false)]`).
    pub fn header_marked<T: HeaderValueSource + ?Sized>(
        &mut self,
        field: &str,
        name: HeaderName,
        value: &T,
        sensitive: bool,
    ) {
        if !self.format(field, "header", value) {
            return;
        }
        match HeaderValue::from_str(&self.scratch) {
            Ok(mut value) => {
                value.set_sensitive(sensitive);
                self.headers.append(name, value);
            }
            Err(_) => self.violation(
                field,
                "header",
                "is not a valid header value (control characters or newlines)",
            ),
        }
    }

    /// Sets a header whose value is known at compile time (`headers("Name: value")`): the
    /// macro checks and builds both parts in constants, so nothing is parsed per request.
    pub fn static_header(&mut self, name: HeaderName, mut value: HeaderValue) {
        if crate::headers::is_sensitive_header(&name) {
            value.set_sensitive(true);
        }
        self.headers.append(name, value);
    }

    /// Sets the body to `value` as JSON.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, field: &str, value: &T) {
        self.body.clear();
        // As `serde_json::to_vec` does: most bodies then fit in one allocation.
        self.body.reserve(128);
        match serde_json::to_writer(&mut self.body, value) {
            Ok(()) => self.content_type("application/json"),
            Err(e) => self.violation(field, "body", format!("could not be serialized: {e}")),
        }
    }

    /// Sets the body to `value` as `application/x-www-form-urlencoded`, nested objects and
    /// arrays in bracket notation with indexed arrays (`items[0][price]=p_1`); see
    /// [`form_body_with`](Self::form_body_with).
    pub fn form_body<T: Serialize + ?Sized>(&mut self, field: &str, value: &T) {
        self.form_body_with(field, value, FormArrays::Indexed);
    }

    /// Sets the body to `value` as `application/x-www-form-urlencoded`, as Rack, Rails, PHP and
    /// Stripe read nested forms: a member as `key[member]=value`, a sequence as `arrays` says,
    /// an empty map or sequence as `key=`, `None` left out.
    pub fn form_body_with<T: Serialize + ?Sized>(
        &mut self,
        field: &str,
        value: &T,
        arrays: FormArrays,
    ) {
        match crate::form::write(&mut self.body, value, arrays) {
            Ok(()) => self.content_type("application/x-www-form-urlencoded"),
            Err(e) => {
                self.body.clear();
                self.violation(field, "body", format!("could not be serialized: {e}"));
            }
        }
    }

    /// Sets a raw body with its content type.
    pub fn raw_body(&mut self, content_type: HeaderValue, body: Vec<u8>) {
        self.body = body;
        self.headers.insert(CONTENT_TYPE, content_type);
    }

    /// Sets the body to the bytes of `value` (`#[body(raw)]`), sent as they are. The content
    /// type is `content_type` when given, else a `Content-Type` header the request already has
    /// (a `#[header("Content-Type")]` field), else `application/octet-stream`.
    pub fn raw<T: RawBody + ?Sized>(&mut self, value: &T, content_type: Option<HeaderValue>) {
        self.body.clear();
        self.body.extend_from_slice(value.raw_bytes());
        match content_type {
            Some(content_type) => {
                self.headers.insert(CONTENT_TYPE, content_type);
            }
            None if self.headers.contains_key(CONTENT_TYPE) => {}
            None => self.content_type("application/octet-stream"),
        }
    }

    /// Sets the body to `form` as `multipart/form-data` (a `multipart` endpoint). Problems with
    /// its parts (a content type that is not a valid header value) are violations of the
    /// fields that gave them.
    pub fn multipart_body(&mut self, form: Multipart) {
        match form.finish() {
            Ok((content_type, body)) => {
                self.body = body;
                self.headers.insert(CONTENT_TYPE, content_type);
            }
            Err(violations) => {
                for v in violations {
                    self.errors.push(v);
                }
            }
        }
    }

    /// Adds the headers every endpoint of API `A` sends ([`Api::HEADERS`](crate::Api::HEADERS)),
    /// except those the request already has: written after the endpoint's own headers, so
    /// that the endpoint's win. The `#[endpoint]` attribute checks them at compile time; here
    /// an invalid one is a violation, never a panic.
    pub fn api_headers<A: crate::Api + ?Sized>(&mut self) {
        for (name, value) in A::HEADERS {
            match (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                (Ok(name), Ok(_)) if self.headers.contains_key(&name) => {}
                (Ok(name), Ok(value)) => {
                    self.headers.append(name, value);
                }
                _ => self.violation(
                    "<api>",
                    "header",
                    format!("`{name}` of `Api::HEADERS` is not a valid header"),
                ),
            }
        }
    }

    /// Formats `value` into the scratch buffer; `false`, with a violation of `field`, when its
    /// `Display` impl fails (the buffer then holds a partial value that must not be sent).
    fn format<T: Display + ?Sized>(&mut self, field: &str, rule: &'static str, value: &T) -> bool {
        self.scratch.clear();
        if write!(self.scratch, "{value}").is_err() {
            self.violation(
                field,
                rule,
                "could not be formatted (its `Display` impl failed)",
            );
            return false;
        }
        true
    }

    fn content_type(&mut self, value: &'static str) {
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static(value));
    }

    /// Records a violation of `rule` by `field`.
    pub fn violation(&mut self, field: &str, rule: &'static str, message: impl Into<String>) {
        self.errors.push(Violation::new(field, rule, message));
    }

    /// The request, or every violation recorded while writing it (and before).
    pub fn finish(self, method: Method) -> Result<Request<Vec<u8>>, ValidationErrors> {
        let RequestWriter {
            origin,
            origin_len,
            mut url,
            query_at,
            headers,
            body,
            errors,
            longest,
            ..
        } = self;
        if !errors.is_empty() {
            return Err(std::mem::take(errors));
        }
        if query_at.is_some_and(|at| url.len() == at + 1) {
            // Query fields, all of them `None`: no query.
            url.pop();
        }
        let url_len = origin_len + url.len();
        let mut request = Request::new(body);
        *request.method_mut() = method;
        *request.headers_mut() = headers;
        let uri = match origin {
            // The limit `Uri::try_from` applies to the whole URI.
            // A path that does not start with `/` would have continued the authority.
            Some((scheme, authority))
                if url_len <= MAX_URI_LEN && (url.is_empty() || url.starts_with(['/', '?'])) =>
            {
                Origin::uri(scheme, authority, url)
            }
            Some((scheme, authority)) => {
                let mut whole = format!("{scheme}://{authority}");
                whole.push_str(&url);
                http::Uri::try_from(whole)
            }
            None => http::Uri::try_from(url),
        };
        match uri {
            Ok(uri) => {
                *request.uri_mut() = uri;
                Ok(request)
            }
            Err(e) => {
                let violation = match longest {
                    // http's limit on a URI; nothing else about a URL built here can be wrong
                    // unless the base URL or a literal is.
                    Some((added, field)) if url_len > MAX_URI_LEN => Violation::new(
                        field,
                        "url",
                        format!(
                            "makes the URL too long ({url_len} bytes, {added} of them from this value; at most {MAX_URI_LEN})"
                        ),
                    ),
                    _ => Violation::new("<url>", "url", format!("is not a valid URL: {e}")),
                };
                errors.push(violation);
                Err(std::mem::take(errors))
            }
        }
    }
}

/// The scheme and authority of the base URL that this thread wrote a request for last, parsed:
/// a client sends every request to the same origin, so it is parsed once per thread instead
/// of once per request, and each request's URI is put together from the parts, its path and
/// query the only part parsed.
struct Origin {
    text: String,
    scheme: Scheme,
    authority: Authority,
}

thread_local! {
    static LAST_ORIGIN: std::cell::RefCell<Option<Origin>> = const { std::cell::RefCell::new(None) };
}

impl Origin {
    /// `https://api.test/v1` as the parsed `https` and `api.test` and the rest, `/v1`; `None`
    /// when the base URL is not `scheme://authority[/path]` (it is then parsed as a whole,
    /// with the error that gives).
    fn split(base_url: &str) -> Option<((Scheme, Authority), &str)> {
        // Byte scans: `str::find` with a string pattern costs more than the rest of this.
        let bytes = base_url.as_bytes();
        let colon = bytes.iter().position(|&b| b == b':')?;
        if !bytes[colon + 1..].starts_with(b"//") {
            return None;
        }
        let start = colon + 3;
        let end = bytes[start..]
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b'#'))
            .map_or(bytes.len(), |i| start + i);
        if bytes[end..].iter().any(|&b| matches!(b, b'?' | b'#')) {
            return None;
        }
        // ASCII positions: both halves are on character boundaries.
        let (text, rest) = base_url.split_at(end);
        let cached = LAST_ORIGIN.with_borrow(|last| {
            let last = last.as_ref().filter(|last| last.text == text)?;
            Some((last.scheme.clone(), last.authority.clone()))
        });
        if let Some(parts) = cached {
            return Some((parts, rest));
        }
        let scheme = Scheme::try_from(&text[..start - 3]).ok()?;
        // A `Bytes` of its own, so that the clones share it.
        let authority =
            Authority::from_maybe_shared(bytes::Bytes::copy_from_slice(&bytes[start..end])).ok()?;
        LAST_ORIGIN.set(Some(Origin {
            text: text.to_owned(),
            scheme: scheme.clone(),
            authority: authority.clone(),
        }));
        Some(((scheme, authority), rest))
    }

    /// The URI of `path_and_query` at the origin; what `Uri::try_from` gives for the whole URL.
    fn uri(
        scheme: Scheme,
        authority: Authority,
        path_and_query: String,
    ) -> Result<http::Uri, http::uri::InvalidUri> {
        let path_and_query = if path_and_query.is_empty() {
            // As `Uri::try_from` reads `https://api.test`.
            PathAndQuery::from_static("/")
        } else {
            PathAndQuery::try_from(path_and_query)?
        };
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(scheme);
        parts.authority = Some(authority);
        parts.path_and_query = Some(path_and_query);
        // Scheme, authority and path all given: `from_parts` has nothing to refuse.
        Ok(http::Uri::from_parts(parts).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes part of itself, then fails.
    struct Broken;

    impl Display for Broken {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("sk_part")?;
            Err(std::fmt::Error)
        }
    }

    struct Call;

    impl Endpoint for Call {
        type Response = ();
        type Error = ();
        const METHOD: Method = Method::GET;
        const PATH: &'static str = "/items/<id>";

        fn write_request(&self, req: &mut RequestWriter<'_>) {
            req.path_literal("/items/");
            req.path_param("id", &Broken);
            req.header("token", HeaderName::from_static("x-token"), &Broken);
        }
    }

    struct Long(String);

    impl Endpoint for Long {
        type Response = ();
        type Error = ();
        const METHOD: Method = Method::GET;
        const PATH: &'static str = "/files/<name>";

        fn write_request(&self, req: &mut RequestWriter<'_>) {
            req.path_literal("/files/");
            req.path_param("name", &self.0);
        }
    }

    #[test]
    fn an_over_long_url_is_blamed_on_the_value_that_made_it() {
        let errors = Long("x".repeat(70_000))
            .to_request("http://api.test")
            .unwrap_err();
        let violation = &errors.violations()[0];
        assert_eq!((violation.field.as_str(), violation.rule), ("name", "url"));
        assert!(
            violation.message.starts_with("makes the URL too long"),
            "{errors}"
        );
        assert!(Long("x".repeat(1000)).to_request("http://api.test").is_ok());
    }

    /// Writes its parts in the order given, path and query mixed, as an endpoint of one's own
    /// may.
    struct Mixed([Option<&'static str>; 3]);

    impl Endpoint for Mixed {
        type Response = ();
        type Error = ();
        const METHOD: Method = Method::GET;
        const PATH: &'static str = "/a/<id>";

        fn write_request(&self, req: &mut RequestWriter<'_>) {
            req.query("q", "q", &self.0[0]);
            req.path_literal("/a/");
            req.query("r", "r", &self.0[1]);
            req.path_param("id", "x y");
            req.query_styled("s", "s", &self.0[2], QueryStyle::Brackets);
            req.path_rest("rest", "b/c");
        }
    }

    #[test]
    fn query_pairs_end_up_after_the_path_whatever_the_order() {
        let uri = |values| {
            Mixed(values)
                .to_request("http://api.test")
                .unwrap()
                .uri()
                .to_string()
        };
        assert_eq!(
            uri([Some("1"), Some("2 3"), Some("4")]),
            "http://api.test/a/x%20yb/c?q=1&r=2+3&s[]=4"
        );
        assert_eq!(uri([None, None, None]), "http://api.test/a/x%20yb/c");
        assert_eq!(
            uri([None, Some("2"), None]),
            "http://api.test/a/x%20yb/c?r=2"
        );
        assert_eq!(
            uri([Some("1"), None, None]),
            "http://api.test/a/x%20yb/c?q=1"
        );
    }

    /// Writes one literal, as given.
    struct Literal(&'static str);

    impl Endpoint for Literal {
        type Response = ();
        type Error = ();
        const METHOD: Method = Method::GET;
        const PATH: &'static str = "";

        fn write_request(&self, req: &mut RequestWriter<'_>) {
            req.path_literal(self.0);
        }
    }

    #[test]
    fn the_uri_from_parts_is_the_uri_of_the_whole_url() {
        for base in [
            "https://api.test/v1",
            "http://127.0.0.1:8080",
            "http://user@h:1/",
            "https://api.test",
            "custom://h/x",
            "http://other.test/v2/",
        ] {
            for literal in ["", "/", "/a%20b/c", "?x=1", "/p?y=2", "x", "/a b"] {
                let whole = format!("{}{literal}", base.trim_end_matches('/'));
                let ours = Literal(literal).to_request(base).map(|r| r.uri().clone());
                match http::Uri::try_from(whole.as_str()) {
                    Ok(uri) => {
                        let ours = ours.unwrap();
                        assert_eq!(ours, uri, "{whole}");
                        assert_eq!(ours.to_string(), uri.to_string(), "{whole}");
                    }
                    Err(_) => assert!(ours.is_err(), "{whole}"),
                }
            }
        }
        for base in ["not a url", "http://", "http://h?q", "/relative", "h:80"] {
            let ours = Literal("/a").to_request(base).map(|r| r.uri().clone());
            let whole = http::Uri::try_from(format!("{base}/a"));
            assert_eq!(ours.ok(), whole.ok(), "{base}");
        }
    }

    #[test]
    fn a_failing_display_is_a_violation_not_a_partial_value() {
        let errors = Call.to_request("http://api.test").unwrap_err();
        let fields: Vec<_> = errors
            .violations()
            .iter()
            .map(|v| (v.field.as_str(), v.rule))
            .collect();
        assert_eq!(fields, [("id", "path"), ("token", "header")]);
        assert!(!errors.to_string().contains("sk_part"), "{errors}");
    }
}
