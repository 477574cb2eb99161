//! Instance.

use crate::*;

pub(crate) async fn update_instance(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    for (key, value) in &changes {
        let ok = match key.as_str() {
            "test_mode"
            | "hibp"
            | "enhanced_email_deliverability"
            | "url_based_session_syncing" => value.is_boolean(),
            "support_email" | "clerk_js_version" | "development_origin" => {
                value.is_string() || value.is_null()
            }
            "allowed_origins" => value
                .as_array()
                .is_some_and(|origins| origins.iter().all(Value::is_string)),
            _ => false,
        };
        if !ok {
            return invalid_param(
                &shared,
                key,
                &format!("{key} has an invalid value: {value}"),
            );
        }
    }
    lock(&shared.data).instance.extend(changes);
    StatusCode::NO_CONTENT.into_response()
}
