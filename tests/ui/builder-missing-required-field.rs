use restruct::endpoint;

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>")]
struct CreateToken {
    session_id: String,
    template_name: String,
    #[query]
    expires_in_seconds: Option<u64>,
}

fn main() {
    let _request = CreateToken::builder()
        .session_id("sess_123")
        .expires_in_seconds(60)
        .build();
}
