use restruct::endpoint;

pub struct UserId(pub String);

#[endpoint(GET, "/users/<user_id>")]
pub struct GetUser {
    pub user_id: UserId,
}

fn main() {}
