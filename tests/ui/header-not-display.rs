use restruct::endpoint;

pub struct ApiVersion {
    pub year: u16,
}

#[endpoint(GET, "/users")]
pub struct ListUsers {
    #[header("Clerk-API-Version")]
    pub api_version: Option<ApiVersion>,
}

fn main() {}
