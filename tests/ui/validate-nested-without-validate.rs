use restruct::endpoint;
use serde::Serialize;

#[derive(Serialize)]
struct Body {
    expires_in_seconds: Option<u64>,
}

#[endpoint(POST, "/sessions/<session_id>/tokens")]
struct CreateToken {
    session_id: String,
    #[body]
    #[validate(nested)]
    request_body: Option<Body>,
}

fn main() {}
