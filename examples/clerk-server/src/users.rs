//! Users.

use crate::*;

pub(crate) fn user_matches(data: &Data, user: &Value, params: &Params) -> bool {
    let strings = |key: &str, field: &str| -> Vec<String> {
        user[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[field].as_str().map(str::to_owned))
            .collect()
    };
    let single =
        |key: &str| -> Vec<String> { user[key].as_str().map(str::to_owned).into_iter().collect() };
    let id = user["id"].as_str().unwrap_or_default();
    let organizations: Vec<String> = data
        .memberships
        .iter()
        .filter(|m| m.user_id == id)
        .map(|m| m.organization_id.clone())
        .collect();
    let emails = strings("email_addresses", "email_address");
    let phones = strings("phone_numbers", "phone_number");
    let filters = [
        ("email_address", emails.clone()),
        ("phone_number", phones.clone()),
        ("external_id", single("external_id")),
        ("username", single("username")),
        ("user_id", single("id")),
        ("organization_id", organizations),
    ];
    // Each filter matches any of its values; all the filters given must match.
    let filtered = filters.iter().all(|(key, values)| {
        let wanted = params.all(key);
        wanted.is_empty()
            || wanted
                .iter()
                .any(|w| values.iter().any(|v| v.eq_ignore_ascii_case(w)))
    });
    let queried = params.one("query").is_none_or(|q| {
        let q = q.to_lowercase();
        let mut haystack = emails;
        haystack.extend(phones);
        for key in ["username", "first_name", "last_name", "id"] {
            haystack.extend(single(key));
        }
        haystack.iter().any(|h| h.to_lowercase().contains(&q))
    });
    filtered && queried
}

pub(crate) async fn list_users(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = Params::parse(raw);
    let (offset, limit) = match window(&shared, &params) {
        Ok(window) => window,
        Err(response) => return response,
    };
    let data = lock(&shared.data);
    let mut users: Vec<Value> = data
        .users
        .iter()
        .filter(|u| user_matches(&data, u, &params))
        .cloned()
        .collect();
    let allowed = [
        "created_at",
        "updated_at",
        "email_address",
        "first_name",
        "last_name",
        "username",
    ];
    if let Err(response) = sort_by(&shared, &mut users, params.one("order_by"), &allowed) {
        return response;
    }
    Json(page(users, offset, limit)).into_response()
}

pub(crate) async fn count_users(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = Params::parse(raw);
    let data = lock(&shared.data);
    let count = data
        .users
        .iter()
        .filter(|u| user_matches(&data, u, &params))
        .count();
    Json(json!({"object": "total_count", "total_count": count})).into_response()
}

pub(crate) async fn get_user(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
) -> Response {
    match lock(&shared.data).user(&user_id) {
        Some(user) => Json(user.clone()).into_response(),
        None => not_found_error(&shared, "User"),
    }
}

pub(crate) async fn update_user(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    let mut data = lock(&shared.data);
    let Some(user) = data.user(&user_id) else {
        return not_found_error(&shared, "User");
    };
    // Check everything first, so that a refused update changes nothing.
    for (key, value) in &changes {
        let ok = match key.as_str() {
            "external_id" | "first_name" | "last_name" | "username" => {
                value.is_string() || value.is_null()
            }
            "primary_email_address_id" => value.as_str().is_some_and(|id| {
                user["email_addresses"]
                    .as_array()
                    .is_some_and(|emails| emails.iter().any(|e| e["id"] == id))
            }),
            "public_metadata" | "private_metadata" | "unsafe_metadata" => {
                value.is_object() || value.is_null()
            }
            _ => {
                return clerk_error(
                    &shared,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "form_param_unknown",
                    "is unknown",
                    &format!("{key} is not a valid parameter for this request"),
                    Some(json!({"param_name": key})),
                )
            }
        };
        if !ok {
            return invalid_param(
                &shared,
                key,
                &format!("{key} has an invalid value: {value}"),
            );
        }
    }
    if let Some(Value::String(username)) = changes.get("username") {
        let taken = data
            .users
            .iter()
            .any(|u| u["id"] != user_id.as_str() && u["username"] == username.as_str());
        if taken {
            return clerk_error(
                &shared,
                StatusCode::UNPROCESSABLE_ENTITY,
                "form_identifier_exists",
                "That username is taken. Please try another.",
                "That username is taken. Please try another.",
                Some(json!({"param_name": "username"})),
            );
        }
    }
    let Some(user) = data.user_mut(&user_id) else {
        return not_found_error(&shared, "User");
    };
    for (key, value) in changes {
        // Metadata is never null: clearing it leaves an empty object.
        let value = match (key.ends_with("_metadata"), value) {
            (true, Value::Null) => json!({}),
            (_, value) => value,
        };
        user[key.as_str()] = value;
    }
    user["updated_at"] = json!(now_ms());
    Json(user.clone()).into_response()
}

pub(crate) async fn delete_user(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
) -> Response {
    let mut data = lock(&shared.data);
    let Some(at) = data.users.iter().position(|u| u["id"] == user_id.as_str()) else {
        return not_found_error(&shared, "User");
    };
    data.users.remove(at);
    data.memberships.retain(|m| m.user_id != user_id);
    data.sessions.retain(|_, s| s.user_id != user_id);
    Json(json!({"object": "user", "id": user_id, "deleted": true})).into_response()
}

/// Clerk's metadata merge: objects merge recursively, `null` removes a key, anything else
/// replaces.
pub(crate) fn deep_merge(target: &mut Value, patch: &Value) {
    let (Value::Object(target), Value::Object(patch)) = (target, patch) else {
        return;
    };
    for (key, value) in patch {
        match value {
            Value::Null => {
                target.remove(key);
            }
            Value::Object(_) if target.get(key).is_some_and(Value::is_object) => {
                if let Some(inner) = target.get_mut(key) {
                    deep_merge(inner, value);
                }
            }
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

pub(crate) async fn merge_metadata(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    for (key, value) in &changes {
        let known = matches!(
            key.as_str(),
            "public_metadata" | "private_metadata" | "unsafe_metadata"
        );
        if !known || !(value.is_object() || value.is_null()) {
            return invalid_param(&shared, key, &format!("{key} must be a metadata object"));
        }
    }
    let mut data = lock(&shared.data);
    let Some(user) = data.user_mut(&user_id) else {
        return not_found_error(&shared, "User");
    };
    for (key, patch) in &changes {
        deep_merge(&mut user[key.as_str()], patch);
    }
    user["updated_at"] = json!(now_ms());
    Json(user.clone()).into_response()
}

/// The first `name="file"` part of a `multipart/form-data` body: `(filename, bytes)`.
pub(crate) fn multipart_file<'b>(
    headers: &HeaderMap,
    body: &'b [u8],
) -> Option<(String, &'b [u8])> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let boundary = content_type
        .strip_prefix("multipart/form-data")?
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut rest = body;
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        rest = &rest[at + delimiter.len()..];
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        let content = &rest[head_end + 4..];
        let end = find(content, format!("\r\n{delimiter}").as_bytes())?;
        if head.contains("name=\"file\"") {
            let filename = head
                .split("filename=\"")
                .nth(1)
                .and_then(|f| f.split('"').next())
                .unwrap_or("file")
                .to_owned();
            return Some((filename, &content[..end]));
        }
        rest = &content[end..];
    }
    None
}

pub(crate) async fn upload_image(
    State(shared): State<Arc<Shared>>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((filename, file)) = multipart_file(&headers, &body) else {
        return clerk_error(
            &shared,
            StatusCode::BAD_REQUEST,
            "form_param_missing",
            "is missing",
            "a multipart/form-data body with a `file` part is required",
            Some(json!({"param_name": "file"})),
        );
    };
    if file.is_empty() {
        return invalid_param(&shared, "file", "the file is empty");
    }
    let len = file.len();
    let mut data = lock(&shared.data);
    let Some(user) = data.user_mut(&user_id) else {
        return not_found_error(&shared, "User");
    };
    user["has_image"] = json!(true);
    user["image_url"] = json!(format!(
        "https://img.clerk.com/local/{user_id}/{len}-{filename}"
    ));
    user["updated_at"] = json!(now_ms());
    Json(user.clone()).into_response()
}
