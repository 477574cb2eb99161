use restruct::endpoint;

#[endpoint(GET, "/users", response = Vec<serde_json::Value>)]
pub struct ListUsers {
    #[paginate(offset)]
    pub offset: Option<u64>,
}

fn main() {}
