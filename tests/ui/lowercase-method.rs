use restruct::endpoint;

#[endpoint(post, "/users")]
pub struct CreateUser {
    pub email_address: String,
}

fn main() {}
