//! Endpoints against a document: operation, parameters, body, responses and errors.

use std::collections::HashSet;

use restruct_core::meta::{BodySource, EndpointMeta, EndpointSchemas, ParamLocation, ParamStyle};
use serde_json::Value;

use crate::report::{EndpointReport, Mismatch};
use crate::schema::{escape, int_format, view, Refs, View};
use crate::{Endpoints, Entry};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `/users/<user_id>` as OpenAPI writes it: `/users/{user_id}`, with the placeholder names.
pub fn openapi_path(template: &str) -> (String, Vec<String>) {
    let mut path = String::with_capacity(template.len());
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('<') {
        path.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('>').unwrap_or(after.len());
        names.push(after[..close].to_owned());
        path.push('{');
        path.push_str(&after[..close]);
        path.push('}');
        rest = after.get(close + 1..).unwrap_or("");
    }
    path.push_str(rest);
    (path, names)
}

/// The placeholder names of an OpenAPI path, and its shape with them blanked (`/users/{}`).
fn shape(path: &str) -> (String, Vec<&str>) {
    let mut out = String::with_capacity(path.len());
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open + 1]);
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        names.push(&after[..close]);
        out.push('}');
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    (out, names)
}

pub fn check(doc: &Value, endpoints: &Endpoints) -> Vec<EndpointReport> {
    endpoints
        .entries
        .iter()
        .map(|entry| match entry {
            Entry::Meta(meta) => Checker::new(doc, meta.name).endpoint(meta),
            Entry::Bare { name, method, path } => {
                let mut checker = Checker::new(doc, name);
                let (op_path, _) = openapi_path(path);
                checker.report.operation = format!("{method} {op_path}");
                checker.find_operation(name, method, path);
                checker.report.notes.push(format!(
                    "`{name}` has no `Endpoint::META`: only its method and path were checked"
                ));
                checker.report
            }
        })
        .collect()
}

struct Operation<'a> {
    op: &'a Value,
    item: &'a Value,
    location: String,
    spec_path: String,
    /// Rust placeholder name -> the document's, where they differ.
    renamed: Vec<(String, String)>,
}

struct Checker<'a> {
    doc: &'a Value,
    report: EndpointReport,
}

impl<'a> Checker<'a> {
    fn new(doc: &'a Value, name: &str) -> Self {
        Checker {
            doc,
            report: EndpointReport {
                endpoint: name.to_owned(),
                operation: String::new(),
                mismatches: Vec::new(),
                notes: Vec::new(),
            },
        }
    }

    fn mismatch(&mut self, rust: impl Into<String>, location: impl Into<String>, message: String) {
        self.report.mismatches.push(Mismatch {
            rust: rust.into(),
            location: location.into(),
            message,
        });
    }

    fn refs(&self) -> Refs<'a> {
        Refs::Document(self.doc)
    }

    /// `value` with a `$ref` followed (once per hop), and the location it was found at.
    fn resolve(&self, value: &'a Value, location: String) -> (&'a Value, String) {
        let (mut value, mut location) = (value, location);
        for _ in 0..8 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => match self.refs().get(reference) {
                    Some(target) => {
                        value = target;
                        location = reference.to_owned();
                    }
                    None => break,
                },
                None => break,
            }
        }
        (value, location)
    }

    fn endpoint(mut self, meta: &EndpointMeta) -> EndpointReport {
        let (op_path, _) = openapi_path(meta.path);
        self.report.operation = format!("{} {op_path}", meta.method);
        let Some(operation) = self.find_operation(meta.name, meta.method, meta.path) else {
            return self.report;
        };
        self.report.operation = format!("{} {}", meta.method, operation.spec_path);
        let schemas = meta.schemas.map(|f| f());
        if schemas.is_none() {
            self.report.notes.push(
                "no JSON Schemas (restruct's `schema` feature is off, the endpoint is generic, or its hand-written `META` has none): responses and errors were not checked, bodies by member names only".to_owned(),
            );
        }
        self.params(meta, &operation, schemas.as_ref());
        self.body(meta, &operation, schemas.as_ref());
        self.responses(meta, &operation, schemas.as_ref());
        self.report
    }

    fn find_operation(
        &mut self,
        name: &str,
        method: &str,
        template: &str,
    ) -> Option<Operation<'a>> {
        let (path, rust_names) = openapi_path(template);
        let paths = self.doc.get("paths").and_then(Value::as_object)?;
        let (rust_shape, _) = shape(&path);
        let found = paths
            .get_key_value(path.as_str())
            .or_else(|| paths.iter().find(|(p, _)| shape(p).0 == rust_shape));
        let Some((spec_path, item)) = found else {
            self.mismatch(
                name,
                "#/paths",
                format!("`{name}` calls `{method} {path}`, but the document has no such path"),
            );
            return None;
        };
        let item_location = format!("#/paths/{}", escape(spec_path));
        let (item, item_location) = self.resolve(item, item_location);
        let lower = method.to_ascii_lowercase();
        let Some(op) = item.get(lower.as_str()) else {
            let has: Vec<String> = METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| m.to_ascii_uppercase())
                .collect();
            self.mismatch(
                name,
                item_location,
                format!(
                    "`{name}` calls `{method} {spec_path}`, but the document has no `{method}` for this path (it has {})",
                    if has.is_empty() { "none".to_owned() } else { has.join(", ") }
                ),
            );
            return None;
        };
        let location = format!("{item_location}/{lower}");
        let (_, spec_names) = shape(spec_path);
        let mut renamed = Vec::new();
        for (rust, spec) in rust_names.iter().zip(spec_names) {
            if rust != spec {
                self.mismatch(
                    format!("{name}.{rust}"),
                    location.clone(),
                    format!("path parameter `<{rust}>` of `{name}` is `{{{spec}}}` in `{spec_path}`; the names differ"),
                );
                renamed.push((rust.clone(), spec.to_owned()));
            }
        }
        Some(Operation {
            op,
            item,
            location,
            spec_path: spec_path.clone(),
            renamed,
        })
    }

    /// The operation's parameters, path-level ones first (the operation's win), resolved.
    fn spec_params(&self, operation: &Operation<'a>) -> Vec<(&'a Value, String)> {
        let mut out: Vec<(&'a Value, String)> = Vec::new();
        let item_location = operation
            .location
            .rsplit_once('/')
            .map_or("", |(item, _)| item);
        let lists = [
            (operation.item, item_location.to_owned()),
            (operation.op, operation.location.clone()),
        ];
        for (holder, location) in lists {
            let Some(list) = holder.get("parameters").and_then(Value::as_array) else {
                continue;
            };
            for (i, param) in list.iter().enumerate() {
                let (param, at) = self.resolve(param, format!("{location}/parameters/{i}"));
                let key = |p: &Value| {
                    (
                        p.get("in").and_then(Value::as_str).map(str::to_owned),
                        p.get("name")
                            .and_then(Value::as_str)
                            .map(str::to_ascii_lowercase),
                    )
                };
                out.retain(|(p, _)| key(p) != key(param));
                out.push((param, at));
            }
        }
        out
    }

    fn params(
        &mut self,
        meta: &EndpointMeta,
        operation: &Operation<'a>,
        schemas: Option<&EndpointSchemas>,
    ) {
        let spec = self.spec_params(operation);
        let mut matched = HashSet::new();
        let name_of = |p: &Value| {
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let in_of = |p: &Value| p.get("in").and_then(Value::as_str).unwrap_or("").to_owned();
        let same = |location: &str, a: &str, b: &str| {
            if location == "header" {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        for param in meta.params {
            let item = format!("{}.{}", meta.name, param.field);
            let location = param.location.as_str();
            let wire = operation
                .renamed
                .iter()
                .find(|(rust, _)| param.location == ParamLocation::Path && rust == param.name)
                .map_or(param.name, |(_, spec)| spec.as_str());
            let found = spec
                .iter()
                .enumerate()
                .find(|(_, (p, _))| in_of(p) == location && same(location, &name_of(p), wire));
            let Some((index, (spec_param, at))) = found else {
                let elsewhere = spec
                    .iter()
                    .find(|(p, _)| same("header", &name_of(p), wire) && in_of(p) != location);
                match elsewhere {
                    Some((p, at)) => self.mismatch(
                        item.clone(),
                        at.clone(),
                        format!(
                            "`{item}` is sent as {location} parameter `{wire}`, but `{at}` puts `{}` in the {}",
                            name_of(p),
                            in_of(p)
                        ),
                    ),
                    None if param.location == ParamLocation::Path => {}
                    None => self.mismatch(
                        item.clone(),
                        operation.location.clone(),
                        format!(
                            "`{item}` sends {location} parameter `{wire}`, which `{}` does not declare",
                            operation.location
                        ),
                    ),
                }
                continue;
            };
            matched.insert(index);
            let required = spec_param.get("required") == Some(&Value::Bool(true));
            if required && !param.required {
                self.mismatch(
                    item.clone(),
                    at.clone(),
                    format!("`{item}` may be left out, but `{at}` requires {location} parameter `{wire}`"),
                );
            }
            if let (Some(rust), Some(spec_schema)) = (
                schemas.and_then(|s| s.field(param.field)),
                spec_param.get("schema"),
            ) {
                let refs =
                    schemas.map_or(Refs::Nothing, |s| Refs::Definitions(&s.request_definitions));
                let spec_at = format!("{at}/schema");
                self.param_types(&item, rust, refs, spec_schema, &spec_at);
            }
            if param.style != ParamStyle::Single {
                let schema = spec_param.get("schema").unwrap_or(&Value::Null);
                let seen = view(schema, &format!("{at}/schema"), self.refs());
                let is_array = seen.types.as_ref().is_some_and(|t| {
                    t.contains("array")
                        || (param.style == ParamStyle::DeepObject && t.contains("object"))
                });
                let example = param.style.example().replace('k', wire);
                let sent = if param.style == ParamStyle::Repeated {
                    format!("repeats `{wire}` (`{example}`)")
                } else {
                    format!("sends `{example}`")
                };
                let style = spec_param.get("style").and_then(Value::as_str).unwrap_or(
                    if location == "query" {
                        "form"
                    } else {
                        "simple"
                    },
                );
                let explode = spec_param
                    .get("explode")
                    .and_then(Value::as_bool)
                    .unwrap_or(style == "form");
                if !is_array {
                    self.mismatch(
                        item.clone(),
                        at.clone(),
                        format!("`{item}` {sent}, but `{at}` takes a single value"),
                    );
                } else if param.style.openapi() != Some((style, explode)) {
                    self.mismatch(
                        item.clone(),
                        at.clone(),
                        format!(
                            "`{item}` {sent}, but `{at}` wants `style: {style}, explode: {explode}`"
                        ),
                    );
                }
            }
        }
        for (index, (p, at)) in spec.iter().enumerate() {
            let location = in_of(p);
            let required = p.get("required") == Some(&Value::Bool(true));
            if matched.contains(&index) || !required || location == "cookie" {
                continue;
            }
            if location == "path" {
                // Placeholders were compared with the path itself.
                continue;
            }
            self.mismatch(
                meta.name,
                at.clone(),
                format!(
                    "`{}` never sends {location} parameter `{}`, which `{at}` requires",
                    meta.name,
                    name_of(p)
                ),
            );
        }
    }

    /// The JSON types a parameter sends (an array's items for each repeated value) that its
    /// schema in the document does not take.
    fn param_types(
        &mut self,
        item: &str,
        rust: &Value,
        refs: Refs,
        spec: &'a Value,
        spec_at: &str,
    ) {
        let mut r = view(rust, "#", refs);
        let mut s = view(spec, spec_at, self.refs());
        let (r_items, s_items);
        if let Some((items, at)) = r.items.clone() {
            r_items = view(items, &at, refs);
            r = r_items;
            if let Some((items, at)) = s.items.clone() {
                s_items = view(items, &at, self.refs());
                s = s_items;
            }
        }
        let (Some(rt), Some(st)) = (&r.types, &s.types) else {
            return;
        };
        if r.any || s.any || st.contains("string") && rt.len() == 1 && rt.contains("string") {
            return;
        }
        let wrong: Vec<&str> = rt
            .iter()
            .copied()
            .filter(|t| !(st.contains(t) || (*t == "integer" && st.contains("number"))))
            .collect();
        if !wrong.is_empty() {
            let loc = s.location.clone();
            self.mismatch(
                item,
                loc.clone(),
                format!(
                    "`{item}` sends {} here, but `{loc}` takes {}",
                    list(&wrong),
                    list_set(st)
                ),
            );
        }
    }

    fn body<'r>(
        &mut self,
        meta: &EndpointMeta,
        operation: &Operation<'a>,
        schemas: Option<&'r EndpointSchemas>,
    ) {
        let name = meta.name;
        let spec_body = operation
            .op
            .get("requestBody")
            .map(|b| self.resolve(b, format!("{}/requestBody", operation.location)));
        let spec_required = spec_body
            .as_ref()
            .is_some_and(|(b, _)| b.get("required") == Some(&Value::Bool(true)));
        let Some(media) = meta.body.kind.media_type() else {
            if let Some((_, at)) = spec_body.filter(|_| spec_required) {
                self.mismatch(
                    name,
                    at.clone(),
                    format!("`{name}` sends no body, but `{at}` requires one"),
                );
            }
            return;
        };
        let Some((body, at)) = spec_body else {
            self.mismatch(
                name,
                operation.location.clone(),
                format!(
                    "`{name}` sends a body ({media}), but `{}` takes none",
                    operation.location
                ),
            );
            return;
        };
        let content = body.get("content").and_then(Value::as_object);
        let entry = content.and_then(|c| {
            c.iter().find(|(k, _)| {
                let k = k.split(';').next().unwrap_or("").trim();
                k.eq_ignore_ascii_case(media) || k == "*/*"
            })
        });
        let Some((key, entry)) = entry else {
            let accepted: Vec<String> = content
                .map(|c| c.keys().map(|k| format!("`{k}`")).collect())
                .unwrap_or_default();
            self.mismatch(
                name,
                at.clone(),
                format!(
                    "`{name}` sends `{media}`, but `{at}` accepts only {}",
                    if accepted.is_empty() {
                        "no content".to_owned()
                    } else {
                        accepted.join(", ")
                    }
                ),
            );
            return;
        };
        let Some(spec_schema) = entry.get("schema") else {
            return;
        };
        let schema_at = format!("{at}/content/{}/schema", escape(key));
        let spec_view = view(spec_schema, &schema_at, self.refs());

        let rust_refs =
            schemas.map_or(Refs::Nothing, |s| Refs::Definitions(&s.request_definitions));
        let mut members = Vec::new();
        let mut open = false;
        match meta.body.source {
            BodySource::Whole { field, required } => {
                if spec_required && !required {
                    self.mismatch(
                        format!("{name}.{field}"),
                        at.clone(),
                        format!("`{name}.{field}` is an `Option`, so the request may have no body, but `{at}` requires one"),
                    );
                }
                let Some(body) = schemas.and_then(|s| s.body.as_ref()) else {
                    self.report
                        .notes
                        .push(format!("the body type of `{name}.{field}` has no JSON Schema: its members were not checked"));
                    return;
                };
                let rust = view(body, "#", rust_refs);
                let owner = rust
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("{name}.{field}"));
                if rust.any || rust.alternatives || !rust.has_properties() {
                    return;
                }
                for (member, schema, loc) in &rust.properties {
                    let seen = view(schema, loc, rust_refs);
                    let can_omit = !rust.required.contains(member);
                    // schemars gives an `Option` its `null` even when `skip_serializing_if`
                    // leaves `None` out, and so does `Nullable`: an optional nullable member
                    // may or may not send `null`.
                    members.push(RustMember {
                        name: member.to_string(),
                        item: format!("{owner}.{member}"),
                        can_omit,
                        can_null: (!can_omit || !seen.nullable).then_some(seen.nullable),
                        schema: Some(*schema),
                    });
                }
            }
            BodySource::Members(list) => {
                for m in list {
                    if m.presence == restruct_core::meta::Presence::Flatten {
                        open = true;
                        continue;
                    }
                    members.push(RustMember {
                        name: m.name.to_owned(),
                        item: format!("{name}.{}", m.field),
                        can_omit: m.presence.can_omit(),
                        can_null: Some(m.presence.can_send_null()),
                        schema: schemas.and_then(|s| s.field(m.field)),
                    });
                }
            }
            _ => {
                self.report.notes.push(format!(
                    "`{name}` has a kind of body this version cannot check"
                ));
                return;
            }
        }
        self.members(name, &members, open, &spec_view, rust_refs);
    }

    fn members<'r>(
        &mut self,
        name: &str,
        members: &[RustMember<'r>],
        open: bool,
        spec: &View<'a>,
        rust_refs: Refs<'r>,
    ) {
        if spec.alternatives || !spec.has_properties() {
            return;
        }
        let holder = spec.location.clone();
        for m in members {
            let item = &m.item;
            let Some((schema, at)) = spec.property(&m.name) else {
                if !spec.allows_unknown() {
                    let refuses = if spec.denies_unknown() {
                        ", and refuses unknown members"
                    } else {
                        ""
                    };
                    self.mismatch(
                        item.clone(),
                        holder.clone(),
                        format!(
                            "`{item}` is sent as `{}`, which `{holder}` does not have{refuses}",
                            m.name
                        ),
                    );
                }
                continue;
            };
            let at = at.to_owned();
            let seen = view(schema, &at, self.refs());
            let required = spec.required.contains(m.name.as_str());
            if required && m.can_omit {
                self.mismatch(
                    item.clone(),
                    holder.clone(),
                    format!("`{item}` may be left out here, but `{holder}` requires it"),
                );
            }
            if !required && !m.can_omit {
                self.mismatch(
                    item.clone(),
                    holder.clone(),
                    format!("`{item}` is required here but optional in `{holder}`; make it `Option` with `skip_serializing_if` (or `restruct::Nullable`)"),
                );
            }
            if seen.nullable && !seen.any && m.can_null == Some(false) {
                self.mismatch(
                    item.clone(),
                    at.clone(),
                    format!("`{item}` cannot send `null`, which `{at}` allows (to clear the value); make it `restruct::Nullable`"),
                );
            }
            if !seen.nullable && m.can_null == Some(true) {
                self.mismatch(
                    item.clone(),
                    at.clone(),
                    format!("`{item}` can send `null`, which `{at}` does not allow; make it `Option` with `skip_serializing_if = \"Option::is_none\"`"),
                );
            }
            if let Some(rust) = m.schema {
                let rust = view(rust, "#", rust_refs);
                if let (Some(rt), Some(st)) = (&rust.types, &seen.types) {
                    let wrong: Vec<&str> = rt
                        .iter()
                        .copied()
                        .filter(|t| !(st.contains(t) || (*t == "integer" && st.contains("number"))))
                        .collect();
                    if !wrong.is_empty() && !rust.any {
                        self.mismatch(
                            item.clone(),
                            at.clone(),
                            format!(
                                "`{item}` sends {} here, but `{at}` takes {}",
                                list(&wrong),
                                list_set(st)
                            ),
                        );
                    }
                }
            }
        }
        if open {
            return;
        }
        for required in &spec.required {
            if !members.iter().any(|m| m.name == *required) {
                self.mismatch(
                    name,
                    holder.clone(),
                    format!("`{name}` never sends `{required}`, which `{holder}` requires"),
                );
            }
        }
    }

    fn responses(
        &mut self,
        meta: &EndpointMeta,
        operation: &Operation<'a>,
        schemas: Option<&EndpointSchemas>,
    ) {
        let Some(responses) = operation.op.get("responses").and_then(Value::as_object) else {
            return;
        };
        let Some(schemas) = schemas else { return };
        let at = format!("{}/responses", operation.location);
        let defs = Refs::Definitions(&schemas.response_definitions);
        let mut success = responses
            .iter()
            .filter(|(code, _)| code.starts_with('2'))
            .collect::<Vec<_>>();
        success.sort_by(|a, b| a.0.cmp(b.0));
        if let Some((code, response)) = success.first() {
            let (response, location) = self.resolve(response, format!("{at}/{}", escape(code)));
            match &schemas.response {
                _ if meta.response == "()" => {}
                None => self.report.notes.push(format!(
                    "`{}` has no JSON Schema (derive `JsonSchema`): the response was not checked",
                    meta.response
                )),
                Some(rust) => match json_schema(response) {
                    Some((schema, key)) => {
                        let spec_at = format!("{location}/content/{}/schema", escape(key));
                        let mut cmp = Compare::new(defs, self.refs());
                        cmp.accepts(rust, "#", schema, &spec_at, meta.response.to_owned(), 0);
                        self.report.mismatches.extend(cmp.out);
                    }
                    None if !view(rust, "#", defs).nullable => self.mismatch(
                        meta.name,
                        location.clone(),
                        format!(
                            "`{}` expects a `{}` body, but `{location}` answers without JSON content (make the response `()`)",
                            meta.name, meta.response
                        ),
                    ),
                    None => {}
                },
            }
        }
        let Some(rust_error) = &schemas.error else {
            self.report.notes.push(format!(
                "`{}` has no JSON Schema (derive `JsonSchema`): error responses were not checked",
                meta.error
            ));
            return;
        };
        let mut seen = HashSet::new();
        for (code, response) in responses {
            if code.starts_with('2') || code.starts_with('1') || code.starts_with('3') {
                continue;
            }
            let (response, location) = self.resolve(response, format!("{at}/{}", escape(code)));
            let Some((schema, key)) = json_schema(response) else {
                continue;
            };
            let spec_at = format!("{location}/content/{}/schema", escape(key));
            let spec_view = view(schema, &spec_at, self.refs());
            if !seen.insert(spec_view.location.clone()) {
                continue;
            }
            let mut cmp = Compare::new(defs, self.refs());
            cmp.accepts(rust_error, "#", schema, &spec_at, meta.error.to_owned(), 0);
            for m in cmp.out {
                if !self.report.mismatches.contains(&m) {
                    self.report.mismatches.push(m);
                }
            }
        }
    }
}

/// The JSON schema of a response and its media type key.
fn json_schema(response: &Value) -> Option<(&Value, &str)> {
    let content = response.get("content")?.as_object()?;
    content.iter().find_map(|(key, media)| {
        let base = key.split(';').next().unwrap_or("").trim();
        let json = base == "application/json" || base.ends_with("+json") || base == "*/*";
        json.then(|| media.get("schema").map(|s| (s, key.as_str())))
            .flatten()
    })
}

struct RustMember<'a> {
    name: String,
    item: String,
    can_omit: bool,
    /// `None` when it cannot be told.
    can_null: Option<bool>,
    schema: Option<&'a Value>,
}

/// Whether a Rust type decodes everything a document's schema allows.
struct Compare<'a> {
    rust_refs: Refs<'a>,
    spec_refs: Refs<'a>,
    seen: HashSet<(String, String)>,
    out: Vec<Mismatch>,
}

impl<'a> Compare<'a> {
    fn new(rust_refs: Refs<'a>, spec_refs: Refs<'a>) -> Self {
        Compare {
            rust_refs,
            spec_refs,
            seen: HashSet::new(),
            out: Vec::new(),
        }
    }

    fn push(&mut self, rust: &str, location: &str, message: String) {
        self.out.push(Mismatch {
            rust: rust.to_owned(),
            location: location.to_owned(),
            message,
        });
    }

    fn accepts(
        &mut self,
        rust: &'a Value,
        rust_at: &str,
        spec: &'a Value,
        spec_at: &str,
        item: String,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        let r = view(rust, rust_at, self.rust_refs);
        let s = view(spec, spec_at, self.spec_refs);
        if r.any {
            return;
        }
        if !self.seen.insert((r.location.clone(), s.location.clone())) {
            return;
        }
        let loc = s.location.clone();
        if s.nullable && !r.nullable {
            self.push(
                &item,
                &loc,
                format!("`{item}` is not nullable here but nullable in `{loc}`; a `null` fails to decode (make it `Option`)"),
            );
        }
        if r.alternatives || s.alternatives {
            return;
        }
        let item = r.name.clone().unwrap_or(item);
        if let (Some(rt), Some(st)) = (&r.types, &s.types) {
            let missing: Vec<&str> = st
                .iter()
                .copied()
                .filter(|t| !(rt.contains(t) || (*t == "integer" && rt.contains("number"))))
                .collect();
            if !missing.is_empty() {
                self.push(
                    &item,
                    &loc,
                    format!(
                        "`{item}` decodes {} here, but `{loc}` may send {}",
                        list_set(rt),
                        list(&missing)
                    ),
                );
                return;
            }
            if rt.contains("integer") && st.contains("integer") {
                self.integers(&item, &loc, &r, &s);
            }
        }
        match (&r.values, &s.values) {
            (Some(rv), Some(sv)) => {
                let missing: Vec<String> = sv
                    .iter()
                    .filter(|v| !rv.contains(v))
                    .map(|v| format!("`{v}`"))
                    .collect();
                if !missing.is_empty() {
                    self.push(
                        &item,
                        &loc,
                        format!(
                            "`{item}` has no variant for {}, which `{loc}` lists",
                            missing.join(", ")
                        ),
                    );
                }
            }
            (Some(rv), None) if !s.any => {
                let values: Vec<String> = rv.iter().map(|v| format!("`{v}`")).collect();
                self.push(
                    &item,
                    &loc,
                    format!(
                        "`{item}` accepts only {} here, but `{loc}` allows any value",
                        values.join(", ")
                    ),
                );
            }
            _ => {}
        }
        if s.has_properties() {
            for (name, spec_prop, spec_prop_at) in &s.properties {
                let member = format!("{item}.{name}");
                match r.property(name) {
                    Some((rust_prop, rust_prop_at)) => {
                        if r.required.contains(name) && !s.required.contains(name) {
                            self.push(
                                &member,
                                &loc,
                                format!("`{member}` is required here but optional in `{loc}`; a response without it fails to decode (make it `Option` or `#[serde(default)]`)"),
                            );
                        }
                        let rust_prop_at = rust_prop_at.to_owned();
                        self.accepts(
                            rust_prop,
                            &rust_prop_at,
                            spec_prop,
                            spec_prop_at,
                            member,
                            depth + 1,
                        );
                    }
                    None if r.denies_unknown() => self.push(
                        &item,
                        &loc,
                        format!("`{item}` refuses unknown fields, but `{loc}` may send `{name}`"),
                    ),
                    None => {}
                }
            }
            for (name, _, _) in &r.properties {
                if r.required.contains(name) && s.property(name).is_none() && !s.allows_unknown() {
                    let member = format!("{item}.{name}");
                    self.push(
                        &member,
                        &loc,
                        format!("`{member}` is required here, but `{loc}` has no such member"),
                    );
                }
            }
        }
        if let (Some((ri, ri_at)), Some((si, si_at))) = (&r.items, &s.items) {
            let (ri_at, si_at) = (ri_at.clone(), si_at.clone());
            self.accepts(ri, &ri_at, si, &si_at, format!("{item}[]"), depth + 1);
        }
        if let (Some(ra @ Value::Object(_)), Some(sa @ Value::Object(_))) =
            (r.additional, s.additional)
        {
            let (ra_at, sa_at) = (
                format!("{}/additionalProperties", r.location),
                format!("{loc}/additionalProperties"),
            );
            self.accepts(ra, &ra_at, sa, &sa_at, format!("{item}[..]"), depth + 1);
        }
    }

    fn integers(&mut self, item: &str, loc: &str, r: &View, s: &View) {
        let (rust_bits, rust_unsigned) = int_format(r.format).unwrap_or((64, false));
        let rust_unsigned = rust_unsigned || r.minimum.is_some_and(|m| m >= 0.0);
        let (spec_bits, spec_unsigned) = int_format(s.format).unwrap_or((64, false));
        let spec_unsigned = spec_unsigned || s.minimum.is_some_and(|m| m >= 0.0);
        let rust_format = r.format.unwrap_or("integer");
        let spec_format = s
            .format
            .map_or_else(|| "any integer".to_owned(), |f| format!("`{f}`"));
        if rust_unsigned && !spec_unsigned {
            self.push(
                item,
                loc,
                format!("`{item}` is unsigned (`{rust_format}`) here, but `{loc}` allows negative values ({spec_format}); use a signed integer"),
            );
        } else if rust_bits < spec_bits {
            self.push(
                item,
                loc,
                format!("`{item}` is `{rust_format}` here, narrower than {spec_format} in `{loc}`"),
            );
        }
    }
}

fn list(types: &[&str]) -> String {
    types
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

fn list_set(types: &std::collections::BTreeSet<&str>) -> String {
    list(&types.iter().copied().collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_become_openapi_paths() {
        assert_eq!(
            openapi_path("/v1/<name>:cancel/<id>"),
            (
                "/v1/{name}:cancel/{id}".to_owned(),
                vec!["name".to_owned(), "id".to_owned()]
            )
        );
        assert_eq!(
            shape("/users/{user_id}/x"),
            ("/users/{}/x".to_owned(), vec!["user_id"])
        );
    }
}
