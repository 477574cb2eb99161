use restruct::endpoint;

#[endpoint(POST, "/users/search", response = Vec<serde_json::Value>, paginate = offset)]
pub struct SearchUsers {
    #[paginate(offset)]
    pub offset: Option<u64>,
    #[paginate(limit)]
    pub limit: Option<u64>,
}

fn main() {}
