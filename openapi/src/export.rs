//! Endpoints to an OpenAPI 3.1 document.

use restruct_core::meta::{BodySource, EndpointMeta, ParamLocation, ParamStyle};
use serde_json::{json, Map, Value};

use crate::check::openapi_path;
use crate::{Endpoints, Entry};

/// The document's `info`: its title and the API's version.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Info {
    /// `info.title`.
    pub title: String,
    /// `info.version`: the API's version, not restruct's.
    pub version: String,
    /// `servers[0].url`, if given.
    pub server: Option<String>,
}

impl Info {
    /// A title and a version.
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        Info {
            title: title.into(),
            version: version.into(),
            server: None,
        }
    }

    /// With the base URL the paths are relative to.
    pub fn server(mut self, url: impl Into<String>) -> Self {
        self.server = Some(url.into());
        self
    }
}

pub fn export(endpoints: &Endpoints, info: &Info) -> Value {
    let mut paths = Map::new();
    let mut components = Map::new();
    for entry in &endpoints.entries {
        let (path, method, operation) = match entry {
            Entry::Meta(meta) => {
                let (path, _) = openapi_path(meta.path);
                (
                    path,
                    meta.method.to_ascii_lowercase(),
                    operation(meta, &mut components),
                )
            }
            Entry::Bare { name, method, path } => {
                let (path, names) = openapi_path(path);
                let params: Vec<Value> = names
                    .iter()
                    .map(|n| json!({"name": n, "in": "path", "required": true, "schema": {"type": "string"}}))
                    .collect();
                let mut op = json!({
                    "operationId": name,
                    "responses": {"default": {"description": "Any response (a hand-written endpoint without `META`)"}},
                });
                if !params.is_empty() {
                    op["parameters"] = Value::Array(params);
                }
                (path, method.to_ascii_lowercase(), op)
            }
        };
        let item = paths
            .entry(path)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(method, operation);
        }
    }
    let mut info_value = json!({"title": info.title, "version": info.version});
    info_value["summary"] = json!(format!(
        "Exported by restruct from {} endpoint(s)",
        endpoints.len()
    ));
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": info_value,
        "paths": paths,
    });
    if let Some(server) = &info.server {
        doc["servers"] = json!([{"url": server}]);
    }
    if !components.is_empty() {
        doc["components"] = json!({"schemas": components});
    }
    doc
}

fn operation(meta: &EndpointMeta, components: &mut Map<String, Value>) -> Value {
    let schemas = meta.schemas.map(|f| f());
    if let Some(schemas) = &schemas {
        for defs in [&schemas.response_definitions, &schemas.request_definitions] {
            for (name, schema) in defs {
                components
                    .entry(name.clone())
                    .or_insert_with(|| schema.clone());
            }
        }
    }
    let field_schema = |field: &str| schemas.as_ref().and_then(|s| s.field(field)).cloned();
    let parameters: Vec<Value> = meta
        .params
        .iter()
        .map(|p| {
            let schema = field_schema(p.field)
                .as_ref()
                .map(without_null)
                .unwrap_or_else(|| match p.style {
                    ParamStyle::Single => json!({}),
                    ParamStyle::DeepObject => json!({"type": "object"}),
                    _ => json!({"type": "array", "items": {}}),
                });
            let mut param = json!({
                "name": p.name,
                "in": p.location.as_str(),
                "required": p.required || p.location == ParamLocation::Path,
                "schema": schema,
            });
            if let Some((style, explode)) = p.style.openapi() {
                param["style"] = json!(style);
                param["explode"] = json!(explode);
            }
            param
        })
        .collect();

    let mut op = json!({"operationId": meta.name});
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(parameters);
    }
    if let Some(media) = meta.body.kind.media_type() {
        let (schema, required) = match meta.body.source {
            BodySource::Whole { required, .. } => (
                schemas
                    .as_ref()
                    .and_then(|s| s.body.clone())
                    .unwrap_or_else(|| json!({})),
                required,
            ),
            BodySource::Members(members) => {
                let mut properties = Map::new();
                let mut required = Vec::new();
                for m in members {
                    // schemars gives an `Option` its `null` even when `skip_serializing_if`
                    // means it is never sent; the member's presence says what is.
                    let schema = field_schema(m.field).unwrap_or_else(|| json!({}));
                    let schema = if m.presence.can_send_null() {
                        schema
                    } else {
                        without_null(&schema)
                    };
                    properties.insert(m.name.to_owned(), schema);
                    if !m.presence.can_omit() {
                        required.push(json!(m.name));
                    }
                }
                let mut schema = json!({"type": "object", "properties": properties});
                if !required.is_empty() {
                    schema["required"] = Value::Array(required);
                }
                (schema, true)
            }
            _ => (json!({}), false),
        };
        op["requestBody"] = json!({
            "required": required,
            "content": {media: {"schema": schema}},
        });
    }
    let mut responses = Map::new();
    if meta.response == "()" {
        responses.insert(
            "2XX".to_owned(),
            json!({"description": "Success; the body is not read"}),
        );
    } else {
        let schema = schemas
            .as_ref()
            .and_then(|s| s.response.clone())
            .unwrap_or_else(|| json!({}));
        responses.insert(
            "200".to_owned(),
            json!({
                "description": format!("`{}`", meta.response),
                "content": {"application/json": {"schema": schema}},
            }),
        );
    }
    let error = schemas
        .as_ref()
        .and_then(|s| s.error.clone())
        .unwrap_or_else(|| json!({}));
    responses.insert(
        "default".to_owned(),
        json!({
            "description": format!("An error: `{}`", meta.error),
            "content": {"application/json": {"schema": error}},
        }),
    );
    op["responses"] = Value::Object(responses);
    op
}

/// A parameter's schema without the `null` an `Option` adds: a URL has no `null`, the
/// parameter is left out instead.
fn without_null(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types[0].clone(); // ok: the length is 1
            schema["type"] = only;
        }
    }
    if let Some(Value::Array(any)) = schema.get("anyOf") {
        let rest: Vec<&Value> = any
            .iter()
            .filter(|s| s.get("type") != Some(&json!("null")))
            .collect();
        if let [only] = rest.as_slice() {
            return (*only).clone();
        }
    }
    schema
}
