use restruct::endpoint;

#[endpoint(GET, "/users/<>")]
pub struct GetUser {
    pub user_id: String,
}

fn main() {}
