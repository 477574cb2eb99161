//! A Clerk Backend API client written with restruct: each operation is one struct. The
//! `clerk` example (`examples/clerk/main.rs`) sends them; the tests and benches use them too.
//!
//! <https://clerk.com/docs/reference/backend-api>; base URL `https://api.clerk.com/v1`, bearer
//! secret key. Errors come back as [`ClerkErrors`].

use restruct::{endpoint, Api, FilePart, Nullable, Validate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Clerk's production base URL.
pub const BASE_URL: &str = "https://api.clerk.com/v1";

/// The API version every operation below asks for with `Clerk-API-Version` (the seed request
/// is kept exactly as the README has it, and sends whatever the client's defaults say).
pub const API_VERSION: &str = "2025-04-10";

/// What every Clerk endpoint below shares: the error body and the API version, declared once
/// and named with `api = Clerk`.
pub struct Clerk;

impl Api for Clerk {
    type Error = ClerkErrors;
    const HEADERS: &'static [(&'static str, &'static str)] = &[("Clerk-API-Version", API_VERSION)];
}

// ---------------------------------------------------------------------------------------------
// Errors

/// The body of every non-2xx Clerk response.
#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct ClerkErrors {
    pub errors: Vec<ClerkError>,
    /// Quote it to Clerk support; absent on some responses.
    #[serde(default)]
    pub clerk_trace_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct ClerkError {
    pub message: String,
    pub long_message: String,
    pub code: String,
    /// Extra context, e.g. `{"param_name": "expires_in_seconds"}`.
    #[serde(default)]
    pub meta: Option<Value>,
}

impl ClerkErrors {
    /// Whether any error carries `code` (`resource_not_found`, `form_param_value_invalid`).
    pub fn has_code(&self, code: &str) -> bool {
        self.errors.iter().any(|e| e.code == code)
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions: tokens

#[derive(Debug, Clone, Default, Serialize, Validate)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct CreateSessionTokenFromTemplateRequestBody {
    /// Overrides the JWT lifetime (Clerk accepts 30..=315360000).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 30, max = 315360000))]
    pub expires_in_seconds: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct Token {
    /// `token`; the spec promises neither member, so a missing one decodes as empty.
    #[serde(default)]
    pub object: String,
    #[serde(default)]
    pub jwt: String,
}

/// `POST /sessions/{session_id}/tokens/{template_name}`: a JWT for the session, shaped by a JWT
/// template of the instance. This is the README's seed request, with Clerk's bounds on the
/// lifetime checked before anything is sent (`#[validate(nested)]`).
#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = Token, error = ClerkErrors)]
#[derive(Debug, Clone)]
pub struct CreateSessionTokenFromTemplateRequest {
    /// The ID of the session
    pub session_id: String,
    /// The name of the JWT template defined in your instance (e.g. `custom_hasura`)
    pub template_name: String,
    #[body]
    #[validate(nested)]
    pub request_body: Option<CreateSessionTokenFromTemplateRequestBody>,
}

/// `POST /sessions/{session_id}/tokens`: a session token (no template), optionally with
/// another lifetime.
#[endpoint(POST, "/sessions/<session_id>/tokens", response = Token, api = Clerk)]
#[derive(Debug, Clone, Default)]
pub struct CreateSessionToken {
    pub session_id: String,
    /// 30..=315360000; `Null` asks for the default lifetime explicitly, and an unset value is
    /// left out of the body.
    #[validate(range(min = 30, max = 315360000))]
    pub expires_in_seconds: Nullable<u64>,
}

// ---------------------------------------------------------------------------------------------
// Users

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct User {
    pub object: String,
    pub id: String,
    pub external_id: Option<String>,
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub primary_email_address_id: Option<String>,
    #[serde(default)]
    pub email_addresses: Vec<EmailAddress>,
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    #[serde(default)]
    pub public_metadata: Value,
    /// `null` when never set (nullable in the spec); `Value` takes it as `Value::Null`.
    #[serde(default)]
    pub private_metadata: Value,
    #[serde(default)]
    pub unsafe_metadata: Value,
    #[serde(default)]
    pub has_image: bool,
    pub image_url: Option<String>,
    /// Unix time in milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl User {
    /// The primary email address, if the user has one.
    pub fn primary_email(&self) -> Option<&str> {
        let primary = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|e| e.id.as_deref() == Some(primary))
            .map(|e| e.email_address.as_str())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct EmailAddress {
    /// Optional in the spec (a reserved address may have none).
    pub id: Option<String>,
    pub email_address: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct PhoneNumber {
    pub id: Option<String>,
    pub phone_number: String,
}

/// `{object: "total_count", total_count}`
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct TotalCount {
    pub object: String,
    /// Signed, as the spec has it (`int64`).
    pub total_count: i64,
}

/// `{object, id, deleted}`: what a `DELETE` answers.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct DeletedObject {
    pub object: String,
    /// Optional in the spec.
    pub id: Option<String>,
    pub deleted: bool,
}

/// `GET /users`: users matching every filter given; each list filter matches any of its values
/// and is sent as a repeated key (`email_address=a&email_address=b`). The answer is a bare array,
/// paged by offset and limit (`client.paginate(GetUserList::default())`).
#[endpoint(GET, "/users", response = Vec<User>, api = Clerk, paginate = offset)]
#[derive(Debug, Clone, Default)]
pub struct GetUserList {
    #[query]
    pub email_address: Vec<String>,
    #[query]
    pub phone_number: Vec<String>,
    #[query]
    pub external_id: Vec<String>,
    #[query]
    pub username: Vec<String>,
    #[query]
    pub user_id: Vec<String>,
    #[query]
    pub organization_id: Vec<String>,
    /// Matches part of an email address, phone number, username, name or id.
    #[query]
    pub query: Option<String>,
    /// `created_at`, `updated_at`, `email_address`, `first_name`, `last_name`, `username`;
    /// `-` sorts descending (`-created_at`, the default).
    #[query]
    pub order_by: Option<String>,
    /// 1..=500, 10 when left out.
    #[query]
    #[paginate(limit)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<u64>,
    #[query]
    #[paginate(offset)]
    pub offset: Option<u64>,
}

/// `GET /users/count`: how many users match the same filters as [`GetUserList`].
#[endpoint(GET, "/users/count", response = TotalCount, api = Clerk)]
#[derive(Debug, Clone, Default)]
pub struct GetUsersCount {
    #[query]
    pub email_address: Vec<String>,
    #[query]
    pub phone_number: Vec<String>,
    #[query]
    pub external_id: Vec<String>,
    #[query]
    pub username: Vec<String>,
    #[query]
    pub user_id: Vec<String>,
    #[query]
    pub organization_id: Vec<String>,
    #[query]
    pub query: Option<String>,
}

/// `GET /users/{user_id}`
#[endpoint(GET, "/users/<user_id>", response = User, api = Clerk)]
#[derive(Debug, Clone)]
pub struct GetUser {
    pub user_id: String,
}

/// `PATCH /users/{user_id}`: every field is optional and nullable. `Unset` keeps the stored
/// value, `Null` clears it, a value replaces it (metadata too: see [`MergeUserMetadata`] to
/// merge instead).
#[endpoint(PATCH, "/users/<user_id>", response = User, api = Clerk)]
#[derive(Debug, Clone, Default)]
pub struct UpdateUser {
    pub user_id: String,
    pub external_id: Nullable<String>,
    pub first_name: Nullable<String>,
    pub last_name: Nullable<String>,
    pub username: Nullable<String>,
    pub primary_email_address_id: Nullable<String>,
    pub public_metadata: Nullable<Value>,
    pub private_metadata: Nullable<Value>,
    pub unsafe_metadata: Nullable<Value>,
}

/// `DELETE /users/{user_id}`
#[endpoint(DELETE, "/users/<user_id>", response = DeletedObject, api = Clerk)]
#[derive(Debug, Clone)]
pub struct DeleteUser {
    pub user_id: String,
}

/// `PATCH /users/{user_id}/metadata`: deep-merges each given object into the stored one; a key
/// set to `null` is removed.
#[endpoint(PATCH, "/users/<user_id>/metadata", response = User, api = Clerk)]
#[derive(Debug, Clone, Default)]
pub struct MergeUserMetadata {
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsafe_metadata: Option<Value>,
}

/// `POST /users/{user_id}/profile_image`: a `multipart/form-data` body with one file part,
/// `file` (its file name, content type and bytes).
#[endpoint(POST, "/users/<user_id>/profile_image", response = User, api = Clerk, multipart)]
#[derive(Debug, Clone)]
pub struct UploadProfileImage {
    pub user_id: String,
    /// Optional in Clerk's spec, as every member of that form is.
    pub file: Option<FilePart>,
}

// ---------------------------------------------------------------------------------------------
// Organizations

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct Organization {
    pub object: String,
    pub id: String,
    pub name: String,
    pub slug: String,
    #[serde(default)]
    pub members_count: Option<i64>,
    #[serde(default)]
    pub public_metadata: Value,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `{data, total_count}`: one page of organizations and the total across pages.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct OrganizationList {
    pub data: Vec<Organization>,
    pub total_count: i64,
}

/// `GET /organizations`: `{data, total_count}` pages by offset and limit.
#[endpoint(GET, "/organizations", response = OrganizationList, api = Clerk,
           paginate(offset, items = data, item = Organization, total = total_count))]
#[derive(Debug, Clone, Default)]
pub struct ListOrganizations {
    /// Matches part of the name, slug or id.
    #[query]
    pub query: Option<String>,
    /// `name`, `created_at`, `members_count`; `-` sorts descending (`-created_at`, the default).
    #[query]
    pub order_by: Option<String>,
    #[query]
    pub include_members_count: Option<bool>,
    /// 1..=500, 10 when left out.
    #[query]
    #[paginate(limit)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<u64>,
    #[query]
    #[paginate(offset)]
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct OrganizationMembership {
    pub object: String,
    pub id: String,
    /// `org:admin`, `org:member`
    pub role: String,
    pub organization: Organization,
    /// Optional in the spec.
    pub public_user_data: Option<PublicUserData>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(restruct::schemars::JsonSchema),
    schemars(crate = "restruct::schemars")
)]
pub struct PublicUserData {
    pub user_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Optional and nullable in the spec: a user without email or phone has none.
    pub identifier: Option<String>,
}

impl OrganizationMembership {
    /// The member's email address or phone number, when the answer has one.
    pub fn identifier(&self) -> Option<&str> {
        self.public_user_data.as_ref()?.identifier.as_deref()
    }
}

/// `PATCH /organizations/{organization_id}/memberships/{user_id}`: changes a member's role.
#[endpoint(PATCH, "/organizations/<organization_id>/memberships/<user_id>",
           response = OrganizationMembership, api = Clerk)]
#[derive(Debug, Clone)]
pub struct UpdateOrganizationMembership {
    pub organization_id: String,
    pub user_id: String,
    /// Required: `org:admin` or `org:member`.
    pub role: String,
}

/// `DELETE /organizations/{organization_id}/memberships/{user_id}`: removes a member and answers
/// with the removed membership.
#[endpoint(DELETE, "/organizations/<organization_id>/memberships/<user_id>",
           response = OrganizationMembership, api = Clerk)]
#[derive(Debug, Clone)]
pub struct DeleteOrganizationMembership {
    pub organization_id: String,
    pub user_id: String,
}

// ---------------------------------------------------------------------------------------------
// Instance

/// `PATCH /instance`: instance settings; answers `204 No Content`.
#[endpoint(PATCH, "/instance", api = Clerk)]
#[derive(Debug, Clone, Default)]
pub struct UpdateInstance {
    pub test_mode: Nullable<bool>,
    /// Whether passwords are checked against HaveIBeenPwned.
    pub hibp: Nullable<bool>,
    pub support_email: Nullable<String>,
    pub clerk_js_version: Nullable<String>,
    pub development_origin: Nullable<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_origins: Option<Vec<String>>,
    pub url_based_session_syncing: Nullable<bool>,
}

/// Every operation above, for the OpenAPI check and export (feature `openapi`).
#[cfg(feature = "openapi")]
pub fn endpoints() -> restruct::openapi::Endpoints {
    restruct::openapi::Endpoints::new()
        .with::<CreateSessionTokenFromTemplateRequest>()
        .with::<CreateSessionToken>()
        .with::<GetUserList>()
        .with::<GetUsersCount>()
        .with::<GetUser>()
        .with::<UpdateUser>()
        .with::<DeleteUser>()
        .with::<MergeUserMetadata>()
        .with::<UploadProfileImage>()
        .with::<ListOrganizations>()
        .with::<UpdateOrganizationMembership>()
        .with::<DeleteOrganizationMembership>()
        .with::<UpdateInstance>()
}

/// The claims of a JWT, read without verifying the signature (for display only).
pub fn jwt_claims(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&base64url_decode(payload)?).ok()
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
