use restruct::endpoint;

#[derive(serde::Serialize)]
pub struct Body {
    pub expires_in_seconds: Option<u64>,
}

#[endpoint(POST, "/sessions/<session_id>/tokens")]
pub struct CreateSessionToken {
    pub session_id: String,
    #[body]
    pub request_body: Body,
    pub template_name: String,
}

fn main() {}
