use restruct::endpoint;

#[endpoint(GET, "/users")]
pub struct ListUsers {
    #[header("Clerk API Version")]
    pub api_version: String,
}

fn main() {}
