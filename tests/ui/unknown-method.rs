use restruct::endpoint;

#[endpoint(FETCH, "/users")]
pub struct ListUsers {}

fn main() {}
