use restruct::endpoint;

#[endpoint(GET)]
pub struct ListUsers {}

fn main() {}
