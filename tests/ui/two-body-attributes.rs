use restruct::endpoint;

#[derive(serde::Serialize)]
pub struct Metadata {
    pub role: String,
}

#[endpoint(PATCH, "/users/<user_id>/metadata")]
pub struct UpdateMetadata {
    pub user_id: String,
    #[body]
    pub public_metadata: Metadata,
    #[body]
    pub private_metadata: Metadata,
}

fn main() {}
