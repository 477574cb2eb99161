//! What `#[endpoint]` knows about an endpoint at compile time, as data: [`EndpointMeta`].
//!
//! The macro writes one `static` per endpoint and points [`Endpoint::META`](crate::Endpoint::META)
//! at it; nothing reads it unless asked, so it costs nothing at run time. The OpenAPI check and
//! export of `restruct` (feature `openapi`) are built on it, and so can other tools be.

use serde_json::{Map, Value};

/// An endpoint described as data: method, path template, parameters, body and the names of its
/// response and error types.
///
/// Built by `#[endpoint]` with the `const fn` constructors below; a hand-written
/// [`Endpoint`](crate::Endpoint) may build one the same way:
///
/// ```
/// use restruct_core::meta::{EndpointMeta, ParamLocation, ParamMeta, ParamStyle};
///
/// static META: EndpointMeta = EndpointMeta::new("GetInvoicePdf", "GET", "/invoices/<id>.pdf")
///     .params(&[ParamMeta::new("id", "id", ParamLocation::Path, true, ParamStyle::Single)])
///     .types("Vec<u8>", "serde_json::Value");
/// assert_eq!(META.path_params().count(), 1);
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct EndpointMeta {
    /// The Rust type (`GetUser`), which reports name.
    pub name: &'static str,
    /// The HTTP method in capitals (`GET`).
    pub method: &'static str,
    /// The path template as written (`/users/<user_id>`).
    pub path: &'static str,
    /// Path, query and header parameters, in field order.
    pub params: &'static [ParamMeta],
    /// Headers sent with every request (`headers("Name: value")`), as `(name, value)`.
    pub static_headers: &'static [(&'static str, &'static str)],
    /// How the body is sent.
    pub body: BodyMeta,
    /// The response type as written (`Vec<User>`), `()` for none.
    pub response: &'static str,
    /// The error type as written (`ClerkErrors`).
    pub error: &'static str,
    /// The JSON Schemas of the body, response and error types: set when `restruct` is built
    /// with its `schema` feature (and the endpoint has no type parameters).
    pub schemas: Option<fn() -> EndpointSchemas>,
}

impl EndpointMeta {
    /// An endpoint without parameters or body, answering `()` with `serde_json::Value` errors.
    pub const fn new(name: &'static str, method: &'static str, path: &'static str) -> Self {
        EndpointMeta {
            name,
            method,
            path,
            params: &[],
            static_headers: &[],
            body: BodyMeta::NONE,
            response: "()",
            error: "serde_json::Value",
            schemas: None,
        }
    }

    /// With these parameters.
    pub const fn params(mut self, params: &'static [ParamMeta]) -> Self {
        self.params = params;
        self
    }

    /// With these headers sent on every request.
    pub const fn static_headers(
        mut self,
        headers: &'static [(&'static str, &'static str)],
    ) -> Self {
        self.static_headers = headers;
        self
    }

    /// With this body.
    pub const fn body(mut self, body: BodyMeta) -> Self {
        self.body = body;
        self
    }

    /// With these response and error type names.
    pub const fn types(mut self, response: &'static str, error: &'static str) -> Self {
        self.response = response;
        self.error = error;
        self
    }

    /// With a function that builds the JSON Schemas of the endpoint's types.
    pub const fn schemas(mut self, schemas: Option<fn() -> EndpointSchemas>) -> Self {
        self.schemas = schemas;
        self
    }

    /// The path parameters.
    pub fn path_params(&self) -> impl Iterator<Item = &ParamMeta> {
        self.params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamLocation {
    /// A `<placeholder>` of the path template.
    Path,
    /// A `#[query]` field.
    Query,
    /// A `#[header("Name")]` field.
    Header,
}

impl ParamLocation {
    /// The OpenAPI name of the location: `path`, `query`, `header`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

/// How a parameter's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamStyle {
    /// One value (`k=v`).
    Single,
    /// A sequence that repeats the key (`k=a&k=b`): OpenAPI's `style: form, explode: true`.
    Repeated,
    /// A sequence joined with commas (`k=a,b`): `style: form, explode: false`.
    Comma,
    /// Joined with spaces (`k=a%20b`): `style: spaceDelimited`.
    SpaceDelimited,
    /// Joined with pipes (`k=a|b`): `style: pipeDelimited`.
    PipeDelimited,
    /// Rails and PHP brackets (`k[]=a&k[]=b`); OpenAPI has no style for it.
    Brackets,
    /// A map or struct as `k[name]=v`: `style: deepObject, explode: true`.
    DeepObject,
}

impl ParamStyle {
    /// The OpenAPI `style` and `explode` of a query parameter sent this way; `None` for a
    /// single value, and for brackets, which OpenAPI cannot describe.
    pub const fn openapi(self) -> Option<(&'static str, bool)> {
        match self {
            ParamStyle::Single | ParamStyle::Brackets => None,
            ParamStyle::Repeated => Some(("form", true)),
            ParamStyle::Comma => Some(("form", false)),
            ParamStyle::SpaceDelimited => Some(("spaceDelimited", false)),
            ParamStyle::PipeDelimited => Some(("pipeDelimited", false)),
            ParamStyle::DeepObject => Some(("deepObject", true)),
        }
    }

    /// How it looks on the wire, for messages (`k=a&k=b`).
    pub const fn example(self) -> &'static str {
        match self {
            ParamStyle::Single => "k=v",
            ParamStyle::Repeated => "k=a&k=b",
            ParamStyle::Comma => "k=a,b",
            ParamStyle::SpaceDelimited => "k=a%20b",
            ParamStyle::PipeDelimited => "k=a|b",
            ParamStyle::Brackets => "k[]=a&k[]=b",
            ParamStyle::DeepObject => "k[name]=v",
        }
    }
}

/// A path, query or header parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParamMeta {
    /// The Rust field (`user_id`).
    pub field: &'static str,
    /// The name on the wire: the placeholder, the query key, or the header name (lowercase).
    pub name: &'static str,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether every request sends it (the field is not an `Option`, a `Nullable` or a sequence).
    pub required: bool,
    /// One value or a repeated key.
    pub style: ParamStyle,
}

impl ParamMeta {
    /// A parameter.
    pub const fn new(
        field: &'static str,
        name: &'static str,
        location: ParamLocation,
        required: bool,
        style: ParamStyle,
    ) -> Self {
        ParamMeta {
            field,
            name,
            location,
            required,
            style,
        }
    }
}

/// The media type of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    None,
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Another media type, written by a hand-written endpoint (`multipart/form-data`).
    Other(&'static str),
}

impl BodyKind {
    /// The media type, `None` for no body.
    pub const fn media_type(self) -> Option<&'static str> {
        match self {
            BodyKind::None => None,
            BodyKind::Json => Some("application/json"),
            BodyKind::Form => Some("application/x-www-form-urlencoded"),
            BodyKind::Other(media_type) => Some(media_type),
        }
    }
}

/// Where the body comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodySource {
    /// The endpoint's unannotated fields are the members of an object.
    Members(&'static [MemberMeta]),
    /// One `#[body]` field is the whole body; `required` is false for an `Option`, which sends
    /// no body when `None`.
    Whole {
        /// The Rust field.
        field: &'static str,
        /// Whether a body is always sent.
        required: bool,
    },
}

/// How the body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyMeta {
    /// Its media type.
    pub kind: BodyKind,
    /// Its members or the field that holds it.
    pub source: BodySource,
}

impl BodyMeta {
    /// No body.
    pub const NONE: BodyMeta = BodyMeta {
        kind: BodyKind::None,
        source: BodySource::Members(&[]),
    };

    /// An object body made of the endpoint's fields.
    pub const fn members(kind: BodyKind, members: &'static [MemberMeta]) -> Self {
        BodyMeta {
            kind,
            source: BodySource::Members(members),
        }
    }

    /// A body that is one field's value.
    pub const fn whole(kind: BodyKind, field: &'static str, required: bool) -> Self {
        BodyMeta {
            kind,
            source: BodySource::Whole { field, required },
        }
    }
}

/// Whether a body member is always sent and whether it can be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Presence {
    /// Always sent with a value (`T`).
    Always,
    /// Always sent, `null` when `None` (`Option<T>` without `skip_serializing_if`).
    AlwaysOrNull,
    /// Left out or sent with a value (`Option<T>` with `skip_serializing_if`).
    Optional,
    /// Left out, `null`, or a value (`Nullable<T>`).
    OptionalOrNull,
    /// `#[serde(flatten)]`: its members are those of its type, unknown here.
    Flatten,
}

impl Presence {
    /// Whether a request may leave the member out.
    pub const fn can_omit(self) -> bool {
        matches!(
            self,
            Presence::Optional | Presence::OptionalOrNull | Presence::Flatten
        )
    }

    /// Whether a request may send `null`.
    pub const fn can_send_null(self) -> bool {
        matches!(self, Presence::AlwaysOrNull | Presence::OptionalOrNull)
    }
}

/// A member of an object body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemberMeta {
    /// The Rust field.
    pub field: &'static str,
    /// The JSON key (after `#[serde(rename)]`).
    pub name: &'static str,
    /// Whether it is always sent and whether it can be `null`.
    pub presence: Presence,
}

impl MemberMeta {
    /// A member.
    pub const fn new(field: &'static str, name: &'static str, presence: Presence) -> Self {
        MemberMeta {
            field,
            name,
            presence,
        }
    }
}

/// The JSON Schemas (draft 2020-12, references into `#/components/schemas/`) of an endpoint's
/// types, built by the function in [`EndpointMeta::schemas`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct EndpointSchemas {
    /// What a 2xx response may hold and still decode (deserialize contract); `None` when the
    /// type does not implement `JsonSchema`.
    pub response: Option<Value>,
    /// What an error body may hold and still parse (deserialize contract), likewise.
    pub error: Option<Value>,
    /// What the `#[body]` field sends (serialize contract), without the `Option`; `None` also
    /// when its type does not implement `JsonSchema`.
    pub body: Option<Value>,
    /// What each parameter and body member field sends (serialize contract), by Rust field;
    /// fields whose type does not implement `JsonSchema` are left out.
    pub fields: Vec<(&'static str, Value)>,
    /// The definitions that the response and error schemas refer to.
    pub response_definitions: Map<String, Value>,
    /// The definitions that the body and field schemas refer to.
    pub request_definitions: Map<String, Value>,
}

impl EndpointSchemas {
    /// Schemas built from their parts.
    pub fn new(
        response: Option<Value>,
        error: Option<Value>,
        body: Option<Value>,
        fields: Vec<(&'static str, Value)>,
        response_definitions: Map<String, Value>,
        request_definitions: Map<String, Value>,
    ) -> Self {
        EndpointSchemas {
            response,
            error,
            body,
            fields,
            response_definitions,
            request_definitions,
        }
    }

    /// The schema of a parameter or body member field.
    pub fn field(&self, field: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, s)| s)
    }
}

// `Nullable<T>` is described as `T` or `null`; whether a member of it may be missing is the
// containing struct's business (`#[serde(default)]`, `skip_serializing_if`), as serde has it.
#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for crate::Nullable<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Option<T> as schemars::JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        format!("restruct::Nullable<{}>", T::schema_id()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T> as schemars::JsonSchema>::json_schema(generator)
    }
}
