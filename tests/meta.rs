//! `Endpoint::META`: what `#[endpoint]` writes down about each endpoint.

use restruct::meta::{
    BodyKind, BodySource, MemberMeta, ParamLocation, ParamMeta, ParamStyle, Presence,
};
use restruct::{endpoint, Endpoint, EndpointMeta, Nullable};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct User {
    pub id: String,
}

#[derive(Debug, Serialize)]
pub struct Extra {
    pub a: u8,
}

#[endpoint(PATCH, "/orgs/<org>/users/<user_id>", response = Vec<User>, error = std::collections::BTreeMap<String, String>,
           headers("Clerk-API-Version: 2025-04-10"))]
pub struct UpdateUser {
    pub org: String,
    pub user_id: u64,
    #[query("dry-run")]
    pub dry_run: Option<bool>,
    #[query]
    pub tags: Vec<String>,
    #[query]
    pub page: u32,
    #[header("X-Request-Id")]
    pub request_id: Option<String>,
    #[serde(rename = "first")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub username: Nullable<String>,
    pub age: u8,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub emails: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
    #[serde(skip)]
    pub local: u8,
    #[skip]
    pub note: u8,
}

fn meta<E: Endpoint>() -> &'static EndpointMeta {
    E::META.expect("#[endpoint] sets META")
}

#[test]
fn parameters_body_members_and_types_are_described() {
    let m = meta::<UpdateUser>();
    assert_eq!(
        (m.name, m.method, m.path),
        ("UpdateUser", "PATCH", "/orgs/<org>/users/<user_id>")
    );
    assert_eq!(m.response, "Vec<User>");
    assert_eq!(m.error, "std::collections::BTreeMap<String, String>");
    assert_eq!(m.static_headers, [("clerk-api-version", "2025-04-10")]);
    use ParamLocation::*;
    use ParamStyle::*;
    assert_eq!(
        m.params,
        [
            ParamMeta::new("org", "org", Path, true, Single),
            ParamMeta::new("user_id", "user_id", Path, true, Single),
            ParamMeta::new("dry_run", "dry-run", Query, false, Single),
            ParamMeta::new("tags", "tags", Query, false, Repeated),
            ParamMeta::new("page", "page", Query, true, Single),
            ParamMeta::new("request_id", "x-request-id", Header, false, Single),
        ]
    );
    assert_eq!(m.path_params().count(), 2);
    assert_eq!(m.body.kind, BodyKind::Json);
    let BodySource::Members(members) = m.body.source else {
        panic!("{:?}", m.body)
    };
    assert_eq!(
        members,
        [
            MemberMeta::new("first_name", "first", Presence::Optional),
            MemberMeta::new("last_name", "last_name", Presence::AlwaysOrNull),
            MemberMeta::new("username", "username", Presence::OptionalOrNull),
            MemberMeta::new("age", "age", Presence::Always),
            MemberMeta::new("emails", "emails", Presence::Optional),
            MemberMeta::new("extra", "extra", Presence::Flatten),
        ]
    );
    assert!(Presence::OptionalOrNull.can_omit() && Presence::OptionalOrNull.can_send_null());
    assert!(!Presence::Always.can_omit() && !Presence::Always.can_send_null());
}

#[derive(Debug, Serialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct Payment {
    pub amount: i64,
}

#[endpoint(POST, "/v1/payments", form)]
pub struct CreatePayment {
    #[body]
    pub payment: Option<Payment>,
}

#[endpoint(GET, "/health")]
pub struct Health {}

#[test]
fn whole_bodies_forms_and_endpoints_without_body() {
    let m = meta::<CreatePayment>();
    assert_eq!(m.body.kind, BodyKind::Form);
    assert_eq!(
        m.body.kind.media_type(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        m.body.source,
        BodySource::Whole {
            field: "payment",
            required: false
        }
    );
    assert_eq!((m.response, m.error), ("()", "serde_json::Value"));

    let m = meta::<Health>();
    assert_eq!(m.body.kind, BodyKind::None);
    assert!(m.params.is_empty());
}

/// Generic endpoints are described too, without schemas.
#[endpoint(GET, "/items/<id>", response = T)]
pub struct GetItem<T: serde::de::DeserializeOwned + 'static> {
    pub id: String,
    #[skip]
    pub marker: std::marker::PhantomData<T>,
}

#[test]
fn generic_endpoints_have_meta_without_schemas() {
    let m = meta::<GetItem<User>>();
    assert_eq!((m.path, m.response), ("/items/<id>", "T"));
    assert!(m.schemas.is_none());
}

#[cfg(not(feature = "schema"))]
#[test]
fn without_the_schema_feature_there_are_no_schemas() {
    assert!(meta::<UpdateUser>().schemas.is_none());
}

#[cfg(feature = "schema")]
#[test]
fn with_the_schema_feature_types_with_json_schema_are_described() {
    let schemas = (meta::<UpdateUser>().schemas.unwrap())();
    // `Vec<User>`: an array of references into `components/schemas`.
    assert_eq!(
        schemas.response.clone().unwrap(),
        serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/User"}})
    );
    assert!(schemas.response_definitions.contains_key("User"));
    // `BTreeMap<String, String>` has a schema; `Extra` (no `JsonSchema`) is left out.
    assert_eq!(schemas.error.as_ref().unwrap()["type"], "object");
    let fields: std::collections::BTreeMap<_, _> = schemas.fields.iter().cloned().collect();
    assert!(fields.contains_key("age") && fields.contains_key("tags"));
    assert!(!fields.contains_key("extra") && !fields.contains_key("local"));
    assert_eq!(
        schemas.field("username").unwrap()["type"],
        serde_json::json!(["string", "null"])
    );

    let schemas = (meta::<CreatePayment>().schemas.unwrap())();
    assert_eq!(
        schemas.body.unwrap(),
        serde_json::json!({"$ref": "#/components/schemas/Payment"})
    );
    assert!(schemas.request_definitions.contains_key("Payment"));
    // `()` answers anything; schemars describes it as `null`.
    assert_eq!(
        schemas.response.unwrap(),
        serde_json::json!({"type": "null"})
    );
}
