use restruct::{endpoint, Client};

#[endpoint(POST, "/sessions/<session_id>/tokens/<template_name>")]
struct CreateToken {
    session_id: String,
    template_name: String,
}

async fn send(client: &Client) {
    let _ = CreateToken::builder()
        .template_name("custom_hasura")
        .send(client)
        .await;
}

fn main() {}
