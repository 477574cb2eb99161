use restruct::endpoint;

#[endpoint(GET, "/users/<user_id>")]
pub struct GetUser(pub String);

fn main() {}
