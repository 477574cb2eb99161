//! Checks [restruct](https://docs.rs/restruct) endpoints against an API's OpenAPI document, and
//! exports an OpenAPI 3.1 document from them.
//!
//! Use it through `restruct::openapi` (feature `openapi`), which documents it with examples.
//! Both directions read [`Endpoint::META`], the description
//! `#[endpoint]` writes for every endpoint; the JSON Schemas of bodies, responses and errors in
//! it come from restruct's `schema` feature.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod check;
mod export;
mod report;
mod schema;

use std::fmt;

use restruct_core::meta::EndpointMeta;
use restruct_core::Endpoint;

use serde_json::Value;

pub use export::Info;
pub use report::{EndpointReport, Mismatch, Report};

/// The endpoints to check or export: `Endpoints::new().with::<GetUser>().with::<DeleteUser>()`.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
enum Entry {
    Meta(&'static EndpointMeta),
    /// A hand-written endpoint without `META`: its method and path only.
    Bare {
        name: String,
        method: String,
        path: &'static str,
    },
}

impl Endpoints {
    /// No endpoints yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// With endpoint `E` (its [`Endpoint::META`], or its method and path when it has none).
    pub fn with<E: Endpoint>(mut self) -> Self {
        self.add::<E>();
        self
    }

    /// Adds endpoint `E`.
    pub fn add<E: Endpoint>(&mut self) -> &mut Self {
        let entry = match E::META {
            Some(meta) => Entry::Meta(meta),
            None => {
                let full = std::any::type_name::<E>();
                let name = full.rsplit("::").next().unwrap_or(full).to_owned();
                Entry::Bare {
                    name,
                    method: E::METHOD.as_str().to_owned(),
                    path: E::PATH,
                }
            }
        };
        self.entries.push(entry);
        self
    }

    /// Adds an endpoint by its description.
    pub fn add_meta(&mut self, meta: &'static EndpointMeta) -> &mut Self {
        self.entries.push(Entry::Meta(meta));
        self
    }

    /// How many endpoints there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// An OpenAPI 3.x document, read from YAML or JSON.
#[derive(Debug, Clone)]
pub struct Document {
    root: Value,
}

impl Document {
    /// Reads a document: JSON when the text starts with `{`, YAML otherwise.
    pub fn parse(text: &str) -> Result<Document, DocumentError> {
        let root: Value = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| DocumentError(format!("invalid JSON: {e}")))?
        } else {
            yaml_serde::from_str(text).map_err(|e| DocumentError(format!("invalid YAML: {e}")))?
        };
        Self::from_value(root)
    }

    /// A document already parsed into JSON values.
    pub fn from_value(root: Value) -> Result<Document, DocumentError> {
        match root.get("openapi").and_then(Value::as_str) {
            Some(version) if version.starts_with("3.") => {}
            Some(version) => {
                return Err(DocumentError(format!(
                    "`openapi: {version}` is not a version 3 document"
                )))
            }
            None => {
                return Err(DocumentError(
                    "not an OpenAPI document: no `openapi` version field".to_owned(),
                ))
            }
        }
        if !root.get("paths").is_some_and(Value::is_object) {
            return Err(DocumentError(
                "the document has no `paths` object".to_owned(),
            ));
        }
        Ok(Document { root })
    }

    /// The document as JSON values.
    pub fn as_value(&self) -> &Value {
        &self.root
    }

    /// Every mismatch between `endpoints` and this document.
    pub fn check(&self, endpoints: &Endpoints) -> Report {
        Report {
            endpoints: check::check(&self.root, endpoints),
        }
    }
}

/// A document that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError(String);

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DocumentError {}

/// Checks `endpoints` against the OpenAPI document `document` (YAML or JSON text).
pub fn check(document: &str, endpoints: &Endpoints) -> Result<Report, DocumentError> {
    Ok(Document::parse(document)?.check(endpoints))
}

/// For a test: panics with the whole report unless every endpoint matches `document`.
#[track_caller]
pub fn assert_matches(document: &str, endpoints: &Endpoints) {
    // ok: a test helper, whose way to fail a test is to panic.
    match check(document, endpoints) {
        Ok(report) if report.is_ok() => {}
        Ok(report) => panic!("the endpoints do not match the OpenAPI document:\n{report}"),
        Err(e) => panic!("the OpenAPI document could not be read: {e}"),
    }
}

/// An OpenAPI 3.1 document describing `endpoints`.
pub fn export(endpoints: &Endpoints, info: &Info) -> Value {
    export::export(endpoints, info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_status_codes_may_be_unquoted() {
        let doc = Document::parse(
            "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n",
        )
        .unwrap();
        assert!(doc
            .as_value()
            .pointer("/paths/~1a/get/responses/200")
            .is_some());
    }
}
