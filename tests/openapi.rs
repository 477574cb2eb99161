//! The OpenAPI check, one kind of mismatch at a time, against small documents written here
//! (OpenAPI 3.1 in YAML, 3.0 in JSON). The Clerk example's check is in `clerk_openapi.rs`.

use restruct::openapi::{self, Document, Endpoints, Mismatch};
use restruct::schemars::JsonSchema;
use restruct::{endpoint, Endpoint, Nullable, RequestWriter};
use serde::{Deserialize, Serialize};

const SPEC: &str = r##"
openapi: 3.1.0
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      parameters:
        - {name: tag, in: query, schema: {type: array, items: {type: string}}, explode: false}
        - {name: kind, in: query, schema: {type: string}}
        - {name: X-Tenant, in: header, required: true, schema: {type: string}}
        - $ref: "#/components/parameters/Page"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Thing"}}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Problem"}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [name]
              properties:
                name: {type: string}
                note: {type: [string, "null"]}
                size: {type: integer}
                colour: {type: string}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /things/{thing_id}:
    delete:
      responses:
        "204": {description: gone}
components:
  parameters:
    Page: {name: page, in: query, required: true, schema: {type: integer}}
  schemas:
    Thing:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          properties:
            count: {type: integer, format: int64}
            label: {type: [string, "null"]}
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Problem:
      type: object
      properties:
        message: {type: string}
        code: {type: integer}
"##;

fn mismatches(endpoints: Endpoints) -> Vec<Mismatch> {
    openapi::check(SPEC, &endpoints)
        .unwrap()
        .mismatches()
        .map(|(_, m)| m.clone())
        .collect()
}

fn messages(found: &[Mismatch]) -> Vec<&str> {
    found.iter().map(|m| m.message.as_str()).collect()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
pub struct Thing {
    pub id: String,
    pub count: Option<i64>,
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
pub struct Problem {
    pub message: Option<String>,
    pub code: Option<i64>,
}

#[endpoint(GET, "/things", response = Vec<Thing>, error = Problem)]
pub struct ListThings {
    #[query]
    pub kind: Option<String>,
    #[query]
    pub page: u32,
    #[header("X-Tenant")]
    pub tenant: String,
}

#[test]
fn a_matching_endpoint_has_no_mismatch() {
    let report = openapi::check(SPEC, &Endpoints::new().with::<ListThings>()).unwrap();
    assert!(report.is_ok(), "{report}");
    assert!(report.endpoints[0].notes.is_empty());
    assert_eq!(report.endpoints[0].operation, "GET /things");
}

#[endpoint(GET, "/things", response = Vec<Thing>, error = Problem)]
pub struct BadParams {
    /// Repeated, but the spec wants `tag=a,b`.
    #[query]
    pub tag: Vec<String>,
    /// A sequence where the spec takes one value.
    #[query]
    pub kind: Vec<String>,
    /// Required by the spec, optional here.
    #[query]
    pub page: Option<u32>,
    /// A header in the spec, sent in the query.
    #[query("X-Tenant")]
    pub tenant: String,
}

#[endpoint(GET, "/things", response = Vec<Thing>, error = Problem)]
pub struct TypedParams {
    /// An integer where the spec takes a string.
    #[query]
    pub kind: Option<u8>,
    /// A string where the spec takes an integer.
    #[query]
    pub page: String,
    #[header("X-Tenant")]
    pub tenant: String,
}

#[test]
fn parameters_of_another_type() {
    let found = mismatches(Endpoints::new().with::<TypedParams>());
    assert_eq!(
        messages(&found),
        [
            "`TypedParams.kind` sends `integer` here, but `#/paths/~1things/get/parameters/1/schema` takes `string`",
            "`TypedParams.page` sends `string` here, but `#/components/parameters/Page/schema` takes `integer`",
        ]
    );
}

#[test]
fn parameters_in_the_wrong_place_style_or_presence() {
    let found = mismatches(Endpoints::new().with::<BadParams>());
    let op = "#/paths/~1things/get";
    assert_eq!(
        messages(&found),
        [
            format!("`BadParams.tag` repeats `tag` (`tag=a&tag=b`), but `{op}/parameters/0` wants `style: form, explode: false`"),
            format!("`BadParams.kind` repeats `kind` (`kind=a&kind=b`), but `{op}/parameters/1` takes a single value"),
            "`BadParams.page` may be left out, but `#/components/parameters/Page` requires query parameter `page`".to_owned(),
            format!("`BadParams.tenant` is sent as query parameter `X-Tenant`, but `{op}/parameters/2` puts `X-Tenant` in the header"),
            format!("`BadParams` never sends header parameter `X-Tenant`, which `{op}/parameters/2` requires"),
        ]
    );
    assert_eq!(found[2].location, "#/components/parameters/Page");
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
pub struct NarrowThing {
    pub id: String,
    pub count: Option<u32>,
    pub label: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
pub struct StrictProblem {
    pub message: String,
    pub code: Option<String>,
}

#[endpoint(GET, "/things", response = Vec<NarrowThing>, error = StrictProblem)]
pub struct StrictResponses {
    #[query]
    pub page: u32,
    #[header("X-Tenant")]
    pub tenant: String,
}

#[test]
fn responses_and_errors_stricter_than_the_spec() {
    let found = mismatches(Endpoints::new().with::<StrictResponses>());
    let thing = "#/components/schemas/Thing";
    let problem = "#/components/schemas/Problem";
    assert_eq!(
        messages(&found),
        [
            format!("`NarrowThing.count` is unsigned (`uint32`) here, but `{thing}/allOf/1/properties/count` allows negative values (`int64`); use a signed integer"),
            format!("`NarrowThing.label` is required here but optional in `{thing}`; a response without it fails to decode (make it `Option` or `#[serde(default)]`)"),
            format!("`NarrowThing.label` is not nullable here but nullable in `{thing}/allOf/1/properties/label`; a `null` fails to decode (make it `Option`)"),
            format!("`StrictProblem.message` is required here but optional in `{problem}`; a response without it fails to decode (make it `Option` or `#[serde(default)]`)"),
            format!("`StrictProblem.code` decodes `string` here, but `{problem}/properties/code` may send `integer`"),
        ]
    );
}

#[endpoint(POST, "/things", response = Thing)]
pub struct CreateThing {
    /// Optional here, required by the spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Nullable in the spec, but `None` is never sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Sends `null` for `None`, which the spec does not allow; and always sent.
    pub size: Option<u32>,
    /// A string in the spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour: Option<u8>,
    /// Not in the spec, which refuses unknown members.
    #[serde(rename = "weight")]
    pub weight_kg: f64,
}

#[test]
fn body_members_missing_extra_or_of_another_presence() {
    let found = mismatches(Endpoints::new().with::<CreateThing>());
    let body = "#/paths/~1things/post/requestBody/content/application~1json/schema";
    assert_eq!(
        messages(&found),
        [
            format!("`CreateThing.name` may be left out here, but `{body}` requires it"),
            format!("`CreateThing.note` cannot send `null`, which `{body}/properties/note` allows (to clear the value); make it `restruct::Nullable`"),
            format!("`CreateThing.size` is required here but optional in `{body}`; make it `Option` with `skip_serializing_if` (or `restruct::Nullable`)"),
            format!("`CreateThing.size` can send `null`, which `{body}/properties/size` does not allow; make it `Option` with `skip_serializing_if = \"Option::is_none\"`"),
            format!("`CreateThing.colour` sends `integer` here, but `{body}/properties/colour` takes `string`"),
            format!("`CreateThing.weight_kg` is sent as `weight`, which `{body}` does not have, and refuses unknown members"),
        ]
    );
}

#[derive(Debug, Serialize, JsonSchema)]
#[schemars(crate = "restruct::schemars")]
pub struct NewThing {
    pub name: String,
    #[serde(skip_serializing_if = "Nullable::is_unset")]
    pub note: Nullable<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    pub shape: String,
}

#[endpoint(POST, "/things", response = Thing)]
pub struct CreateThingWhole {
    #[body]
    pub thing: Option<NewThing>,
}

#[test]
fn a_whole_body_is_checked_through_its_schema() {
    let found = mismatches(Endpoints::new().with::<CreateThingWhole>());
    let rb = "#/paths/~1things/post/requestBody";
    let body = format!("{rb}/content/application~1json/schema");
    assert_eq!(
        messages(&found),
        [
            format!("`CreateThingWhole.thing` is an `Option`, so the request may have no body, but `{rb}` requires one"),
            format!("`NewThing.shape` is sent as `shape`, which `{body}` does not have, and refuses unknown members"),
        ]
    );
}

#[endpoint(POST, "/things", form, response = Thing)]
pub struct CreateThingForm {
    pub name: String,
}

#[endpoint(PUT, "/things")]
pub struct ReplaceThings {}

#[endpoint(GET, "/widgets/<id>")]
pub struct GetWidget {
    pub id: String,
}

#[endpoint(DELETE, "/things/<thing_id>", response = Thing)]
pub struct DeleteThing {
    pub thing_id: String,
}

#[test]
fn unknown_operations_media_types_and_missing_content() {
    let found = mismatches(
        Endpoints::new()
            .with::<CreateThingForm>()
            .with::<ReplaceThings>()
            .with::<GetWidget>()
            .with::<DeleteThing>(),
    );
    assert_eq!(
        messages(&found),
        [
            "`CreateThingForm` sends `application/x-www-form-urlencoded`, but `#/paths/~1things/post/requestBody` accepts only `application/json`",
            "`ReplaceThings` calls `PUT /things`, but the document has no `PUT` for this path (it has GET, POST)",
            "`GetWidget` calls `GET /widgets/{id}`, but the document has no such path",
            "`DeleteThing` expects a `Thing` body, but `#/paths/~1things~1{thing_id}/delete/responses/204` answers without JSON content (make the response `()`)",
        ]
    );
    assert_eq!(found[2].location, "#/paths");
}

/// Hand-written, without `META`: only its method and path can be checked.
pub struct Bare;

impl Endpoint for Bare {
    type Response = ();
    type Error = ();
    const METHOD: restruct::http::Method = restruct::http::Method::DELETE;
    const PATH: &'static str = "/things/<thing_id>";

    fn write_request(&self, req: &mut RequestWriter<'_>) {
        req.path_literal("/things/x");
    }
}

#[test]
fn an_endpoint_without_meta_is_checked_by_method_and_path() {
    let report = openapi::check(SPEC, &Endpoints::new().with::<Bare>()).unwrap();
    assert!(report.is_ok(), "{report}");
    let bare = report.endpoint("Bare").unwrap();
    assert_eq!(bare.operation, "DELETE /things/{thing_id}");
    assert!(
        bare.notes[0].contains("no `Endpoint::META`"),
        "{:?}",
        bare.notes
    );
}

#[test]
fn json_documents_and_openapi_3_0_nullable() {
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"get": {
            "parameters": [
                {"name": "page", "in": "query", "required": true, "schema": {"type": "integer"}},
                {"name": "kind", "in": "query", "schema": {"type": "string"}},
                {"name": "X-Tenant", "in": "header", "schema": {"type": "string"}},
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "array",
                "items": {"type": "object", "properties": {
                    "id": {"type": "string", "nullable": true},
                    "count": {"type": "integer"},
                }, "required": ["id", "count"]},
            }}}}},
        }}},
    });
    let report = openapi::check(&spec.to_string(), &Endpoints::new().with::<ListThings>()).unwrap();
    let found: Vec<&str> = report
        .mismatches()
        .map(|(_, m)| m.message.as_str())
        .collect();
    assert_eq!(
        found,
        ["`Thing.id` is not nullable here but nullable in `#/paths/~1things/get/responses/200/content/application~1json/schema/items/properties/id`; a `null` fails to decode (make it `Option`)"]
    );
}

#[test]
fn documents_that_are_not_openapi_3_are_refused() {
    let err = Document::parse("swagger: '2.0'\npaths: {}\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "not an OpenAPI document: no `openapi` version field"
    );
    let err = Document::parse(r#"{"openapi": "2.0", "paths": {}}"#).unwrap_err();
    assert!(
        err.to_string().contains("not a version 3 document"),
        "{err}"
    );
    let err = Document::parse("openapi: [").unwrap_err();
    assert!(err.to_string().starts_with("invalid YAML"), "{err}");
}

#[test]
#[should_panic(expected = "`BadParams.page` may be left out")]
fn the_test_helper_panics_with_the_report() {
    openapi::assert_matches(SPEC, &Endpoints::new().with::<BadParams>());
}
