use restruct::endpoint;

#[endpoint(GET, "/users?limit=<limit>")]
pub struct ListUsers {
    pub limit: u32,
}

fn main() {}
