use restruct::endpoint;

#[derive(serde::Serialize)]
pub struct Filter {
    pub email_address: Vec<String>,
}

#[endpoint(GET, "/users")]
pub struct ListUsers {
    #[body]
    pub filter: Filter,
}

fn main() {}
