//! Query strings, pages, bodies.

use crate::*;

/// Every `key=value` pair of a query string, repeated keys kept.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(raw: Option<String>) -> Params {
        let raw = raw.unwrap_or_default();
        Params(
            form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    pub(crate) fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub(crate) fn one(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `(offset, limit)`, with Clerk's bounds (limit 1..=500, 10 by default).
pub(crate) fn window(shared: &Shared, params: &Params) -> Result<(usize, usize), Response> {
    let limit = match params.one("limit") {
        None => 10,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=500).contains(&n) => n,
            _ => {
                return Err(invalid_param(
                    shared,
                    "limit",
                    &format!("limit must be an integer between 1 and 500, got {v:?}"),
                ))
            }
        },
    };
    let offset = match params.one("offset") {
        None => 0,
        Some(v) => v.parse::<usize>().map_err(|_| {
            invalid_param(
                shared,
                "offset",
                &format!("offset must be a non-negative integer, got {v:?}"),
            )
        })?,
    };
    Ok((offset, limit))
}

/// Sorts by `order_by` (`field` or `-field`), or refuses a field outside `allowed`.
pub(crate) fn sort_by(
    shared: &Shared,
    items: &mut [Value],
    order_by: Option<&str>,
    allowed: &[&str],
) -> Result<(), Response> {
    let order_by = order_by.unwrap_or("-created_at");
    let (descending, field) = match order_by.strip_prefix('-') {
        Some(field) => (true, field),
        None => (false, order_by.strip_prefix('+').unwrap_or(order_by)),
    };
    if !allowed.contains(&field) {
        return Err(invalid_param(
            shared,
            "order_by",
            &format!("order_by must be one of {allowed:?}, optionally prefixed with + or -"),
        ));
    }
    let key = |v: &Value| -> (Option<i64>, Option<String>) {
        let value = if field == "email_address" {
            primary_email(v).map(Value::String).unwrap_or(Value::Null)
        } else {
            v[field].clone()
        };
        (value.as_i64(), value.as_str().map(str::to_lowercase))
    };
    items.sort_by(|a, b| {
        let order = key(a).cmp(&key(b));
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    Ok(())
}

pub(crate) fn page(items: Vec<Value>, offset: usize, limit: usize) -> Vec<Value> {
    items.into_iter().skip(offset).take(limit).collect()
}

/// The body as a JSON object; an empty body is an empty object.
pub(crate) fn json_object(shared: &Shared, body: &[u8]) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(clerk_error(
            shared,
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
            "is invalid",
            "the request body must be a JSON object",
            None,
        )),
    }
}
