use restruct::endpoint;

#[endpoint(GET, "/users")]
pub struct ListUsers {
    pub limit: u32,
}

fn main() {}
