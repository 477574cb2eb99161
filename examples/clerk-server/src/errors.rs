//! Errors, in Clerk's shape.

use crate::*;

pub(crate) fn clerk_error(
    shared: &Shared,
    status: StatusCode,
    code: &str,
    message: &str,
    long_message: &str,
    meta: Option<Value>,
) -> Response {
    let mut error = json!({"message": message, "long_message": long_message, "code": code});
    if let Some(meta) = meta {
        error["meta"] = meta;
    }
    // Unique per response and shaped like Clerk's 32 hex digits.
    let trace = shared.trace.fetch_add(1, Ordering::Relaxed);
    let mut h = DefaultHasher::new();
    (shared.secret.as_str(), trace).hash(&mut h);
    let body =
        json!({"errors": [error], "clerk_trace_id": format!("{:016x}{trace:016x}", h.finish())});
    (status, Json(body)).into_response()
}

pub(crate) fn not_found_error(shared: &Shared, what: &str) -> Response {
    clerk_error(
        shared,
        StatusCode::NOT_FOUND,
        "resource_not_found",
        "not found",
        &format!("{what} not found"),
        None,
    )
}

pub(crate) fn invalid_param(shared: &Shared, param: &str, long_message: &str) -> Response {
    clerk_error(
        shared,
        StatusCode::UNPROCESSABLE_ENTITY,
        "form_param_value_invalid",
        "is invalid",
        long_message,
        Some(json!({"param_name": param})),
    )
}

pub(crate) async fn not_found(State(shared): State<Arc<Shared>>) -> Response {
    not_found_error(&shared, "Resource")
}

/// Logs the request and checks the bearer secret key, as Clerk does before anything else.
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(String::new, |pq| pq.as_str().to_owned());
    let api_version = request
        .headers()
        .get("clerk-api-version")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    lock(&shared.log).push(Seen {
        method: request.method().to_string(),
        target,
        api_version: api_version.clone(),
    });
    let expected = format!("Bearer {}", shared.secret);
    let given = request.headers().get(header::AUTHORIZATION);
    if given.is_none_or(|value| value.as_bytes() != expected.as_bytes()) {
        return clerk_error(
            &shared,
            StatusCode::UNAUTHORIZED,
            "authentication_invalid",
            "Invalid authentication",
            "Unable to authenticate the request, you need to supply an active API key",
            None,
        );
    }
    if let Some(version) = api_version {
        if !API_VERSIONS.contains(&version.as_str()) {
            return clerk_error(
                &shared,
                StatusCode::BAD_REQUEST,
                "api_version_invalid",
                "Invalid API version",
                &format!("`{version}` is not a Clerk API version; known: {API_VERSIONS:?}"),
                None,
            );
        }
    }
    next.run(request).await
}
