//! One view of a schema, whichever dialect wrote it: OpenAPI 3.0 (`nullable: true`), 3.1 and
//! JSON Schema 2020-12 (`type: [.., "null"]`, `anyOf: [.., {type: null}]`), with `$ref`
//! followed and `allOf` merged.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// Where `$ref`s point: the OpenAPI document, or the definitions schemars collected.
#[derive(Clone, Copy)]
pub enum Refs<'a> {
    /// `#/...` pointers into the document.
    Document(&'a Value),
    /// `#/components/schemas/Name` (or `#/$defs/Name`) looked up by name.
    Definitions(&'a Map<String, Value>),
    /// Nowhere: every `$ref` is left unresolved.
    Nothing,
}

impl<'a> Refs<'a> {
    /// The schema `reference` points at.
    pub fn get(self, reference: &str) -> Option<&'a Value> {
        match self {
            Refs::Document(doc) => doc.pointer(reference.strip_prefix('#')?),
            Refs::Definitions(defs) => defs.get(reference.rsplit('/').next()?),
            Refs::Nothing => None,
        }
    }
}

/// A schema, resolved.
#[derive(Debug, Clone, Default)]
pub struct View<'a> {
    /// Where it was written: the last `$ref` followed, or the pointer it was reached by.
    pub location: String,
    /// The name of the definition it came from (`User`), if any.
    pub name: Option<String>,
    /// Allowed JSON types other than `null`; `None` for any.
    pub types: Option<BTreeSet<&'a str>>,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Whether it accepts anything (`true`, `{}`).
    pub any: bool,
    pub format: Option<&'a str>,
    pub minimum: Option<f64>,
    /// `enum` and `const` values, when it is limited to them (`null` left out).
    pub values: Option<Vec<&'a Value>>,
    pub properties: Vec<(&'a str, &'a Value, String)>,
    pub required: BTreeSet<&'a str>,
    /// `additionalProperties`: `Some(false)` when unknown members are refused.
    pub additional: Option<&'a Value>,
    pub items: Option<(&'a Value, String)>,
    /// More than one alternative that is not `null` (`oneOf`, `anyOf`): not compared further.
    pub alternatives: bool,
}

impl<'a> View<'a> {
    /// Whether the schema declares members.
    pub fn has_properties(&self) -> bool {
        !self.properties.is_empty()
    }

    /// A member's schema and the location to quote for it.
    pub fn property(&self, name: &str) -> Option<(&'a Value, &str)> {
        self.properties
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, s, l)| (*s, l.as_str()))
    }

    /// Whether unknown members are refused.
    pub fn denies_unknown(&self) -> bool {
        self.additional == Some(&Value::Bool(false))
    }

    /// Whether unknown members are explicitly allowed (`additionalProperties: true` or a schema).
    pub fn allows_unknown(&self) -> bool {
        matches!(self.additional, Some(v) if v != &Value::Bool(false))
    }
}

/// `schema`, reached at `location`, seen through `refs`.
pub fn view<'a>(schema: &'a Value, location: &str, refs: Refs<'a>) -> View<'a> {
    let mut out = View {
        location: location.to_owned(),
        ..View::default()
    };
    merge(&mut out, schema, location, refs, 0);
    out
}

/// Keywords that describe a schema without limiting what it accepts.
const ANNOTATIONS: [&str; 9] = [
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

// Deep enough for any real allOf / $ref chain; stops a reference cycle.
const MAX_DEPTH: usize = 32;

fn merge<'a>(out: &mut View<'a>, schema: &'a Value, location: &str, refs: Refs<'a>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let obj = match schema {
        Value::Bool(true) => {
            out.any = true;
            out.nullable = true;
            return;
        }
        Value::Object(obj) => obj,
        _ => return,
    };
    if obj.keys().all(|k| ANNOTATIONS.contains(&k.as_str())) {
        out.any = true;
        out.nullable = true;
        return;
    }
    if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
        if let Some(target) = refs.get(reference) {
            out.location = reference.to_owned();
            out.name = reference.rsplit('/').next().map(str::to_owned);
            merge(out, target, reference, refs, depth + 1);
        }
    }
    match obj.get("type") {
        Some(Value::String(t)) => add_types(out, [t.as_str()]),
        Some(Value::Array(ts)) => add_types(out, ts.iter().filter_map(Value::as_str)),
        _ => {}
    }
    if obj.get("nullable") == Some(&Value::Bool(true)) {
        out.nullable = true;
    }
    if let Some(format) = obj.get("format").and_then(Value::as_str) {
        out.format = Some(format);
    }
    if let Some(min) = obj.get("minimum").and_then(Value::as_f64) {
        out.minimum = Some(min);
    }
    let mut values: Option<Vec<&Value>> = None;
    if let Some(list) = obj.get("enum").and_then(Value::as_array) {
        values = Some(list.iter().collect());
    }
    if let Some(value) = obj.get("const") {
        values = Some(vec![value]);
    }
    if let Some(values) = values {
        if values.iter().any(|v| v.is_null()) {
            out.nullable = true;
        }
        out.values = Some(values.into_iter().filter(|v| !v.is_null()).collect());
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let at = format!("{location}/properties/{}", escape(name));
            out.properties.retain(|(n, _, _)| n != name);
            out.properties.push((name, prop, at));
        }
    }
    if let Some(required) = obj.get("required").and_then(Value::as_array) {
        out.required
            .extend(required.iter().filter_map(Value::as_str));
    }
    if let Some(additional) = obj.get("additionalProperties") {
        out.additional = Some(additional);
    }
    if let Some(items) = obj.get("items") {
        out.items = Some((items, format!("{location}/items")));
    }
    if let Some(parts) = obj.get("allOf").and_then(Value::as_array) {
        for (i, part) in parts.iter().enumerate() {
            // Nullability of an `allOf` is its own (`allOf: [$ref], nullable: true`), not
            // that of a part, which every value must also match.
            let (nullable, named) = (out.nullable, out.name.clone());
            let at = out.location.clone();
            merge(out, part, &format!("{location}/allOf/{i}"), refs, depth + 1);
            out.nullable = nullable;
            // A named schema built from parts keeps its name (`Thing`, not its `Base`).
            if named.is_some() {
                out.name = named;
                out.location = at;
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        let Some(parts) = obj.get(key).and_then(Value::as_array) else {
            continue;
        };
        let mut rest = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let at = format!("{location}/{key}/{i}");
            let seen = view(part, &at, refs);
            if seen.types.as_ref().is_some_and(BTreeSet::is_empty) && seen.nullable {
                out.nullable = true;
            } else {
                rest.push((part, at, seen));
            }
        }
        // Alternatives that are all fixed values (a Rust enum with documented variants).
        if rest.len() > 1 && rest.iter().all(|(_, _, v)| v.values.is_some()) {
            let mut all = Vec::new();
            for (_, _, seen) in &rest {
                all.extend(seen.values.iter().flatten().copied());
                if let Some(types) = &seen.types {
                    add_types(out, types.iter().copied());
                }
                out.nullable |= seen.nullable;
            }
            out.values = Some(all);
            continue;
        }
        match rest.as_slice() {
            [(part, at, seen)] => {
                out.nullable |= seen.nullable;
                merge(out, part, at, refs, depth + 1);
            }
            [] => {}
            _ => out.alternatives = true,
        }
    }
}

fn add_types<'a>(out: &mut View<'a>, types: impl IntoIterator<Item = &'a str>) {
    let set = out.types.get_or_insert_with(BTreeSet::new);
    for t in types {
        if t == "null" {
            out.nullable = true;
        } else {
            set.insert(t);
        }
    }
}

/// A JSON pointer token: `~` and `/` escaped.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The bits an integer format holds and whether it is unsigned: `int64` is (64, false).
pub fn int_format(format: Option<&str>) -> Option<(u32, bool)> {
    let format = format?;
    let (unsigned, digits) = match format.strip_prefix("uint") {
        Some(rest) => (true, rest),
        None => (false, format.strip_prefix("int")?),
    };
    Some((digits.parse().ok()?, unsigned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_is_read_in_every_dialect() {
        let doc = json!({"components": {"schemas": {"A": {"type": "string"}}}});
        let refs = Refs::Document(&doc);
        for schema in [
            json!({"type": "string", "nullable": true}),
            json!({"type": ["string", "null"]}),
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}),
            json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true}),
            json!({"oneOf": [{"type": "string"}, {"type": "null"}]}),
        ] {
            let seen = view(&schema, "#", refs);
            assert!(seen.nullable, "{schema}");
            assert_eq!(seen.types, Some(BTreeSet::from(["string"])), "{schema}");
        }
        let plain = json!({"allOf": [{"$ref": "#/components/schemas/A"}]});
        assert!(!view(&plain, "#", refs).nullable);
    }

    #[test]
    fn all_of_merges_members_and_keeps_the_reference_as_location() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        }}});
        let schema = json!({"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"properties": {"name": {"type": "string"}}},
        ]});
        let seen = view(&schema, "#/x", Refs::Document(&doc));
        assert!(seen.property("id").is_some() && seen.property("name").is_some());
        assert!(seen.required.contains("id"));
        assert_eq!(
            seen.property("id").unwrap().1,
            "#/components/schemas/Base/properties/id"
        );
    }

    #[test]
    fn integer_formats() {
        assert_eq!(int_format(Some("int64")), Some((64, false)));
        assert_eq!(int_format(Some("uint8")), Some((8, true)));
        assert_eq!(int_format(Some("date-time")), None);
    }
}
