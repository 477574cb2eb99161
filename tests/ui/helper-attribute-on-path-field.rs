use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>")]
pub struct GetUser {
    #[query]
    pub user_id: String,
}

fn main() {}
