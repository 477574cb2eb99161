//! The main shapes of `#[endpoint]` compile without a warning under the lints a strict crate
//! turns on: a lint that the expansion trips in users' crates fails this case.
#![deny(warnings, rust_2018_idioms, unused_qualifications)]

use restruct::{endpoint, Endpoint, FilePart, Nullable};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct Members {
    pub data: Vec<User>,
    pub total_count: u64,
}

#[derive(Debug, Serialize)]
pub struct Settings {
    pub theme: String,
}

/// Path parameters and headers.
#[endpoint(GET, "/users/<user_id>", response = User, headers("X-Api-Version: 2"))]
pub struct GetUser {
    pub user_id: String,
    #[header("X-Trace")]
    pub trace: Option<String>,
    #[header("X-Signature", sensitive)]
    pub signature: String,
}

/// Query parameters, borrowed.
#[endpoint(GET, "/users", response = Vec<User>)]
pub struct ListUsers<'a> {
    #[query]
    pub limit: Option<u32>,
    #[query("order_by")]
    pub order: Option<&'a str>,
    #[query(style = spaceDelimited)]
    pub ids: Vec<String>,
}

/// A JSON body of the unannotated fields, with a rule.
#[endpoint(POST, "/users/<user_id>/tokens", response = User)]
pub struct CreateToken {
    pub user_id: String,
    #[validate(length(min = 1, max = 64))]
    pub template: String,
    pub expires_in_seconds: Option<u64>,
    pub metadata: Nullable<String>,
    #[skip]
    pub note: u8,
}

/// A whole body, as a form.
#[endpoint(PUT, "/users/<user_id>/settings", form)]
pub struct PutSettings {
    pub user_id: String,
    #[body]
    pub settings: Settings,
}

/// Raw bytes.
#[endpoint(PUT, "/users/<user_id>/avatar")]
pub struct PutAvatar {
    pub user_id: String,
    #[body(raw, content_type = "image/png")]
    pub image: Vec<u8>,
}

/// A multipart body.
#[endpoint(POST, "/files", response = User, multipart)]
pub struct Upload {
    pub purpose: String,
    pub file: FilePart,
}

/// A listing in pages.
#[endpoint(
    GET,
    "/orgs/<org_id>/members",
    response = Members,
    paginate(offset, items = data, item = User, total = total_count)
)]
pub struct ListMembers {
    pub org_id: String,
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

fn main() {
    let base = "http://127.0.0.1:1";
    let get = GetUser::builder().user_id("u").signature("s").build();
    let _ = (get.to_request(base), get.trace);
    let list = ListUsers {
        limit: Some(1),
        order: Some("name"),
        ids: vec!["a".into()],
    };
    let _ = list.to_request(base);
    let token = CreateToken {
        user_id: "u".into(),
        template: "t".into(),
        expires_in_seconds: None,
        metadata: Nullable::Unset,
        note: 0,
    };
    let _ = (token.validate(), token.to_request(base), token.note);
    let settings = PutSettings {
        user_id: "u".into(),
        settings: Settings { theme: "dark".into() },
    };
    let _ = settings.to_request(base);
    let avatar = PutAvatar {
        user_id: "u".into(),
        image: vec![1, 2, 3],
    };
    let _ = avatar.to_request(base);
    let upload = Upload {
        purpose: "avatar".into(),
        file: FilePart::new(vec![1, 2, 3]),
    };
    let _ = upload.to_request(base);
    let members = ListMembers {
        org_id: "o".into(),
        offset: None,
        limit: Some(10),
    };
    let _ = members.to_request(base);
}
