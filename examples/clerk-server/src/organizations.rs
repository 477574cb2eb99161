//! Organizations.

use crate::*;

pub(crate) async fn list_organizations(
    State(shared): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = Params::parse(raw);
    let (offset, limit) = match window(&shared, &params) {
        Ok(window) => window,
        Err(response) => return response,
    };
    let data = lock(&shared.data);
    let query = params.one("query").map(str::to_lowercase);
    let mut organizations: Vec<Value> = data
        .organizations
        .iter()
        .filter(|o| {
            query.as_deref().is_none_or(|q| {
                ["name", "slug", "id"]
                    .iter()
                    .any(|k| o[*k].as_str().is_some_and(|v| v.to_lowercase().contains(q)))
            })
        })
        .map(|o| {
            let mut o = o.clone();
            let id = o["id"].as_str().unwrap_or_default().to_owned();
            o["members_count"] = json!(data.members_count(&id));
            o
        })
        .collect();
    let allowed = ["name", "created_at", "members_count"];
    if let Err(response) = sort_by(
        &shared,
        &mut organizations,
        params.one("order_by"),
        &allowed,
    ) {
        return response;
    }
    let total_count = organizations.len();
    let include_count = params.one("include_members_count") == Some("true");
    let data: Vec<Value> = page(organizations, offset, limit)
        .into_iter()
        .map(|mut o| {
            if !include_count {
                if let Value::Object(map) = &mut o {
                    map.remove("members_count");
                }
            }
            o
        })
        .collect();
    Json(json!({"data": data, "total_count": total_count})).into_response()
}

pub(crate) async fn update_membership(
    State(shared): State<Arc<Shared>>,
    Path((organization_id, user_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let changes = match json_object(&shared, &body) {
        Ok(changes) => changes,
        Err(response) => return response,
    };
    let role = match changes.get("role") {
        None | Some(Value::Null) => {
            return clerk_error(
                &shared,
                StatusCode::UNPROCESSABLE_ENTITY,
                "form_param_missing",
                "is missing",
                "role must be included",
                Some(json!({"param_name": "role"})),
            )
        }
        Some(Value::String(role)) if ["org:admin", "org:member"].contains(&role.as_str()) => {
            role.clone()
        }
        Some(other) => {
            return invalid_param(
                &shared,
                "role",
                &format!("role must be org:admin or org:member, got {other}"),
            )
        }
    };
    let mut data = lock(&shared.data);
    if data.organization(&organization_id).is_none() {
        return not_found_error(&shared, "Organization");
    }
    let Some(m) = data
        .memberships
        .iter_mut()
        .find(|m| m.organization_id == organization_id && m.user_id == user_id)
    else {
        return not_found_error(&shared, "Organization membership");
    };
    m.role = role;
    m.updated_at = now_ms();
    let id = m.id.clone();
    let m = data.memberships.iter().find(|m| m.id == id);
    Json(m.map(|m| data.membership_json(m))).into_response()
}

pub(crate) async fn delete_membership(
    State(shared): State<Arc<Shared>>,
    Path((organization_id, user_id)): Path<(String, String)>,
) -> Response {
    let mut data = lock(&shared.data);
    if data.organization(&organization_id).is_none() {
        return not_found_error(&shared, "Organization");
    }
    let Some(at) = data
        .memberships
        .iter()
        .position(|m| m.organization_id == organization_id && m.user_id == user_id)
    else {
        return not_found_error(&shared, "Organization membership");
    };
    let body = data.membership_json(&data.memberships[at]);
    data.memberships.remove(at);
    Json(body).into_response()
}
