//! A Clerk Backend API client written with restruct: each operation is one struct.
//!
//! <https://clerk.com/docs/reference/backend-api>; base URL `https://api.clerk.com/v1`, bearer
//! secret key. Errors come back as [`ClerkErrors`].
#![allow(dead_code)] // the example and each test use a different part

use restruct::endpoint;
use serde::{Deserialize, Serialize};

/// Clerk's production base URL.
pub const BASE_URL: &str = "https://api.clerk.com/v1";

// ---------------------------------------------------------------------------------------------
// Errors

/// The body of every non-2xx Clerk response.
#[derive(Debug, Deserialize)]
pub struct ClerkErrors {
    pub errors: Vec<ClerkError>,
    /// Quote it to Clerk support; absent on some responses.
    #[serde(default)]
    pub clerk_trace_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ClerkError {
    pub message: String,
    pub long_message: String,
    pub code: String,
    /// Extra context, e.g. `{"param_name": "expires_in_seconds"}`.
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

impl ClerkErrors {
    /// Whether any error carries `code` (`resource_not_found`, `form_param_value_invalid`).
    pub fn has_code(&self, code: &str) -> bool {
        self.errors.iter().any(|e| e.code == code)
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions: tokens

#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateSessionTokenFromTemplateRequestBody {
    /// Overrides the JWT lifetime (Clerk accepts 30..=315360000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_seconds: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct Token {
    pub object: String,
    pub jwt: String,
}

/// `POST /sessions/{session_id}/tokens/{template_name}`: a JWT for the session, shaped by a JWT
/// template of the instance. This is DESIGN.md's seed request, exactly.
#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>", response = Token, error = ClerkErrors)]
#[derive(Debug, Clone)]
pub struct CreateSessionTokenFromTemplateRequest {
    /// The ID of the session
    pub session_id: String,
    /// The name of the JWT template defined in your instance (e.g. `custom_hasura`)
    pub template_name: String,
    #[body]
    pub request_body: Option<CreateSessionTokenFromTemplateRequestBody>,
}

/// The claims of a JWT, read without verifying the signature (for display only).
pub fn jwt_claims(jwt: &str) -> Option<serde_json::Value> {
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
