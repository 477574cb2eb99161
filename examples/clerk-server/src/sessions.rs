//! Sessions: tokens.

use crate::*;

pub(crate) async fn create_token_from_template(
    State(shared): State<Arc<Shared>>,
    Path((session_id, template_name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    mint(&shared, &session_id, Some(&template_name), &body)
}

pub(crate) async fn create_token(
    State(shared): State<Arc<Shared>>,
    Path(session_id): Path<String>,
    body: Bytes,
) -> Response {
    mint(&shared, &session_id, None, &body)
}

pub(crate) fn mint(
    shared: &Shared,
    session_id: &str,
    template: Option<&str>,
    body: &[u8],
) -> Response {
    let lifetime = match expires_in_seconds(body) {
        Ok(lifetime) => lifetime.unwrap_or(DEFAULT_LIFETIME),
        Err(long_message) => return invalid_param(shared, "expires_in_seconds", &long_message),
    };
    let data = lock(&shared.data);
    let Some(session) = data.sessions.get(session_id) else {
        return not_found_error(shared, "Session");
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut claims = json!({
        "azp": "http://localhost:3000",
        "exp": now + lifetime,
        "iat": now,
        "iss": "https://clerk.local.test",
        "nbf": now.saturating_sub(5),
        "sid": session_id,
        "sub": session.user_id,
    });
    if let Some(name) = template {
        let Some(custom) = data.templates.get(name) else {
            return not_found_error(shared, "JWT template");
        };
        let custom = custom
            .to_string()
            .replace("{{user.id}}", &session.user_id)
            .replace("{{user.primary_email_address}}", "alice@example.com");
        if let (Value::Object(claims), Ok(Value::Object(custom))) =
            (&mut claims, serde_json::from_str(&custom))
        {
            claims.extend(custom);
        }
    }
    let jwt = sign(&shared.secret, &claims);
    Json(json!({"object": "token", "jwt": jwt})).into_response()
}

/// `expires_in_seconds` of an optional JSON body: absent or `null` is `None`.
pub(crate) fn expires_in_seconds(body: &[u8]) -> Result<Option<u64>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let body: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    match body.get("expires_in_seconds") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_u64() {
            Some(n) if (EXPIRES_MIN..=EXPIRES_MAX).contains(&n) => Ok(Some(n)),
            _ => Err(format!(
                "expires_in_seconds must be an integer between {EXPIRES_MIN} and {EXPIRES_MAX}, got {value}"
            )),
        },
    }
}
