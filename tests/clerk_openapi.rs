//! The Clerk SDK of `examples/clerk-sdk` against Clerk's published OpenAPI document
//! (`examples/clerk/specs/`, with its source and licence), seeded mismatches against the same
//! document, and the OpenAPI 3.1 document restruct exports from the SDK.

use clerk_sdk as api;

use restruct::endpoint;
use restruct::openapi::{self, Document, Endpoints, Info, Mismatch};
use restruct::schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

const SPEC: &str = include_str!("../examples/clerk/specs/clerk-bapi-2025-04-10.yml");

#[test]
fn every_clerk_endpoint_matches_the_clerk_spec() {
    let report = openapi::check(SPEC, &api::endpoints()).unwrap();
    assert_eq!(report.endpoints.len(), 13);
    assert!(report.is_ok(), "{report}");
    // Every endpoint was found and checked with its schemas, the multipart upload too (it is
    // declared, so the macro writes its META and schemas like any other's).
    for endpoint in &report.endpoints {
        assert!(endpoint.notes.is_empty(), "{endpoint:?}");
        if endpoint.endpoint == "UploadProfileImage" {
            assert_eq!(endpoint.operation, "POST /users/{user_id}/profile_image");
        }
    }
    openapi::assert_matches(SPEC, &api::endpoints());
}

/// The mismatches of one endpoint against the Clerk spec.
fn mismatches(endpoints: Endpoints) -> Vec<Mismatch> {
    let report = openapi::check(SPEC, &endpoints).unwrap();
    assert!(!report.is_ok());
    report.mismatches().map(|(_, m)| m.clone()).collect()
}

/// `DeletedObject` as the SDK first had it: `id` required.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
pub struct StrictDeleted {
    pub object: String,
    pub id: String,
    pub deleted: bool,
}

#[endpoint(DELETE, "/users/<user_id>", response = StrictDeleted, error = api::ClerkErrors)]
pub struct DeleteUserStrict {
    pub user_id: String,
}

#[test]
fn a_required_field_the_spec_makes_optional_is_reported_at_its_schema() {
    let found = mismatches(Endpoints::new().with::<DeleteUserStrict>());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].rust, "StrictDeleted.id");
    assert_eq!(found[0].location, "#/components/schemas/DeletedObject");
    assert!(
        found[0]
            .message
            .starts_with("`StrictDeleted.id` is required here but optional in `#/components/schemas/DeletedObject`"),
        "{}",
        found[0].message
    );
}

/// A typo in a query key and a placeholder named differently from the spec's.
#[endpoint(GET, "/users/<id>/organization_memberships", error = api::ClerkErrors)]
pub struct ListMemberships {
    pub id: String,
    #[query("limt")]
    pub limit: Option<u32>,
}

#[test]
fn wrong_parameter_names_are_reported_with_the_operation() {
    let found = mismatches(Endpoints::new().with::<ListMemberships>());
    let op = "#/paths/~1users~1{user_id}~1organization_memberships/get";
    let by_item: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.rust.as_str(), m.location.as_str()))
        .collect();
    assert_eq!(
        by_item,
        [("ListMemberships.id", op), ("ListMemberships.limit", op)],
        "{found:#?}"
    );
    assert!(found[0].message.contains("`<id>`") && found[0].message.contains("`{user_id}`"));
    assert!(
        found[1]
            .message
            .contains("sends query parameter `limt`, which"),
        "{}",
        found[1].message
    );
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
#[serde(rename_all = "snake_case")]
pub enum IdentifierType {
    EmailAddress,
    PhoneNumber,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
pub struct Blocked {
    #[serde(default)]
    pub identifier_type: Option<IdentifierType>,
}

#[endpoint(POST, "/blocklist_identifiers", response = Blocked, error = api::ClerkErrors)]
pub struct BlockIdentifier {
    pub identifier: String,
}

#[test]
fn a_missing_enum_value_is_reported_at_the_property() {
    let found = mismatches(Endpoints::new().with::<BlockIdentifier>());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].rust, "IdentifierType");
    assert_eq!(
        found[0].location,
        "#/components/schemas/BlocklistIdentifier/properties/identifier_type"
    );
    assert!(
        found[0]
            .message
            .contains("no variant for `\"web3_wallet\"`"),
        "{}",
        found[0].message
    );
}

#[test]
#[allow(dead_code)] // the types are only described, never decoded
fn the_first_sdk_types_fail_as_the_issue_found_them() {
    // `PublicUserData.identifier` as a plain `String`, and a `u64` count.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[schemars(crate = "restruct::schemars")]
    pub struct PublicUserData {
        pub user_id: String,
        pub identifier: String,
    }
    #[derive(Debug, Deserialize, JsonSchema)]
    #[schemars(crate = "restruct::schemars")]
    pub struct Membership {
        pub public_user_data: Option<PublicUserData>,
    }
    #[endpoint(DELETE, "/organizations/<organization_id>/memberships/<user_id>", response = Membership, error = api::ClerkErrors)]
    pub struct Remove {
        pub organization_id: String,
        pub user_id: String,
    }
    #[derive(Debug, Deserialize, JsonSchema)]
    #[schemars(crate = "restruct::schemars")]
    pub struct Count {
        pub total_count: u64,
    }
    #[endpoint(GET, "/users/count", response = Count, error = api::ClerkErrors)]
    pub struct CountUsers {}

    let found = mismatches(Endpoints::new().with::<Remove>().with::<CountUsers>());
    let messages: Vec<&str> = found.iter().map(|m| m.message.as_str()).collect();
    let schema = "#/components/schemas/OrganizationMembershipPublicUserData";
    assert_eq!(
        messages,
        [
            format!("`PublicUserData.identifier` is required here but optional in `{schema}`; a response without it fails to decode (make it `Option` or `#[serde(default)]`)"),
            format!("`PublicUserData.identifier` is not nullable here but nullable in `{schema}/properties/identifier`; a `null` fails to decode (make it `Option`)"),
            "`Count.total_count` is unsigned (`uint64`) here, but `#/components/schemas/TotalCount/properties/total_count` allows negative values (`int64`); use a signed integer".to_owned(),
        ],
    );
}

#[test]
fn the_exported_document_is_openapi_3_1() {
    let info =
        Info::new("Clerk Backend API (restruct example)", api::API_VERSION).server(api::BASE_URL);
    let doc = openapi::export(&api::endpoints(), &info);
    let text = serde_json::to_string_pretty(&doc).unwrap();

    // oas3 reads OpenAPI 3.1 documents into its typed model: a structural validation.
    let spec = oas3::from_json(&text).unwrap();
    assert_eq!(spec.openapi, "3.1.0");
    assert_eq!(spec.info.version, "2025-04-10");
    let operations = spec.operations().count();
    assert_eq!(operations, 13);

    // What the 3.1 schema requires beyond what a typed model enforces.
    assert!(doc["info"]["title"].is_string());
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with('/'), "{path}");
        for (method, op) in item.as_object().unwrap() {
            assert!(
                ids.insert(op["operationId"].as_str().unwrap().to_owned()),
                "{method} {path}"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(!responses.is_empty());
            for response in responses.values() {
                assert!(response["description"].is_string(), "{method} {path}");
            }
            for param in op["parameters"].as_array().into_iter().flatten() {
                assert!(param["name"].is_string() && param["schema"].is_object());
                let placeholder = format!("{{{}}}", param["name"].as_str().unwrap());
                if param["in"] == "path" {
                    assert_eq!(param["required"], true);
                    assert!(path.contains(&placeholder), "{path} {placeholder}");
                }
            }
        }
    }
    // Every reference resolves inside the document.
    fn refs<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(list) => list.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.contains(&"#/components/schemas/User"));
    for r in found {
        assert!(doc.pointer(&r[1..]).is_some(), "{r} does not resolve");
    }

    // The SDK matches what it exported.
    let report = Document::from_value(doc.clone())
        .unwrap()
        .check(&api::endpoints());
    assert!(report.is_ok(), "{report}");
}
