use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>")]
pub enum GetUser {
    ById { user_id: String },
}

fn main() {}
